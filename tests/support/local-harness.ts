import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock, Logger } from '../../lambdas/core/ports.js';
import { type TokenKeys } from '../../lambdas/core/tokens.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../lambdas/runtime/local-system.js';

/** A clock tests can move forward, e.g. past a 3-day budget window. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
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
  const system = await startLocalSystem({ tokenKeys, clock, log: quietLog, retryDelayMs: 50, ...options });
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
