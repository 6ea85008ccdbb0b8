import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalScheduler, MAX_TIMER_STEP_MS } from '../../lambdas/adapters/local-scheduler.js';
import { DAY_MS } from './fixtures.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('LocalScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T09:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function scheduler() {
    const started: string[] = [];
    const s = new LocalScheduler({ now: () => new Date() }, quiet);
    s.setTarget(async (job) => {
      started.push(`${job.campaignId}@${new Date().toISOString()}`);
    });
    return { s, started };
  }

  it('arms its timers in steps under 24 days, Node’s limit being 24.8', () => {
    expect(MAX_TIMER_STEP_MS).toBeLessThan(24 * DAY_MS);
  });

  it('starts a campaign 45 days ahead on the day, not at once', async () => {
    const { s, started } = scheduler();
    await s.schedule('club', 'c45', new Date('2026-02-15T09:00:00Z'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(44 * DAY_MS);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(started).toEqual(['c45@2026-02-15T09:00:00.000Z']);
    expect(s.pending).toBe(0);
  });

  it('waits for the README’s 2030 send time, years ahead', async () => {
    const { s, started } = scheduler();
    await s.schedule('club', 'c2030', new Date('2030-01-01T09:00:00Z'));
    await vi.advanceTimersByTimeAsync(365 * DAY_MS);
    expect(started).toEqual([]);
    expect(s.pending).toBe(1);
    await s.cancel('club', 'c2030');
    expect(s.pending).toBe(0);
  });

  it('never starts before the send time when its clock is behind the timers', async () => {
    let offset = 0;
    const started: string[] = [];
    const s = new LocalScheduler({ now: () => new Date(Date.now() - offset) }, quiet);
    s.setTarget(async (job) => {
      started.push(job.campaignId);
    });
    await s.schedule('club', 'c1', new Date(Date.now() + 60_000));
    offset = 30_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(started).toEqual(['c1']);
  });
});
