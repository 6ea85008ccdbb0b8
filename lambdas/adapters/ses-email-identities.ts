import { GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { z } from 'zod';
import { LookupError } from '../core/errors.js';
import { type EmailIdentities, IdentityStatus } from '../core/sending-identity.js';
import { awsClientConfig, errorName } from './aws-client-config.js';

/**
 * SESv2 GetEmailIdentity as the sender check reads it: SES's verdict, Easy DKIM and the custom MAIL
 * FROM domain of one domain identity. An identity SES does not know is `found: false`; any other
 * failure (throttling, no permission, an answer of the wrong shape) is a LookupError.
 */
export class SesEmailIdentities implements EmailIdentities {
  constructor(private readonly ses: SESv2Client) {}

  async status(domain: string): Promise<IdentityStatus> {
    let answer: unknown;
    try {
      const result = await this.ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
      answer = {
        found: true,
        verifiedForSending: result.VerifiedForSendingStatus ?? false,
        verificationStatus: result.VerificationStatus ?? 'NOT_STARTED',
        dkim: {
          signingEnabled: result.DkimAttributes?.SigningEnabled ?? false,
          status: result.DkimAttributes?.Status ?? 'NOT_STARTED',
        },
        ...(result.MailFromAttributes?.MailFromDomain
          ? {
              mailFrom: {
                domain: result.MailFromAttributes.MailFromDomain,
                status: result.MailFromAttributes.MailFromDomainStatus,
                behaviorOnMxFailure: result.MailFromAttributes.BehaviorOnMxFailure,
              },
            }
          : {}),
        ...(result.VerificationInfo?.ErrorType ? { verificationError: result.VerificationInfo.ErrorType } : {}),
      };
    } catch (error: unknown) {
      const name = errorName(error);
      if (name === 'NotFoundException') return { found: false };
      throw new LookupError(`SES GetEmailIdentity for ${domain} failed (${name})`, { cause: error });
    }
    const parsed = IdentityStatus.safeParse(answer);
    if (!parsed.success) {
      throw new LookupError(`SES GetEmailIdentity for ${domain} answered in an unexpected shape`, {
        cause: z.prettifyError(parsed.error),
      });
    }
    return parsed.data;
  }
}

/** A client for SES's read API: reads are safe to retry, so the SDK's own retries stay on. */
export function createSesReadClient(options: { endpoint?: string; region?: string } = {}): SESv2Client {
  return new SESv2Client(awsClientConfig(options));
}
