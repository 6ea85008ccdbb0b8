/**
 * `npm run --silent dev-token -- --club stadsbutiken --role editor`: a bearer token for curl, from the
 * issuer `npm start` runs (docs/decisions/0028-local-oidc-issuer.md). Prints the token and nothing else.
 *
 *   --club <id> --role viewer|editor|approver|admin   client credentials with `club-planner/club:<id>:<role>`
 *                                                     (repeat --club for several clubs with the same role)
 *   --user <e-mail>                                   sign in as a demo marketer (authorization code with PKCE)
 *   --operator                                        sign in as the local operator, who may create clubs
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Id } from '../lambdas/core/model.js';
import { ClubRole, clubScope } from '../lambdas/core/roles.js';
import { localToken, OPERATOR_EMAIL } from './local-identity.js';

const USAGE =
  'usage: npm run --silent dev-token -- --club <clubId> --role viewer|editor|approver|admin | --user <e-mail> | --operator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      club: { type: 'string', multiple: true },
      role: { type: 'string' },
      user: { type: 'string' },
      operator: { type: 'boolean', default: false },
    },
  });
  const dataDir = z.string().default('.data').parse(process.env.CLUB_PLANNER_DATA);
  if (values.operator || values.user) {
    process.stdout.write(`${await localToken(dataDir, { kind: 'user', email: values.user ?? OPERATOR_EMAIL })}\n`);
    return;
  }
  const role = ClubRole.safeParse(values.role);
  if (!values.club?.length || !role.success) throw new Error(USAGE);
  const clubs = values.club.map((club) => {
    const id = Id.safeParse(club);
    if (!id.success) throw new Error(`--club ${club}: ${id.error.issues[0]?.message ?? 'invalid'}`);
    return id.data;
  });
  const scope = clubs.map((clubId) => clubScope(clubId, role.data)).join(' ');
  process.stdout.write(`${await localToken(dataDir, { kind: 'scopes', scope })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
