import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { SendingDomains } from '../core/sending-domains.js';

/** A JSON text holding a value of `schema`. */
const JsonText = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        const parsed: unknown = JSON.parse(text);
        return parsed;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** A comma-separated list; empty gives []. */
const CommaList = z.string().transform((text) => text.split(',').filter((item) => item.length > 0));

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
  /** The receipt archive's bucket (lib/constructs/model-fit.ts): ingest appends to it, the nightly fit reads it. */
  ARCHIVE_BUCKET: z.string().min(3).optional(),
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
  /** The S3 bucket of import files (lib/constructs/import-files.ts). */
  IMPORT_BUCKET_NAME: z.string().min(1).optional(),
  /** The queue of import job steps. */
  IMPORT_QUEUE_URL: z.url().optional(),
  /** The account's campaign send rate in mails per second, shared by all sendMail instances. */
  SEND_RATE_PER_SECOND: z.coerce.number().positive().optional(),
  /** The send queue's maxConcurrency: each sendMail instance paces itself at rate / concurrency. */
  SEND_MAX_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /**
   * Each club's sending domains (CDK context `sendingDomains`, the same JSON): a club may send only from
   * its own domains. Set on api and sendMail.
   */
  SENDING_DOMAINS: JsonText(SendingDomains).optional(),
  /** SQS queue for campaign schedules EventBridge Scheduler could not deliver (schedule DeadLetterConfig). */
  SCHEDULER_DEAD_LETTER_QUEUE_ARN: z.string().min(1).optional(),
  /** Schedule RetryPolicy.MaximumRetryAttempts (0-185). */
  SCHEDULER_MAX_RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(185).optional(),
  /** Schedule RetryPolicy.MaximumEventAgeInSeconds (60-86400). */
  SCHEDULER_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).optional(),
  /** Issuer of marketer JWTs (the Cognito user pool; locally the in-process OIDC issuer). */
  AUTH_ISSUER: z.url().optional(),
  /** The issuer's JWKS, for verifying JWT signatures. */
  AUTH_JWKS_URL: z.url().optional(),
  /** The console's app client id: the `client_id` (and ID token `aud`) of console sessions. */
  AUTH_CONSOLE_CLIENT_ID: z.string().min(1).optional(),
  /** Client-credentials app client ids, comma-separated: machine callers with per-club scopes. */
  AUTH_MACHINE_CLIENT_IDS: CommaList.optional(),
  /** The Cognito user pool of marketers: team invitations (AdminCreateUser) and addresses (ListUsers). */
  AUTH_USER_POOL_ID: z.string().min(1).optional(),
  /** Base URL of the hosted sign-in UI (`/oauth2/authorize`, `/oauth2/token`, `/logout` below it). */
  AUTH_HOSTED_UI_URL: z.url().optional(),
  /**
   * Set when CloudFront (with WAF) fronts the API: a secret whose value CloudFront sends in the
   * `x-origin-verify` header. Requests without it bypassed the WAF and must be refused.
   */
  ORIGIN_VERIFY_SECRET_ARN: z.string().min(1).optional(),
  /** The feedback SNS topic a new follow-up case is announced on (the api function only). */
  FEEDBACK_TOPIC_ARN: z.string().min(1).optional(),
  /**
   * How long a secret read through Powertools Parameters is kept, in seconds (Powertools' own
   * variable; our default is 300): a rotated secret reaches warm containers within this time.
   */
  POWERTOOLS_PARAMETERS_MAX_AGE: z.coerce.number().int().min(0).max(86_400).optional(),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnv>;

export class MissingEnvError extends ConfigError {
  constructor(name: string) {
    super(`Environment variable ${name} is required by this function but is not set`);
    this.name = 'MissingEnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined> = process.env): RuntimeEnv {
  const result = RuntimeEnv.safeParse(source);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ConfigError(`Invalid environment: ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'unknown'}`, {
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
