import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** How many times a message is received before it goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** AWS guidance for Lambda SQS consumers: visibility timeout of at least six times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface WorkQueuesProps {
  /** Timeout of the function that consumes planShardQueue. */
  readonly planShardConsumerTimeout: Duration;
  /** Timeout of the function that consumes sendQueue. */
  readonly sendConsumerTimeout: Duration;
  /** Timeout of the function that consumes sesEventsQueue. */
  readonly sesEventsConsumerTimeout: Duration;
}

/**
 * The three SQS queues (plan shards, single sends, SES events from EventBridge), each with its own
 * dead-letter queue.
 */
export class WorkQueues extends Construct {
  readonly planShardQueue: sqs.Queue;
  readonly planShardDeadLetterQueue: sqs.Queue;
  readonly sendQueue: sqs.Queue;
  readonly sendDeadLetterQueue: sqs.Queue;
  /** SES sending events for the configuration set, delivered by an EventBridge rule (see MailSending). */
  readonly sesEventsQueue: sqs.Queue;
  readonly sesEventsDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueuesProps) {
    super(scope, id);
    [this.planShardQueue, this.planShardDeadLetterQueue] = this.queueWithDeadLetters(
      'PlanShard',
      props.planShardConsumerTimeout,
    );
    [this.sendQueue, this.sendDeadLetterQueue] = this.queueWithDeadLetters('Send', props.sendConsumerTimeout);
    [this.sesEventsQueue, this.sesEventsDeadLetterQueue] = this.queueWithDeadLetters(
      'SesEvents',
      props.sesEventsConsumerTimeout,
    );
  }

  /** Every dead-letter queue, by the name of the queue it serves; each gets an alarm. */
  get deadLetterQueues(): Readonly<Record<'PlanShard' | 'Send' | 'SesEvents', sqs.Queue>> {
    return {
      PlanShard: this.planShardDeadLetterQueue,
      Send: this.sendDeadLetterQueue,
      SesEvents: this.sesEventsDeadLetterQueue,
    };
  }

  private queueWithDeadLetters(name: string, consumerTimeout: Duration): [sqs.Queue, sqs.Queue] {
    const common: sqs.QueueProps = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    const deadLetterQueue = new sqs.Queue(this, `${name}DeadLetterQueue`, {
      ...common,
      retentionPeriod: Duration.days(14),
    });
    const queue = new sqs.Queue(this, `${name}Queue`, {
      ...common,
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    return [queue, deadLetterQueue];
  }
}
