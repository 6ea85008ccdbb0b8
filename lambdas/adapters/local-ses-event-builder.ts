import { randomUUID } from 'node:crypto';
import { type MailEventKind, type SesEventType, sesDetailType } from '../core/ses-events.js';
import { assertNever } from '../core/units.js';

/*
 * Builds SES events for the local stand-in of SES event publishing (the local SES emulator
 * publishes none). Every event has the shape of AWS's documented examples in
 * tests/fixtures/ses-events/, wrapped in the EventBridge envelope SES uses, so the deployed
 * handler reads local events exactly as it reads real ones.
 */

/** The mail an event is about, as the local mailer knows it. */
export type BuiltMail = {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  tags: Record<string, string>;
  /** When SES accepted the send (mail.timestamp). */
  sentAt: Date;
  /** When the event happened; defaults to sentAt. */
  at?: Date;
  configurationSet?: string;
};

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/** An SES event for `kind`, in the EventBridge envelope (source `aws.ses`, SES's detail-type). */
export function buildSesEvent(kind: MailEventKind, mail: BuiltMail): unknown {
  const at = mail.at ?? mail.sentAt;
  const eventType = eventTypeOf(kind);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': sesDetailType(eventType),
    source: 'aws.ses',
    account: ACCOUNT,
    // EventBridge times have whole seconds.
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: REGION,
    resources: mail.configurationSet
      ? [`arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${mail.configurationSet}`]
      : [],
    detail: { eventType, mail: mailObject(mail), ...typeObject(kind, mail, at) },
  };
}

/** The SES eventType behind each kind; both bounce kinds are one SES `Bounce`. */
function eventTypeOf(kind: MailEventKind): SesEventType {
  switch (kind) {
    case 'send':
      return 'Send';
    case 'delivery':
      return 'Delivery';
    case 'hard-bounce':
    case 'soft-bounce':
      return 'Bounce';
    case 'complaint':
      return 'Complaint';
    case 'reject':
      return 'Reject';
    case 'rendering-failure':
      return 'Rendering Failure';
    case 'delivery-delay':
      return 'DeliveryDelay';
    case 'open':
      return 'Open';
    case 'click':
      return 'Click';
    default:
      return assertNever(kind);
  }
}

/** The `mail` object, field for field as in the documented examples. */
function mailObject(mail: BuiltMail): Record<string, unknown> {
  return {
    timestamp: mail.sentAt.toISOString(),
    source: mail.from,
    sourceArn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${domainOf(mail.from)}`,
    sendingAccountId: ACCOUNT,
    messageId: mail.messageId,
    destination: [mail.to],
    headersTruncated: false,
    headers: [
      { name: 'From', value: mail.from },
      { name: 'To', value: mail.to },
      { name: 'Subject', value: mail.subject },
    ],
    commonHeaders: { from: [mail.from], to: [mail.to], messageId: mail.messageId, subject: mail.subject },
    tags: sesTags(mail),
  };
}

/**
 * SES tags are lists of values; SES adds `ses:configuration-set`. Object.fromEntries defines
 * own properties, so a tag named `__proto__` cannot reach a prototype.
 */
function sesTags(mail: BuiltMail): Record<string, string[]> {
  const entries: Array<[string, string[]]> = Object.entries(mail.tags).map(([name, value]) => [name, [value]]);
  if (mail.configurationSet) entries.push(['ses:configuration-set', [mail.configurationSet]]);
  return Object.fromEntries(entries);
}

/** The type-specific object (`bounce`, `delivery`, ...) with the documented fields. */
function typeObject(kind: MailEventKind, mail: BuiltMail, at: Date): Record<string, unknown> {
  const timestamp = at.toISOString();
  switch (kind) {
    case 'send':
      return { send: {} };
    case 'delivery':
      return {
        delivery: {
          timestamp,
          processingTimeMillis: Math.max(0, at.getTime() - mail.sentAt.getTime()),
          recipients: [mail.to],
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'localhost',
        },
      };
    case 'hard-bounce':
      return {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            {
              emailAddress: mail.to,
              action: 'failed',
              status: '5.1.1',
              diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            },
          ],
          timestamp,
          feedbackId: randomUUID(),
          reportingMTA: 'dsn; localhost',
        },
      };
    case 'soft-bounce':
      // As the mailbox simulator's out-of-office answer: a Transient/General bounce with no DSN fields.
      return {
        bounce: {
          bounceType: 'Transient',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: mail.to }],
          timestamp,
          feedbackId: randomUUID(),
        },
      };
    case 'complaint':
      return {
        complaint: {
          complainedRecipients: [{ emailAddress: mail.to }],
          timestamp,
          feedbackId: randomUUID(),
          userAgent: 'local-ses-events',
          complaintFeedbackType: 'abuse',
          arrivalDate: timestamp,
        },
      };
    case 'reject':
      return { reject: { reason: 'Bad content' } };
    case 'rendering-failure':
      return {
        failure: {
          errorMessage: "Attribute 'attributeName' is not present in the rendering data.",
          templateName: 'local-template',
        },
      };
    case 'delivery-delay':
      return {
        deliveryDelay: {
          timestamp,
          delayType: 'TransientCommunicationFailure',
          expirationTime: new Date(at.getTime() + 14 * 3600 * 1000).toISOString(),
          delayedRecipients: [
            {
              emailAddress: mail.to,
              status: '4.4.1',
              diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
            },
          ],
        },
      };
    case 'open':
      return { open: { ipAddress: '192.0.2.1', timestamp, userAgent: 'local-ses-events' } };
    case 'click':
      return {
        click: {
          ipAddress: '192.0.2.1',
          link: 'http://localhost/',
          linkTags: {},
          timestamp,
          userAgent: 'local-ses-events',
        },
      };
    default:
      return assertNever(kind);
  }
}

/** What SES publishes for a mail to this address: mailbox simulator addresses have fixed outcomes. */
export type SimulatorOutcome = 'delivery' | 'hard-bounce' | 'complaint' | 'soft-bounce' | 'suppressed';

/**
 * The SES mailbox simulator ("Sending test emails in Amazon SES with the simulator"): success@,
 * bounce@, ooto@, complaint@ and suppressionlist@simulator.amazonses.com, also with a `+label`.
 * The guide says ooto@ is delivered and then answered by an out-of-office auto-reply. Users
 * have seen that auto-reply come back as a Transient/General bounce, so it maps to a soft bounce.
 * The guide does not document this. Any other address is delivered.
 */
export function simulatorOutcome(to: string): SimulatorOutcome {
  const address = addressOf(to);
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1) !== SIMULATOR_DOMAIN) return 'delivery';
  const local = address.slice(0, at).split('+')[0];
  switch (local) {
    case 'bounce':
      return 'hard-bounce';
    case 'ooto':
      return 'soft-bounce';
    case 'complaint':
      return 'complaint';
    case 'suppressionlist':
      return 'suppressed';
    default:
      return 'delivery';
  }
}

/** The bare lower-cased address, also from the `Name <address>` form. */
function addressOf(value: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return (angle?.[1] ?? value).trim().toLowerCase();
}

function domainOf(from: string): string {
  const address = addressOf(from);
  return address.slice(address.lastIndexOf('@') + 1);
}
