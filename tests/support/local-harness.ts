import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock, Logger } from '../../lambdas/core/ports.js';
import type { TokenKeys } from '../../lambdas/core/tokens.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../lambdas/runtime/local-system.js';

/**
 * A clock tests can move forward, e.g. past a 3-day budget window. It starts in the daytime in
 * Stockholm (moved forward up to a day if needed), so mail is never held for quiet hours just
 * because CI happens to run at night; tests that want the night move it there.
 */
export class TestClock implements Clock {
  private offsetMs = daytimeShiftMs(Date.now());
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** The smallest forward shift (whole hours) that puts `now` between 10:00 and 18:00 in Stockholm. */
function daytimeShiftMs(now: number): number {
  const hourIn = (t: number) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }).format(t),
    );
  for (let h = 0; h < 24; h += 1) {
    const hour = hourIn(now + h * 3_600_000);
    if (hour >= 10 && hour < 18) return h * 3_600_000;
  }
  return 0;
}

export const quietLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function testTokenKeys(): TokenKeys {
  return { current: 't1', keys: { t1: randomBytes(32).toString('base64url') } };
}

export interface Harness extends LocalSystem {
  readonly clock: TestClock;
  readonly tokenKeys: TokenKeys;
}

/** The real local system (DynamoDB emulator in memory, local SES, HTTP) on free ports. */
export async function startHarness(options: Partial<LocalSystemOptions> = {}): Promise<Harness> {
  const clock = new TestClock();
  const tokenKeys = options.tokenKeys ?? testTokenKeys();
  const system = await startLocalSystem({
    tokenKeys,
    clock,
    log: quietLog,
    retryDelayMs: 50,
    maxQueueDelayMs: 100,
    ...options,
  });
  return { ...system, clock, tokenKeys };
}

export const StoredEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  at: z.number(),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

/** Read the local SES store over HTTP, as a person's browser would read the inbox. */
export async function sesInbox(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`SES store answered ${response.status}`);
  return z.object({ emails: z.array(StoredEmail) }).parse(await response.json()).emails;
}

export function header(mail: StoredEmail, name: string): string | undefined {
  return mail.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface ApiAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** Call the marketer API over real HTTP, as curl would; a string body is sent as it is (for malformed JSON). */
export async function callApi(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, json: z.record(z.string(), z.unknown()).parse(await response.json()) };
}
