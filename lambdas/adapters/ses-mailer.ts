import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailRejectedError, RetryableMailError, SendingPausedError } from '../core/errors.js';
import type { Mailer, OutgoingMail } from '../core/ports.js';
import { awsClientConfig } from './aws-client-config.js';

const RETRYABLE = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'InternalFailure', 'ServiceUnavailable']);
const PAUSED = new Set(['SendingPausedException', 'AccountSuspendedException', 'MailFromDomainNotVerifiedException']);
const REJECTED = new Set(['MessageRejected', 'BadRequestException', 'NotFoundException']);

/**
 * SESv2 SendEmail with Simple content, so custom headers (List-Unsubscribe) are set by SES itself.
 * Errors are translated: throttling is retryable, a paused account stops sending, a rejection is final.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly configurationSetName?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: mail.from,
          Destination: { ToAddresses: [mail.to] },
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
          EmailTags: Object.entries(mail.tags).map(([Name, Value]) => ({ Name, Value })),
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: mail.html, Charset: 'UTF-8' }, Text: { Data: mail.text, Charset: 'UTF-8' } },
              Headers: mail.headers.map((h) => ({ Name: h.name, Value: h.value })),
            },
          },
        }),
      );
      if (!result.MessageId) throw new RetryableMailError('SES answered without a MessageId');
      return { messageId: result.MessageId };
    } catch (error: unknown) {
      if (error instanceof RetryableMailError) throw error;
      const name = error instanceof Error ? error.name : 'UnknownError';
      if (RETRYABLE.has(name) || isServerFault(error)) throw new RetryableMailError(`SES is throttling or unavailable (${name})`, { cause: error });
      if (PAUSED.has(name)) throw new SendingPausedError(`SES sending is paused (${name})`, { cause: error });
      if (REJECTED.has(name)) throw new MailRejectedError(`SES rejected the message (${name})`, { cause: error });
      throw error;
    }
  }
}

function isServerFault(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$fault' in error && error.$fault === 'server';
}

export function createSesClient(options: { endpoint?: string; region?: string } = {}): SESv2Client {
  return new SESv2Client(awsClientConfig(options));
}
