import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { configureExperiment, savePrediction } from '../../app/experiment.js';
import { advanceExperimentCount } from '../../app/experiment-count.js';
import { exportAssignments, readExperimentReport } from '../../app/experiment-report.js';
import { toCsv } from '../../core/csv.js';
import { ExperimentInput } from '../../core/experiment.js';
import { ExperimentPrediction } from '../../core/experiment-ports.js';
import { ApiError } from '../api-error.js';
import { noteChange } from '../auth/context.js';
import { idParam, jsonBody, queryOf, refused, requireClub } from './shared.js';

const ExportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
/** `restart`: count again from the start; otherwise a count under way goes on (or one starts). */
const CountInput = z
  .object({ restart: z.boolean().default(false) })
  .strict()
  .default({ restart: false });
/** About how long one call counts before it answers: well inside the API's timeout. */
const COUNT_BUDGET_MS = 2_000;

/**
 * The club's policy experiment (docs/decisions/0044-policy-experiment.md): its settings (an
 * admin's), the monthly report per arm with intervals and the simulator's prediction beside it, the
 * members' arms as a file, and the prediction the simulator tool stores.
 */
export function experimentRoutes(
  deps: Pick<Deps, 'clubs' | 'campaigns' | 'members' | 'purchases' | 'experiments' | 'snapshots' | 'clock' | 'log'>,
): Hono {
  const routes = new Hono();

  routes.get('/experiment', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const report = await readExperimentReport(deps, clubId);
    if (!report) throw new ApiError(404, 'not-found', `club ${clubId} has no experiment (PUT …/experiment starts one)`);
    return c.json(report);
  });

  // Count (or go on counting) the report a slice at a time; call again while `counting` is not null.
  routes.post('/experiment/count', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const { restart } = await jsonBody(c, CountInput, true);
    const count = await advanceExperimentCount(deps, clubId, { budgetMs: COUNT_BUDGET_MS, restart });
    const report = count ? await readExperimentReport(deps, clubId) : undefined;
    if (!report) throw new ApiError(404, 'not-found', `club ${clubId} has no experiment (PUT …/experiment starts one)`);
    return c.json(report);
  });

  routes.put('/experiment', async (c) => {
    const clubId = idParam(c, 'clubId');
    const input = await jsonBody(c, ExperimentInput);
    const result = await configureExperiment(deps, clubId, input);
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before, after: result.experiment });
    return c.json({ experiment: result.experiment }, result.before ? 200 : 201);
  });

  routes.get('/experiment/assignments', async (c) => {
    const clubId = idParam(c, 'clubId');
    const { format } = queryOf(c, ExportQuery);
    await requireClub(deps, clubId);
    const exported = await exportAssignments(deps, clubId);
    if (!exported) throw new ApiError(404, 'not-found', `club ${clubId} has no experiment`);
    const name = `${clubId}-${exported.experiment.experimentId}-arms`;
    c.header('Cache-Control', 'no-store');
    if (format === 'csv') {
      c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(
        toCsv(
          ['member_id', 'experiment_id', 'arm_id', 'assigned_at', 'stored'],
          exported.rows.map((r) => [r.memberId, r.experimentId, r.armId, r.assignedAt, r.stored ? 'yes' : 'no']),
        ),
      );
    }
    c.header('Content-Disposition', `attachment; filename="${name}.json"`);
    return c.json({ experimentId: exported.experiment.experimentId, assignments: exported.rows });
  });

  routes.put('/experiment/prediction', async (c) => {
    const clubId = idParam(c, 'clubId');
    await requireClub(deps, clubId);
    const prediction = await jsonBody(c, ExperimentPrediction);
    const result = await savePrediction(deps, clubId, prediction);
    if (!result.ok) throw refused(result);
    return c.json({ prediction: result.prediction });
  });

  return routes;
}
