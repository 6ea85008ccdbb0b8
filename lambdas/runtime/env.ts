import { z } from 'zod';

/**
 * The environment every Club Planner function reads, parsed once per cold start.
 * Only TABLE_NAME is always required; each handler asks for the rest with `requireEnv`.
 * Locally, bin/local.ts sets the endpoints to the in-process emulators.
 */
export const RuntimeEnv = z.object({
  TABLE_NAME: z.string().min(1),
  /** Set locally to the DynamoDB emulator; unset on AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Set locally to the local SES server; unset on AWS. */
  SES_ENDPOINT: z.url().optional(),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  PLAN_SHARD_QUEUE_URL: z.url().optional(),
  SEND_QUEUE_URL: z.url().optional(),
  SCHEDULER_GROUP_NAME: z.string().min(1).optional(),
  SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  PLAN_CAMPAIGN_FUNCTION_ARN: z.string().min(1).optional(),
  /** Base URL of the member pages, used for links in mail (no trailing slash). */
  PUBLIC_BASE_URL: z.url().optional(),
  /** Secrets Manager secret holding the token keys as JSON (see TokenKeys). */
  TOKEN_SECRET_ARN: z.string().min(1).optional(),
  /** Token keys as JSON, for local runs and tests; TOKEN_SECRET_ARN wins on AWS. */
  TOKEN_KEYS: z.string().min(1).optional(),
  /** Secrets Manager secret keying the hashes of erased addresses (docs/decisions/0008-preference-centre.md). */
  SUPPRESSION_SECRET_ARN: z.string().min(1).optional(),
  /** The same key given directly, for local runs and tests. */
  SUPPRESSION_KEY: z.string().min(32).optional(),
  /** The account's campaign send rate in mails per second, shared by all sendMail instances. */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  /** The send queue's maxConcurrency: each sendMail instance paces itself at rate / concurrency. */
  SEND_MAX_CONCURRENCY: z.coerce.number().int().positive().optional(),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

export class MissingEnvError extends Error {
  constructor(name: string) {
    super(`Environment variable ${name} is required by this function but is not set`);
    this.name = 'MissingEnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): RuntimeEnv {
  const result = RuntimeEnv.safeParse(source);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`Invalid environment: ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'unknown'}`, {
      cause: result.error,
    });
  }
  return result.data;
}

export function requireEnv<K extends keyof RuntimeEnv>(env: RuntimeEnv, name: K): NonNullable<RuntimeEnv[K]> {
  const value = env[name];
  if (value == null) throw new MissingEnvError(String(name));
  return value;
}
