import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { advanceExperimentCount } from '../../../app/experiment-count.js';
import { readExperimentReport } from '../../../app/experiment-report.js';
import type { ExperimentPrediction } from '../../../core/experiment-ports.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { type LeftPoint, leftChart, type PredictedPoint } from '../experiment-chart.js';
import { Page } from '../layout.js';
import { fragment, fromHtmx, page, seeOther } from '../respond.js';
import { ARM_COLOURS, ExperimentBody, type ExperimentReport, type ExperimentView } from '../screens/experiment.js';
import { SLICE_MS } from './explorer.js';
import { clubBase, formBody } from './shared.js';

const Action = z.enum(['continue', 'restart']).catch('continue');

/** A month of the report (`YYYY-MM`) as the first instant of it, where the chart places it. */
const monthStart = (month: string) => new Date(`${month}-01T00:00:00Z`);

/** The simulator's predicted share who left, per arm, for each month of the report (month 1 first). */
function predictedLeft(
  report: ExperimentReport,
  prediction: ExperimentPrediction | undefined,
): ReadonlyMap<string, readonly number[]> {
  const byArm = new Map<string, number[]>();
  if (!prediction || report.prediction.status === 'missing') return byArm;
  for (const arm of prediction.arms) {
    if (!report.experiment.arms.some((a) => a.armId === arm.armId)) continue;
    byArm.set(arm.armId, arm.leftShareByMonth.slice(0, report.months.length));
  }
  return byArm;
}

/** Members who left per month and arm, with the prediction dashed beside them. */
function chartOf(
  report: ExperimentReport,
  predicted: ReadonlyMap<string, readonly number[]>,
  view: Pick<ExperimentView, 'copy' | 'fmt'>,
) {
  if (report.months.length === 0) return undefined;
  const observed: LeftPoint[] = report.months.flatMap((month) =>
    month.arms.flatMap((arm) =>
      arm.left === null
        ? []
        : [
            {
              armId: arm.armId,
              at: monthStart(month.month),
              value: arm.left.estimate,
              low: arm.left.low,
              high: arm.left.high,
              open: !month.complete,
            },
          ],
    ),
  );
  const dashed: PredictedPoint[] = [...predicted].flatMap(([armId, shares]) =>
    shares.flatMap((value, i) => {
      const month = report.months[i];
      return month ? [{ armId, at: monthStart(month.month), value }] : [];
    }),
  );
  const tick = new Intl.DateTimeFormat(view.copy.locale, { timeZone: 'UTC', month: 'short', year: 'numeric' });
  return leftChart(observed, dashed, {
    arms: report.experiment.arms.map((a) => a.armId),
    colours: report.experiment.arms.map((_, i) => ARM_COLOURS[i % ARM_COLOURS.length] ?? ARM_COLOURS[0]),
    tickFormat: (at) => tick.format(at),
    percent: (share) => view.fmt.percent(share),
  });
}

/**
 * The club's policy experiment (the same use case as `GET /api/clubs/:club/experiment`), for every
 * role to read. Starting or changing it stays in the API, an admin's (docs/decisions/0052-console-experiment-screen.md).
 */
export function experimentRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const view = async (c: Context): Promise<ExperimentView> => {
    const { club, fmt } = clubOf(c);
    const { copy } = requestOf(c);
    const [report, prediction] = await Promise.all([
      readExperimentReport(deps, club.clubId),
      deps.experiments.getPrediction(club.clubId),
    ]);
    const predicted = report ? predictedLeft(report, prediction) : new Map<string, readonly number[]>();
    return {
      copy,
      fmt,
      report,
      chart: report ? chartOf(report, predicted, { copy, fmt }) : undefined,
      predictedLeft: predicted,
      countForm: { csrf: userOf(c).session.csrf, action: `${clubBase(c)}/experiment/count` },
    };
  };

  routes.get('/experiment', async (c) => {
    const req = requestOf(c);
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="experiment" title={req.copy.experiment.title}>
        <ExperimentBody view={await view(c)} />
      </Page>,
    );
  });

  // Counting writes only the report's stored count: a viewer may (permissions.ts), as for a campaign's report.
  routes.post('/experiment/count', async (c) => {
    const { club } = clubOf(c);
    const body = await formBody(c);
    const restart = Action.parse(body.get('action')) === 'restart';
    // "continue" from a page left open after its count finished starts nothing.
    await advanceExperimentCount(deps, club.clubId, { budgetMs: SLICE_MS, restart, onlyContinue: !restart });
    if (fromHtmx(c)) return fragment(c, <ExperimentBody view={await view(c)} />);
    return seeOther(c, `${clubBase(c)}/experiment`);
  });

  return routes;
}
