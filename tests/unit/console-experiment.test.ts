import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { Experiment } from '../../lambdas/core/experiment.js';
import type { MemberHistory } from '../../lambdas/core/experiment-outcomes.js';
import { experimentReport } from '../../lambdas/core/experiment-report.js';
import { Language } from '../../lambdas/core/vocabulary.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { leftChart } from '../../lambdas/http/console/experiment-chart.js';
import { formats } from '../../lambdas/http/console/format.js';
import { ExperimentBody, policyText } from '../../lambdas/http/console/screens/experiment.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T10:00:00Z');
const START = Date.parse('2026-10-20T00:00:00Z');

const experiment = Experiment.parse({
  clubId: 'club-1',
  experimentId: 'leaving-2027',
  status: 'running',
  arms: [
    { armId: 'budget', share: 0.9, policy: { type: 'club-budget' } },
    { armId: 'control', share: 0.1, policy: { type: 'no-campaign-mail' } },
  ],
  readableAfter: { minMembersPerArm: 50, minMonths: 3 },
  startedAt: new Date(START).toISOString(),
  updatedAt: new Date(START).toISOString(),
});

/** 12 members in the budget arm (two leave in November) and 3 in the control arm. */
const members: MemberHistory[] = Array.from({ length: 15 }, (_, i) => ({
  memberId: `m${i}`,
  armId: i < 12 ? 'budget' : 'control',
  assignedAt: START,
  ...(i < 2 ? { leftAt: Date.parse('2026-11-10T00:00:00Z') } : {}),
  mails: i < 12 ? [{ at: START + 3 * DAY, productIds: ['p1'] }] : [],
  receipts: [],
}));

async function render(language: Language): Promise<string> {
  const copy = COPY[language];
  const fmt = formats(copy, 'Europe/Stockholm');
  const report = {
    ...experimentReport(experiment, members, NOW, DEFAULT_ENGAGEMENT, undefined),
    countedAt: new Date(NOW).toISOString(),
    counting: null,
  };
  const chart = leftChart(
    report.months.flatMap((m) =>
      m.arms.flatMap((a) =>
        a.left
          ? [
              {
                armId: a.armId,
                at: new Date(`${m.month}-01T00:00:00Z`),
                ...a.left,
                value: a.left.estimate,
                open: !m.complete,
              },
            ]
          : [],
      ),
    ),
    [],
    {
      arms: ['budget', 'control'],
      colours: ['#1b4fbf', '#a8430f'],
      tickFormat: (d) => d.toISOString(),
      percent: String,
    },
  );
  return String(await ExperimentBody({ view: { copy, fmt, report, chart, predictedLeft: new Map() } }));
}

describe('the console’s experiment screen', () => {
  it('names each arm’s policy in every language, a fixed cap with its windows and gap', () => {
    for (const language of Language.options) {
      const copy = COPY[language].experiment;
      const fmt = formats(COPY[language], 'UTC');
      const text = policyText(copy, fmt, { type: 'fixed-cap', windows: [{ days: 7, max: 2 }], minGapHours: 48 });
      expect(text).toBe(copy.policies['fixed-cap'](copy.policies.cap('2', '7'), copy.policies.gap('48')));
      expect(policyText(copy, fmt, { type: 'no-campaign-mail' })).toBe(copy.policies['no-campaign-mail']);
    }
  });

  it.each(Language.options)('says in %s what is missing before the result may be read', async (language) => {
    const html = await render(language);
    const copy = COPY[language].experiment;
    expect(html).toContain(copy.notYet);
    // October is over (one whole month), November is over: two of three; the control arm has 3 of 50.
    expect(html).toContain(copy.missingMonths('3', '2'));
    expect(html).toContain(copy.missingMembers('50', '3'));
    expect(html).toContain(copy.predictionMissing);
  });

  it('draws one dot per row of the table, and shows the members who left with their interval', async () => {
    const html = await render('en');
    const table = html.slice(html.indexOf('id="experiment-table"'), html.indexOf('id="experiment-differences"'));
    const rows = table.split('<tr>').length - 2;
    // October, November, December, two arms each.
    expect(rows).toBe(6);
    const from = html.indexOf('<div class="chart">');
    const chart = html.slice(from, html.indexOf('</svg>', from));
    expect(chart.match(/<circle/g)?.length).toBe(rows);
    expect(table).toContain('16.7%');
  });
});
