import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  MailOutcomeUnknownError,
  MailRejectedError,
  RetryableMailError,
  SenderNotVerifiedError,
  SendingPausedError,
} from '../core/errors.js';
import type { Mailer, OutgoingMail } from '../core/ports.js';
import { awsClientConfig } from './aws-client-config.js';

/** SES refused the call before taking the mail: safe to send again later. */
const RETRYABLE = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);
/** The whole account may not send. */
const PAUSED = new Set(['SendingPausedException', 'AccountSuspendedException']);
/** This message will never be taken as it is (bad address or content). */
const REJECTED = new Set(['MessageRejected', 'BadRequestException']);
/**
 * No mail from this sender is taken until its domain is verified: SES's "Email address is not
 * verified. The following identities failed the check…" (a MessageRejected), or a custom MAIL FROM
 * domain that must be verified first.
 */
const sesRefusesSender = (name: string, message: string) =>
  name === 'MailFromDomainNotVerifiedException' || (name === 'MessageRejected' && /\bnot verified\b/i.test(message));

/**
 * SESv2 SendEmail with Simple content, so custom headers (List-Unsubscribe) are set by SES itself.
 * Errors are translated: throttling is retryable, a paused account stops sending, a rejection is
 * final. Anything else (a 5xx, a cut connection, an answer without a MessageId) means SES may have
 * taken the mail, so the worker must not send again but reconcile (docs/sending.md).
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
      if (!result.MessageId) {
        throw new MailOutcomeUnknownError('SES answered without a MessageId: the mail may have been taken');
      }
      return { messageId: result.MessageId };
    } catch (error: unknown) {
      if (error instanceof MailOutcomeUnknownError) throw error;
      const name = error instanceof Error ? error.name : 'UnknownError';
      if (RETRYABLE.has(name)) throw new RetryableMailError(`SES is throttling (${name})`, { cause: error });
      if (PAUSED.has(name)) throw new SendingPausedError(`SES sending is paused (${name})`, { cause: error });
      if (sesRefusesSender(name, error instanceof Error ? error.message : '')) {
        throw new SenderNotVerifiedError(
          `SES refused the sender (${name}): ${error instanceof Error ? error.message : ''}`,
          {
            cause: error,
          },
        );
      }
      if (REJECTED.has(name)) throw new MailRejectedError(`SES rejected the message (${name})`, { cause: error });
      throw new MailOutcomeUnknownError(`SES may have taken the mail (${name})`, { cause: error });
    }
  }
}

/**
 * One attempt per call: the SDK's own retries would re-send after a 5xx or a cut connection, when
 * SES may already have the mail. Throttling is retried by the worker, which knows it is safe.
 */
export function createSesClient(options: { endpoint?: string; region?: string } = {}): SESv2Client {
  return new SESv2Client({ ...awsClientConfig(options), maxAttempts: 1 });
}
