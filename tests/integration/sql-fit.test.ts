import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { fitClubModel } from '../../lambdas/app/fit-club-model.js';
import type { ClubModel } from '../../lambdas/core/club-model.js';
import { apiFetch, type Harness, startHarness, uniqueId } from '../support/local-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const withoutTime = ({ fittedAt: _, ...model }: ClubModel) => model;

describe('the SQL fit on DuckDB', () => {
  it.each([
    ['the grocery demo club', demoGroceryClub],
    ['the bookstore demo club', demoBookstoreClub],
  ])('gives exactly the in-process model on %s', async (_name, demo) => {
    const club = demo(h.clock.now());
    await seedDemo(h.deps, club);
    // One member unsubscribes: neither fit may learn from their receipts.
    const leaver = club.members.find((m) => club.profiles.has(m.memberId));
    if (leaver) await h.deps.members.unsubscribe(club.club.clubId, leaver.memberId, h.clock.now(), 'test');

    const inProcess = await fitClubModel(h.deps, club.club.clubId);
    const sql = await h.modelFit.fitClub(club.club.clubId);

    expect(inProcess.members).toBeGreaterThan(10);
    expect(Object.keys(inProcess.successors).length).toBeGreaterThan(0);
    expect(withoutTime(sql)).toEqual(withoutTime(inProcess));
    expect(JSON.stringify(withoutTime(sql))).toBe(JSON.stringify(withoutTime(inProcess)));
    // And the stored model is the SQL one.
    expect(await h.deps.models.get(club.club.clubId)).toEqual(sql);
  });

  it("does not learn from an erased member, whose lines the archive's files still hold", async () => {
    const club = demoGroceryClub(h.clock.now(), 7, uniqueId('erased'));
    const clubId = club.club.clubId;
    await seedDemo(h.deps, club);
    const before = await h.modelFit.fitClub(clubId);
    const erased = club.members.find((m) => club.profiles.has(m.memberId))?.memberId ?? '';
    const response = await apiFetch(h, `/clubs/${clubId}/members/${erased}/erase`, { method: 'POST' });
    expect(response.status).toBe(200);
    // The archive is not rewritten (docs/retention.md): the member's lines are still in its files.
    const lines = await h.modelFit.sql.run(
      `SELECT count(*) AS n FROM receipt_lines WHERE club = '${clubId}' AND member_id = '${erased}'`,
    );
    expect(Number(lines[0]?.n)).toBeGreaterThan(0);
    // But the fit joins them with a snapshot of the members who exist: the erased one is not in it.
    const after = await h.modelFit.fitClub(clubId);
    expect(after.members).toBe(before.members - 1);
    expect(withoutTime(after)).toEqual(withoutTime(await fitClubModel(h.deps, clubId)));
  });
});
