import type { Node } from 'constructs';
import { z } from 'zod';
import { Id } from '../lambdas/core/model.js';
import { ClubRole } from '../lambdas/core/roles.js';
import { SendingDomains } from '../lambdas/core/sending-domains.js';
import { DEFAULT_SEND_MAX_CONCURRENCY, DEFAULT_SEND_RATE_PER_SECOND } from './constructs/club-functions.js';

/**
 * `-c key=value` gives strings, cdk.json gives JSON values: a list or object context value may be
 * either, so a string is parsed as JSON first (and a bad one is reported by the schema).
 */
function fromJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed;
  } catch {
    return value;
  }
}

const Flag = z.preprocess(fromJsonText, z.boolean());

/** The roles a marketer or machine client can hold on a club: the app's own (lambdas/core/roles.ts). */
export { ClubRole };

/**
 * A client-credentials app client for a machine (a CRM sync, say). Its access tokens carry one
 * `club-planner/club:<clubId>:<role>` scope per entry of `scopes`, and nothing else.
 */
export const MachineClient = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and dashes'),
    scopes: z.array(z.object({ clubId: Id, role: ClubRole }).strict()).min(1),
  })
  .strict();
export type MachineClient = z.infer<typeof MachineClient>;

const HttpsUrl = z.url({ protocol: /^https$/, error: 'use an https:// URL' });

/** The CDK context values Club Planner reads (`cdk synth -c stage=prod`), checked before any construct is built. */
export const ClubPlannerContext = z.object({
  /** Deployment stage, used to tag resources. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'stage must be lower-case letters, digits and dashes, starting with a letter')
    .default('dev'),
  /** Upper bound of concurrent sendMail invocations: the send-rate control (SQS event source maxConcurrency). */
  sendMaxConcurrency: z.coerce.number().int().min(2).max(1000).default(DEFAULT_SEND_MAX_CONCURRENCY),
  /** The account's SES max send rate in mails per second, shared by all sendMail instances. */
  sendRatePerSecond: z.coerce.number().positive().default(DEFAULT_SEND_RATE_PER_SECOND),
  /** Each club's sending domains: an SES identity with DKIM and MAIL FROM each (issue 21). */
  sendingDomains: z.preprocess(fromJsonText, SendingDomains).default([]),
  /**
   * Publish SES OPEN and CLICK events. UNSAFE with token links: it turns on SES's link rewriting, which
   * sends every unsubscribe and preference token through SES's tracking domain and into CLICK events.
   */
  engagementTracking: Flag.default(false),
  /**
   * Prefix of the Cognito hosted-UI domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the
   * region. @default club-planner-<stage>-<account id>
   */
  cognitoDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use lower-case letters, digits and dashes')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses prefixes with aws, amazon or cognito')
    .optional(),
  /** Where Cognito may send the console after sign-in. @default <public URL>/console/auth/callback */
  consoleCallbackUrls: z.preprocess(fromJsonText, z.array(HttpsUrl).min(1)).optional(),
  /** Where Cognito may send the console after sign-out. @default <public URL>/console/ */
  consoleLogoutUrls: z.preprocess(fromJsonText, z.array(HttpsUrl).min(1)).optional(),
  /** Client-credentials app clients with per-club scopes. @default none */
  machineClients: z
    .preprocess(fromJsonText, z.array(MachineClient))
    .default([])
    .refine((clients) => new Set(clients.map((c) => c.name)).size === clients.length, 'client names must differ'),
  /**
   * A WAFv2 web ACL of CLOUDFRONT scope (it lives in us-east-1): the stack puts a CloudFront distribution
   * in front of the API and attaches it. `wafStack` synthesises one (docs/decisions/0015-waf-through-cloudfront.md).
   */
  wafWebAclArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[a-f0-9-]{36}$/,
      'use the ARN of a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)',
    )
    .optional(),
  /** Also synthesise the ClubPlannerWaf stack (us-east-1) with a web ACL for `wafWebAclArn`. */
  wafStack: Flag.default(false),
});
export type ClubPlannerContext = z.infer<typeof ClubPlannerContext>;

/** Reads and validates the Club Planner context from a construct node (usually the App's). */
export function readContext(node: Node): ClubPlannerContext {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ClubPlannerContext.shape)) raw[key] = node.tryGetContext(key);
  const result = ClubPlannerContext.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid CDK context: ${issues}`, { cause: result.error });
  }
  return result.data;
}
