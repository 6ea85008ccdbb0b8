import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Logger, MAX_QUEUE_DELAY_SECONDS, type WorkQueue } from '../core/ports.js';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Pending {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

export interface LocalQueueOptions {
  readonly name: string;
  readonly batchSize: number;
  /** Like SQS's redrive policy: after this many receives a message goes to the dead-letter list. */
  readonly maxReceiveCount: number;
  /** How long a failed message stays invisible before it is delivered again. */
  readonly retryDelayMs: number;
  readonly concurrency: number;
  readonly log: Logger;
  /**
   * Cap on a requested send delay (e.g. a mail waiting out quiet hours), so tests with a movable
   * clock need not wait in real time. Delayed messages do not count as busy for `drain`.
   */
  readonly maxDelayMs?: number;
}

/**
 * An in-process stand-in for SQS + Lambda's event source mapping: it delivers SQS-shaped events
 * to the very handler the stack deploys, honours partial batch failures, redelivers failed
 * records and dead-letters them after `maxReceiveCount` receives.
 */
export class LocalWorkQueue<T> implements WorkQueue<T> {
  private readonly ready: Pending[] = [];
  private readonly deadLetters: Pending[] = [];
  private inFlight = 0;
  private delayed = 0;
  private consumer: SqsHandler | undefined;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;
  private readonly parked = new Set<ReturnType<typeof setTimeout>>();
  private paused = false;

  constructor(private readonly options: LocalQueueOptions) {}

  /** Attach the consumer, as the event source mapping does. */
  consume(handler: SqsHandler): void {
    this.consumer = handler;
    this.pump();
  }

  async send(jobs: readonly T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const messages = jobs.map((job) => ({ messageId: randomUUID(), body: JSON.stringify(job), receiveCount: 0 }));
    const delayMs = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, options.delaySeconds ?? 0)) * 1000;
    if (delayMs > 0) {
      const timer = setTimeout(
        () => {
          this.parked.delete(timer);
          this.ready.push(...messages);
          this.pump();
        },
        Math.min(delayMs, this.options.maxDelayMs ?? delayMs),
      );
      timer.unref();
      this.parked.add(timer);
      return;
    }
    this.ready.push(...messages);
    this.pump();
  }

  /** Deliver a raw body, as a producer outside our code might (tests use it for poison messages). */
  sendRaw(body: string): void {
    this.ready.push({ messageId: randomUUID(), body, receiveCount: 0 });
    this.pump();
  }

  get dlq(): ReadonlyArray<{ messageId: string; body: string; receiveCount: number }> {
    return this.deadLetters;
  }

  /**
   * Move every dead letter back onto the queue with a fresh receive count, as SQS's DLQ redrive
   * (StartMessageMoveTask) does. Returns how many moved.
   */
  redrive(): number {
    const moved = this.deadLetters.splice(0, this.deadLetters.length);
    for (const message of moved) this.ready.push({ messageId: message.messageId, body: message.body, receiveCount: 0 });
    this.pump();
    return moved.length;
  }

  /** Resolves when nothing is queued, in flight or waiting for redelivery. */
  async drain(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get idle(): boolean {
    return this.isIdle();
  }

  /** Messages sent with a delay that have not come due yet. */
  get parkedCount(): number {
    return this.parked.size;
  }

  /** Hold deliveries (messages still arrive), e.g. so a benchmark can measure one consumer at a time. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Resolves when no batch is being handled (after stop: when the last one running is done). */
  async idleInFlight(): Promise<void> {
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.parked) clearTimeout(timer);
    this.parked.clear();
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.inFlight === 0 && this.delayed === 0;
  }

  private pump(): void {
    const consumer = this.consumer;
    if (!consumer || this.stopped || this.paused) return;
    while (this.inFlight < this.options.concurrency && this.ready.length > 0) {
      const batch = this.ready.splice(0, this.options.batchSize);
      this.inFlight += 1;
      void this.deliver(consumer, batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.notifyIfIdle();
      });
    }
    this.notifyIfIdle();
  }

  private async deliver(consumer: SqsHandler, batch: Pending[]): Promise<void> {
    for (const message of batch) message.receiveCount += 1;
    let failedIds: Set<string>;
    try {
      const response = await consumer({ Records: batch.map((m) => this.toRecord(m)) });
      failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error: unknown) {
      // A thrown handler fails the whole batch, exactly as Lambda does.
      this.options.log.warn('local queue handler threw; the whole batch will be retried', {
        queue: this.options.name,
        error,
      });
      failedIds = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch) {
      if (!failedIds.has(message.messageId)) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.deadLetters.push(message);
        this.options.log.error('message moved to the dead-letter queue', {
          queue: this.options.name,
          messageId: message.messageId,
          receiveCount: message.receiveCount,
        });
        continue;
      }
      this.delayed += 1;
      setTimeout(() => {
        this.delayed -= 1;
        this.ready.push(message);
        this.pump();
      }, this.options.retryDelayMs);
    }
  }

  private toRecord(message: Pending): SQSRecord {
    const now = String(Date.now());
    return {
      messageId: message.messageId,
      receiptHandle: message.messageId,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: now,
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: now,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
