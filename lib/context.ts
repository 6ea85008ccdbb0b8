import type { Node } from 'constructs';
import { z } from 'zod';
import { DEFAULT_SEND_MAX_CONCURRENCY, DEFAULT_SEND_RATE_PER_SECOND } from './constructs/club-functions.js';

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
});
export type ClubPlannerContext = z.infer<typeof ClubPlannerContext>;

/** Reads and validates the Club Planner context from a construct node (usually the App's). */
export function readContext(node: Node): ClubPlannerContext {
  const result = ClubPlannerContext.safeParse({
    stage: node.tryGetContext('stage'),
    sendMaxConcurrency: node.tryGetContext('sendMaxConcurrency'),
    sendRatePerSecond: node.tryGetContext('sendRatePerSecond'),
  });
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid CDK context: ${issues}`, { cause: result.error });
  }
  return result.data;
}
