import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { demoGroceryClub } from '../../bin/demo-club.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { fitClubModel } from '../../lambdas/app/fit-club-model.js';
import type { ClubModel } from '../../lambdas/core/club-model.js';
import { type Harness, startHarness } from '../support/local-harness.js';

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
});
