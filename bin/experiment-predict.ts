/**
 * `npm run --silent experiment:predict -- --club stadsbutiken [--members 1000] [--weeks 52] [--seed 2026] [--api URL]`:
 * runs the churn simulator (bench/lib/fatigue) for each arm of the club's policy experiment, with the
 * club's own budget and engagement rules, and stores the prediction beside the experiment
 * (`PUT /api/clubs/:club/experiment/prediction`), where `GET …/experiment` shows it next to what
 * the members did. With `npm start` running it signs in at the local issuer as an editor of the
 * club; elsewhere give a bearer token in `CLUB_PLANNER_TOKEN` (on AWS: a machine client's, from Cognito).
 * Run it again whenever the arms' policies change: the report marks a prediction for other policies stale.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { predictExperiment } from '../bench/lib/fatigue/experiment-prediction.js';
import { Experiment } from '../lambdas/core/experiment.js';
import type { ExperimentPrediction } from '../lambdas/core/experiment-ports.js';
import { Club, Id } from '../lambdas/core/model.js';
import { clubScope } from '../lambdas/core/roles.js';
import { localToken } from './local-identity.js';

const Count = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max, `at most ${max}`).default(fallback);

const Options = z.object({
  club: Id,
  api: z.url().default('http://localhost:3000'),
  members: Count(1000, 20_000),
  weeks: Count(52, 156),
  seed: z.coerce.number().int().default(2026),
});
type Options = z.infer<typeof Options>;

/** Read the club and its experiment from the API, simulate every arm, store the prediction. */
export async function runPrediction(options: Options, token: string): Promise<ExperimentPrediction> {
  const headers = { authorization: `Bearer ${token}` };
  const get = async (path: string) => {
    const url = `${options.api}/api/clubs/${options.club}${path}`;
    const response = await fetch(url, { headers }).catch((error: unknown) => {
      throw new Error(`cannot reach the API at ${options.api} (is npm start running?)`, { cause: error });
    });
    if (!response.ok) throw new Error(`GET ${path || '/'}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const club = z.object({ club: Club }).parse(await get('')).club;
  const experiment = z.object({ experiment: Experiment }).parse(await get('/experiment')).experiment;
  const prediction = predictExperiment(experiment, club, options, new Date());
  const response = await fetch(`${options.api}/api/clubs/${options.club}/experiment/prediction`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(prediction),
  });
  if (!response.ok) throw new Error(`PUT /experiment/prediction: ${response.status} ${await response.text()}`);
  return prediction;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      club: { type: 'string' },
      api: { type: 'string' },
      members: { type: 'string' },
      weeks: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  if (values.club === undefined) throw new Error('--club: required, the club whose experiment to predict');
  const parsed = Options.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--${String(issue?.path[0] ?? 'club')}: ${issue?.message ?? 'invalid'}`);
  }
  const options = parsed.data;
  const dataDir = z.string().default('.data').parse(process.env.CLUB_PLANNER_DATA);
  const token =
    process.env.CLUB_PLANNER_TOKEN ??
    (await localToken(dataDir, { kind: 'scopes', scope: clubScope(options.club, 'editor') }));
  const prediction = await runPrediction(options, token);
  for (const arm of prediction.arms)
    console.log(
      `${arm.armId}: left ${(100 * (arm.leftShareByMonth[arm.leftShareByMonth.length - 1] ?? 0)).toFixed(1)} % after ${arm.leftShareByMonth.length} months, ${arm.mailsPerMemberPerMonth} mails and ${arm.conversionsPerMemberPerMonth} conversions per member a month`,
    );
}

if (process.argv[1]?.endsWith('experiment-predict.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
