import { z } from 'zod';
import { fail, ok, type Result } from './result.js';
import { assertNever } from './units.js';

/*
 * SES event publishing records (configuration set -> EventBridge/SNS -> SQS), parsed with zod.
 * Shapes follow "Contents of event data that Amazon SES publishes to Amazon SNS" in the SES
 * developer guide; the examples in tests/fixtures/ses-events/ are AWS's own. Objects strip keys
 * we do not read, so new SES fields never break parsing; the fields we do read are strict.
 */

/** SES writes ISO 8601 UTC times (`2017-08-05T00:41:02.669Z`); an offset is accepted too. */
const IsoTime = z.iso.datetime({ offset: true });

/** SES tags: every name maps to a list of values. zod's record drops a `__proto__` key. */
const SesTags = z.record(z.string(), z.array(z.string()));

/** The `mail` object common to every event: the mail as SES accepted it. */
export const SesMail = z.object({
  timestamp: IsoTime,
  messageId: z.string().min(1),
  source: z.string(),
  destination: z.array(z.string()),
  tags: SesTags.optional(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
export type SesMail = z.infer<typeof SesMail>;

const Recipient = z.object({ emailAddress: z.string() });

const BouncedRecipient = Recipient.extend({
  action: z.string().optional(),
  status: z.string().optional(),
  diagnosticCode: z.string().optional(),
});

export const SesBounce = z.object({
  bounceType: z.enum(['Undetermined', 'Permanent', 'Transient']),
  bounceSubType: z.string(),
  bouncedRecipients: z.array(BouncedRecipient),
  timestamp: IsoTime,
  feedbackId: z.string(),
});

export const SesComplaint = z.object({
  complainedRecipients: z.array(Recipient),
  timestamp: IsoTime,
  feedbackId: z.string(),
  complaintFeedbackType: z.string().optional(),
  // Documented as either null or `OnAccountSuppressionList`.
  complaintSubType: z.string().nullable().optional(),
});

export const SesDelivery = z.object({
  timestamp: IsoTime,
  recipients: z.array(z.string()),
  processingTimeMillis: z.number().optional(),
  smtpResponse: z.string().optional(),
});

export const SesReject = z.object({ reason: z.string() });

export const SesRenderingFailure = z.object({ errorMessage: z.string(), templateName: z.string() });

export const SesDeliveryDelay = z.object({
  timestamp: IsoTime,
  delayType: z.string(),
  delayedRecipients: z.array(BouncedRecipient),
  expirationTime: IsoTime.optional(),
});

export const SesOpen = z.object({
  timestamp: IsoTime,
  ipAddress: z.string().optional(),
  userAgent: z.string().optional(),
});

export const SesClick = z.object({
  timestamp: IsoTime,
  link: z.string(),
  ipAddress: z.string().optional(),
  userAgent: z.string().optional(),
  linkTags: SesTags.optional(),
});

/**
 * One SES event-publishing record, discriminated on `eventType`. The older identity feedback
 * notifications (`notificationType`) carry no tags, so they are refused rather than half-read.
 */
export const SesEvent = z.discriminatedUnion('eventType', [
  z.object({ eventType: z.literal('Send'), mail: SesMail, send: z.object({}).optional() }),
  z.object({ eventType: z.literal('Delivery'), mail: SesMail, delivery: SesDelivery }),
  z.object({ eventType: z.literal('Bounce'), mail: SesMail, bounce: SesBounce }),
  z.object({ eventType: z.literal('Complaint'), mail: SesMail, complaint: SesComplaint }),
  z.object({ eventType: z.literal('Reject'), mail: SesMail, reject: SesReject }),
  z.object({ eventType: z.literal('Rendering Failure'), mail: SesMail, failure: SesRenderingFailure }),
  z.object({ eventType: z.literal('DeliveryDelay'), mail: SesMail, deliveryDelay: SesDeliveryDelay }),
  z.object({ eventType: z.literal('Open'), mail: SesMail, open: SesOpen }),
  z.object({ eventType: z.literal('Click'), mail: SesMail, click: SesClick }),
]);
export type SesEvent = z.infer<typeof SesEvent>;
export type SesEventType = SesEvent['eventType'];

/** The EventBridge `detail-type` SES uses for each event type (EventBridge "Amazon SES events"). */
export function sesDetailType(eventType: SesEventType): string {
  switch (eventType) {
    case 'Send':
      return 'Email Sent';
    case 'Delivery':
      return 'Email Delivered';
    case 'Bounce':
      return 'Email Bounced';
    case 'Complaint':
      return 'Email Complaint Received';
    case 'Reject':
      return 'Email Rejected';
    case 'Rendering Failure':
      return 'Email Rendering Failed';
    case 'DeliveryDelay':
      return 'Email Delivery Delayed';
    case 'Open':
      return 'Email Opened';
    case 'Click':
      return 'Email Clicked';
    default:
      return assertNever(eventType);
  }
}

/** The result of reading one record: expected failures are data, so one bad record fails alone. */
export type Parsed<T> = Result<{ event: T }, { error: string }>;

const EventBridgeEnvelope = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  detail: z.unknown(),
});

const SnsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/**
 * Reads an SES event from the JSON of an SQS record body, whichever way it was routed:
 * an EventBridge event (`detail`), an SNS notification (`Message`, a JSON string) or the bare
 * record. Errors name the failing field by its full path in the body, for the DLQ log.
 */
export function unwrapSesEvent(body: unknown): Parsed<SesEvent> {
  if (isRecord(body) && 'detail' in body) return fromEventBridge(body);
  if (isRecord(body) && body.Type === 'Notification') return fromSns(body);
  return parseBare(body, []);
}

/** An EventBridge event: only `aws.ses`, and its detail-type must agree with the record inside. */
function fromEventBridge(body: Record<string, unknown>): Parsed<SesEvent> {
  const envelope = EventBridgeEnvelope.safeParse(body);
  if (!envelope.success) return fail({ error: describe(envelope.error, []) });
  const parsed = parseBare(envelope.data.detail, ['detail']);
  if (!parsed.ok) return parsed;
  const expected = sesDetailType(parsed.event.eventType);
  if (envelope.data['detail-type'] !== expected) {
    return fail({
      error: `detail-type: "${envelope.data['detail-type']}" does not match detail.eventType "${parsed.event.eventType}" (expected "${expected}")`,
    });
  }
  return parsed;
}

/** An SNS notification: the SES record is a JSON string in `Message`. */
function fromSns(body: Record<string, unknown>): Parsed<SesEvent> {
  const envelope = SnsEnvelope.safeParse(body);
  if (!envelope.success) return fail({ error: describe(envelope.error, []) });
  let message: unknown;
  try {
    message = JSON.parse(envelope.data.Message);
  } catch {
    return fail({ error: 'Message: not JSON' });
  }
  return parseBare(message, ['Message']);
}

/** The SES record itself; a `notificationType` record gets a message saying why it is refused. */
function parseBare(value: unknown, at: readonly PropertyKey[]): Parsed<SesEvent> {
  if (isRecord(value) && !('eventType' in value) && 'notificationType' in value) {
    return fail({
      error: `${pathOf([...at, 'eventType'])}: missing; a notificationType record is an identity feedback notification, not event publishing`,
    });
  }
  const parsed = SesEvent.safeParse(value);
  return parsed.success ? ok({ event: parsed.data }) : fail({ error: describe(parsed.error, at) });
}

/** At most three issues, each as `path.to.field: message`, so a log line stays readable. */
function describe(error: z.ZodError, at: readonly PropertyKey[]): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${pathOf([...at, ...issue.path])}: ${issue.message}`)
    .join('; ');
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the app layer needs of an SES event, whatever its type. */
export type MailEvent = {
  kind:
    | 'send'
    | 'delivery'
    | 'hard-bounce'
    | 'soft-bounce'
    | 'complaint'
    | 'reject'
    | 'rendering-failure'
    | 'delivery-delay'
    | 'open'
    | 'click';
  /** mail.messageId: the id SES returned for the send. */
  messageId: string;
  /** When the event itself happened (mail.timestamp for send, reject and rendering failure). */
  at: string;
  /** mail.timestamp: when SES accepted the send request. */
  mailAt: string;
  /** The first value of each of our own mail tags. */
  tags: MailTags;
  /** The affected recipients (bounced, complained, delivered, delayed), else mail.destination. */
  recipients: string[];
  /** A short reason: bounce type/subtype, complaint feedback type, reject reason, ... */
  detail?: string;
};
export type MailTags = { sendId?: string; club?: string; campaign?: string; member?: string; kind?: string };
export type MailEventKind = MailEvent['kind'];

/** Every kind, for exhaustive loops in tests and local tools. */
export const MAIL_EVENT_KINDS: readonly MailEventKind[] = [
  'send',
  'delivery',
  'hard-bounce',
  'soft-bounce',
  'complaint',
  'reject',
  'rendering-failure',
  'delivery-delay',
  'open',
  'click',
];

const TAG_NAMES: ReadonlyArray<keyof MailTags> = ['sendId', 'club', 'campaign', 'member', 'kind'];
const DETAIL_MAX = 200;

/** Normalises a parsed SES event for the app layer; one case per event type, nothing implicit. */
export function toMailEvent(event: SesEvent): MailEvent {
  const base = { messageId: event.mail.messageId, mailAt: event.mail.timestamp, tags: ourTags(event.mail.tags) };
  const destination = [...event.mail.destination];
  switch (event.eventType) {
    case 'Send':
      return { ...base, kind: 'send', at: event.mail.timestamp, recipients: destination };
    case 'Delivery':
      return {
        ...base,
        kind: 'delivery',
        at: event.delivery.timestamp,
        recipients: [...event.delivery.recipients],
        ...detailOf(event.delivery.smtpResponse),
      };
    case 'Bounce':
      return {
        ...base,
        kind: event.bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce',
        at: event.bounce.timestamp,
        recipients: event.bounce.bouncedRecipients.map((r) => r.emailAddress),
        ...detailOf(`${event.bounce.bounceType}/${event.bounce.bounceSubType}`),
      };
    case 'Complaint':
      return {
        ...base,
        kind: 'complaint',
        at: event.complaint.timestamp,
        recipients: event.complaint.complainedRecipients.map((r) => r.emailAddress),
        ...detailOf(event.complaint.complaintFeedbackType ?? event.complaint.complaintSubType ?? undefined),
      };
    case 'Reject':
      return {
        ...base,
        kind: 'reject',
        at: event.mail.timestamp,
        recipients: destination,
        ...detailOf(event.reject.reason),
      };
    case 'Rendering Failure':
      return {
        ...base,
        kind: 'rendering-failure',
        at: event.mail.timestamp,
        recipients: destination,
        ...detailOf(`${event.failure.templateName}: ${event.failure.errorMessage}`),
      };
    case 'DeliveryDelay':
      return {
        ...base,
        kind: 'delivery-delay',
        at: event.deliveryDelay.timestamp,
        recipients: event.deliveryDelay.delayedRecipients.map((r) => r.emailAddress),
        ...detailOf(event.deliveryDelay.delayType),
      };
    case 'Open':
      return { ...base, kind: 'open', at: event.open.timestamp, recipients: destination };
    case 'Click':
      return {
        ...base,
        kind: 'click',
        at: event.click.timestamp,
        recipients: destination,
        ...detailOf(event.click.link),
      };
    default:
      return assertNever(event);
  }
}

/** Unwraps, validates and normalises one SQS record body in one step. */
export function parseMailEvent(body: unknown): Parsed<MailEvent> {
  const parsed = unwrapSesEvent(body);
  return parsed.ok ? ok({ event: toMailEvent(parsed.event) }) : parsed;
}

/** Only our own tag names, read as own properties: a tag named `constructor` or `__proto__` is never ours. */
function ourTags(tags: Record<string, string[]> | undefined): MailTags {
  const out: MailTags = {};
  if (!tags) return out;
  for (const name of TAG_NAMES) {
    const value = Object.hasOwn(tags, name) ? tags[name]?.[0] : undefined;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** `detail` only when there is one, cut short: it is stored on the mail's record and logged. */
function detailOf(text: string | undefined): { detail?: string } {
  if (text === undefined || text === '') return {};
  return { detail: text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text };
}
