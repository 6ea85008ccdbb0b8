import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditTrail } from '../../lambdas/adapters/dynamodb-audit-trail.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb-client.js';
import { DynamoDbRoleStore } from '../../lambdas/adapters/dynamodb-role-store.js';
import { MemoryRoleStore } from '../../lambdas/adapters/memory/memory-role-store.js';
import type { RoleStore } from '../../lambdas/core/access-ports.js';
import type { RoleAssignment } from '../../lambdas/core/roles.js';
import { type Harness, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  h = await startHarness();
  db = createDocumentClient({ endpoint: h.urls.dynamodb });
});
afterAll(async () => {
  await h?.stop();
});

const assignment = (clubId: string, userId: string, role: RoleAssignment['role']): RoleAssignment => ({
  clubId,
  userId,
  email: `${userId}@team.example`,
  role,
  grantedBy: 'user:admin',
  grantedAt: '2026-03-01T09:00:00.000Z',
});

const stores: Array<[string, () => RoleStore]> = [
  ['DynamoDB', () => new DynamoDbRoleStore(db, 'club-planner')],
  ['in-memory', () => new MemoryRoleStore()],
];

describe.each(stores)('the %s role store', (_name, make) => {
  it("keeps one role per marketer and club, lists a club's team and a marketer's clubs, and removes", async () => {
    const store = make();
    const [a, b, user, other] = [uniqueId('a'), uniqueId('b'), uniqueId('u'), uniqueId('o')];
    await store.put(assignment(a, user, 'editor'));
    await store.put(assignment(a, user, 'approver'));
    await store.put(assignment(b, user, 'viewer'));
    await store.put(assignment(a, other, 'admin'));
    expect((await store.get(a, user))?.role).toBe('approver');
    expect((await store.list(a)).map((r) => r.userId).sort()).toEqual([other, user].sort());
    // The marketer's clubs come from the index, which is eventually consistent: wait for it.
    for (let i = 0; i < 20 && (await store.clubsOf(user)).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await store.clubsOf(user)).map((r) => [r.clubId, r.role]).sort()).toEqual(
      [
        [a, 'approver'],
        [b, 'viewer'],
      ].sort(),
    );
    expect(await store.remove(a, user)).toBe('removed');
    expect(await store.remove(a, user)).toBe('absent');
    expect(await store.get(a, user)).toBeUndefined();
    expect(await store.get(a, '__proto__')).toBeUndefined();
  });
});

describe('the DynamoDB audit trail', () => {
  it('keeps entries newest first with before and after, a page at a time', async () => {
    const trail = new DynamoDbAuditTrail(db, 'club-planner');
    const clubId = uniqueId('audit');
    for (let i = 0; i < 5; i++) {
      await trail.record({
        clubId,
        at: new Date(Date.UTC(2026, 2, 1, 9, i)).toISOString(),
        actor: 'user:editor',
        action: 'PATCH /clubs/:clubId/campaigns/:campaignId',
        target: { clubId, campaignId: 'c1' },
        status: 200,
        before: { name: `v${i}` },
        after: { name: `v${i + 1}`, nested: { list: [1, 2], empty: '' } },
      });
    }
    const first = await trail.list(clubId, { limit: 2 });
    expect(first.entries.map((e) => e.after)).toEqual([
      { name: 'v5', nested: { list: [1, 2], empty: '' } },
      { name: 'v4', nested: { list: [1, 2], empty: '' } },
    ]);
    expect(first.cursor).toBeDefined();
    const rest = await trail.list(clubId, { limit: 10, ...(first.cursor ? { cursor: first.cursor } : {}) });
    expect(rest.entries.map((e) => e.before)).toEqual([{ name: 'v2' }, { name: 'v1' }, { name: 'v0' }]);
    expect(rest.cursor).toBeUndefined();
    expect((await trail.list(uniqueId('empty'), { limit: 10 })).entries).toEqual([]);
  });
});
