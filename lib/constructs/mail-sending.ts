import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The SES event types the configuration set publishes (docs/reliability.md 16). */
export const PUBLISHED_MAIL_EVENTS: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.RENDERING_FAILURE,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/**
 * Opens and clicks, published only with `engagementTracking`. UNSAFE with token links: publishing them
 * turns on SES engagement tracking, which rewrites every link in the mail (the unsubscribe and
 * preference tokens too) through SES's tracking domain, and the tokens land in CLICK events.
 */
export const ENGAGEMENT_EVENTS: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.OPEN,
  ses.EmailSendingEvent.CLICK,
];

export interface MailSendingProps {
  /** The queue that receives this configuration set's sending events (consumed by sesEvents). */
  readonly eventsQueue: sqs.IQueue;
  /** Where EventBridge puts events it could not deliver to `eventsQueue` (after its own retries). */
  readonly eventsDeadLetterQueue: sqs.IQueue;
  /** Publish OPEN and CLICK too (see ENGAGEMENT_EVENTS: unsafe with token links). @default false */
  readonly engagementTracking?: boolean;
}

/**
 * The SES v2 configuration set every campaign mail is sent with, and the route of its sending events:
 * configuration set -> default EventBridge bus -> rule (this configuration set only) -> SQS queue.
 * Bounce and complaint suppression stays at the account-level default.
 */
export class MailSending extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetName: string;
  /** Forwards this configuration set's events from the default bus to the events queue. */
  readonly eventsRule: events.Rule;

  constructor(scope: Construct, id: string, props: MailSendingProps) {
    super(scope, id);
    const tracking = props.engagementTracking ?? false;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      // suppressionReasons left unset: the account-level suppression list (bounces + complaints) applies.
      // No customTrackingRedirectDomain, and VDM engagement metrics off for this configuration set even
      // when the account turns them on: either would rewrite the token links (docs/security.md).
      vdmOptions: { engagementMetrics: tracking },
    });
    this.configurationSetName = this.configurationSet.configurationSetName;

    // SES publishes to EventBridge only on the account's default bus.
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('EventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: tracking ? [...PUBLISHED_MAIL_EVENTS, ...ENGAGEMENT_EVENTS] : [...PUBLISHED_MAIL_EVENTS],
    });
    // Other configuration sets in the account publish to the same bus: SES tags every event with
    // its configuration set, so the rule takes only ours.
    this.eventsRule = new events.Rule(this, 'EventsRule', {
      description: 'SES sending events of the Club Planner configuration set, to the SES events queue',
      eventBus: defaultBus,
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSetName] } } },
      },
      // An event EventBridge cannot deliver (queue policy, throttling past its 24 h of retries) would
      // be lost: it lands in the events DLQ instead, where the DLQ alarm and `npm run dlq` see it.
      targets: [new targets.SqsQueue(props.eventsQueue, { deadLetterQueue: props.eventsDeadLetterQueue })],
    });
  }

  /**
   * Lets `grantee` send mail through this configuration set from the given SES identities only (the
   * configured sending domains): SES authorizes a send against the From identity's ARN and the
   * configuration set's ARN. With no identity nothing is granted: no wildcard on `identity/*`.
   */
  grantSend(grantee: iam.IGrantable, identityArns: readonly string[]): iam.Grant | undefined {
    if (identityArns.length === 0) return undefined;
    const stack = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [
        ...identityArns,
        stack.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSetName,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    });
  }
}
