import { describe, expect, it } from 'vitest';
import { SendOnlyDropReason, SuppressReason } from '../../lambdas/core/reasons.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { outcomeView } from '../../lambdas/http/console/routes/campaign-outcome.js';
import { reasonName } from '../../lambdas/http/console/routes/explorer.js';
import { campaignNames } from '../../lambdas/http/console/routes/shared.js';
import { memoryDeps } from '../../lambdas/runtime/memory-deps.js';
import { aCampaign } from './fixtures.js';

describe('a planned campaign’s outcome on its console page', () => {
  it('names every reason a planned mail can be stopped for just before sending, in every language', () => {
    for (const [language, copy] of Object.entries(COPY)) {
      const names = SendOnlyDropReason.options.map((reason) => reasonName(copy, new Map(), reason));
      for (const [i, reason] of SendOnlyDropReason.options.entries())
        expect(names[i], `${language}: ${reason}`).not.toBe(reason);
      expect(new Set(names).size, language).toBe(names.length);
      // And none of them is named as a plan's reason is: the marketer can tell them apart.
      const planNames = new Set(SuppressReason.options.map((reason) => reasonName(copy, new Map(), reason)));
      for (const name of names) expect(planNames.has(name), `${language}: ${name}`).toBe(false);
    }
  });

  it('puts the plan’s and the send’s reasons side by side, one row per reason, the plan’s first', () => {
    const campaign = aCampaign({ status: 'planned' });
    const view = outcomeView(
      {
        campaign,
        planned: 10,
        toSend: 6,
        suppressed: { unsubscribed: 2, 'outranked-by:big-week': 1, holdout: 1, paused: 0 },
        sent: 3,
        queued: 1,
        unknown: 1,
        dropped: { 'no-eligible-offers': 1, unsubscribed: 1 },
      },
      COPY.en,
      new Map([['big-week', 'Big week']]),
    );
    expect(view).toEqual({
      planning: false,
      planned: 10,
      toSend: 6,
      sent: 3,
      toGo: 2,
      stopped: 2,
      reasons: [
        { name: 'Unsubscribed', atPlan: 2, atSend: 1 },
        { name: 'Outranked by another campaign: Big week', atPlan: 1, atSend: 0 },
        { name: 'In the control group', atPlan: 1, atSend: 0 },
        { name: 'No offer fits their diet', atPlan: 0, atSend: 1 },
      ],
    });
  });

  it('says a plan still running is partial, and a cancelled campaign has nothing left to go', () => {
    const counts = { planned: 4, toSend: 4, suppressed: {}, sent: 1, queued: 3, unknown: 0, dropped: {} };
    const planning = outcomeView({ ...counts, campaign: aCampaign({ status: 'planning' }) }, COPY.sv, new Map());
    expect(planning).toMatchObject({ planning: true, toGo: 3, reasons: [] });
    const cancelled = outcomeView({ ...counts, campaign: aCampaign({ status: 'cancelled' }) }, COPY.da, new Map());
    expect(cancelled).toMatchObject({ planning: false, toGo: 0 });
  });
});

describe('the names of the campaigns a page refers to', () => {
  it('reads only the campaigns the ids or reasons name, and leaves out those that do not exist', async () => {
    const { deps } = memoryDeps();
    const clubId = 'club-names';
    for (const [campaignId, name] of [
      ['big-week', 'Big week'],
      ['weekly', 'Weekly'],
      ['unnamed', 'Never asked'],
    ])
      await deps.campaigns.createCampaign(aCampaign({ clubId, campaignId, name }));
    const names = await campaignNames(deps, clubId, ['outranked-by:big-week', 'folded-into:weekly', 'gone', 'weekly']);
    expect(names).toEqual(
      new Map([
        ['big-week', 'Big week'],
        ['weekly', 'Weekly'],
      ]),
    );
    expect(reasonName(COPY.sv, names, 'outranked-by:big-week')).toBe(`${COPY.sv.reasons.outranked}: Big week`);
  });
});
