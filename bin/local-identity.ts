/**
 * The local sign-ins `npm start` seeds and the scripts use (`npm run dev-token`, `npm run dlq`):
 * where the running issuer is, and the demo marketers' and the operator's passwords, under
 * `.data/identity/` (readable by this user only, like the link keys).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { newPassword } from '../lambdas/adapters/local-users.js';
import { ClubRole } from '../lambdas/core/roles.js';
import { clientCredentialsToken, signInWithPkce } from '../lambdas/runtime/oidc-client.js';

export const OPERATOR_EMAIL = 'operator@club-planner.local';

const SignIn = z.object({
  email: z.email(),
  password: z.string().min(12),
  /** The demo club and role; none for the operator. */
  clubId: z.string().optional(),
  role: ClubRole.optional(),
});
export type SignIn = z.infer<typeof SignIn>;

const SignIns = z.object({ signIns: z.array(SignIn) });

/** What `npm start` writes while it runs: where its issuer and API are, and the CLI client's secret. */
const Running = z.object({
  issuer: z.url(),
  tokenEndpoint: z.url(),
  api: z.url(),
  consoleClientId: z.string(),
  consoleRedirectUri: z.url(),
  cli: z.object({ clientId: z.string(), clientSecret: z.string() }),
});
export type Running = z.infer<typeof Running>;

const identityDir = (dataDir: string) => join(dataDir, 'identity');
const signInsFile = (dataDir: string) => join(identityDir(dataDir), 'sign-ins.json');
const runningFile = (dataDir: string) => join(identityDir(dataDir), 'running.json');

function writePrivate(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
}

/** The sign-ins of the operator and one marketer per demo club: made on the first start, the same after. */
export function demoSignIns(dataDir: string, marketers: readonly Omit<SignIn, 'password'>[]): SignIn[] {
  const file = signInsFile(dataDir);
  const known = existsSync(file) ? SignIns.parse(JSON.parse(readFileSync(file, 'utf8'))).signIns : [];
  const wanted = [{ email: OPERATOR_EMAIL }, ...marketers];
  const signIns = wanted.map((w) => ({
    ...w,
    password: known.find((k) => k.email === w.email)?.password ?? newPassword(),
  }));
  writePrivate(file, { signIns });
  return signIns;
}

export function writeRunning(dataDir: string, running: Running): void {
  writePrivate(runningFile(dataDir), running);
}

export function readRunning(dataDir: string): Running {
  const file = runningFile(dataDir);
  if (!existsSync(file)) throw new Error(`${file} is missing: start Club Planner with npm start first`);
  return Running.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A bearer token from the running local issuer: client credentials with club scopes, or a sign-in. */
export async function localToken(
  dataDir: string,
  who: { kind: 'scopes'; scope: string } | { kind: 'user'; email: string },
): Promise<string> {
  const running = readRunning(dataDir);
  try {
    if (who.kind === 'scopes') {
      return await clientCredentialsToken({ tokenEndpoint: running.tokenEndpoint, ...running.cli, scope: who.scope });
    }
    const file = signInsFile(dataDir);
    const signIns = existsSync(file) ? SignIns.parse(JSON.parse(readFileSync(file, 'utf8'))).signIns : [];
    const signIn = signIns.find((s) => s.email.toLowerCase() === who.email.toLowerCase());
    if (!signIn)
      throw new Error(`${who.email} is not a demo sign-in; they are: ${signIns.map((s) => s.email).join(', ')}`);
    return await signInWithPkce({
      issuer: running.issuer,
      clientId: running.consoleClientId,
      redirectUri: running.consoleRedirectUri,
      email: signIn.email,
      password: signIn.password,
    });
  } catch (error: unknown) {
    if (error instanceof TypeError)
      throw new Error(`the local issuer at ${running.issuer} does not answer: is npm start running?`);
    throw error;
  }
}
