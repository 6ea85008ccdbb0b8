import { z } from 'zod';
import { Id } from './model.js';

/**
 * One action on a club, as the audit trail keeps it: who (a principal id, core/principal.ts), what
 * (the route, `POST /clubs/:clubId/campaigns/:campaignId/approve`, and the ids in its path), when,
 * and the state before and after where the action changed one record (a campaign, the club's
 * settings, a team member's role). Bulk changes (members, receipts, the catalog) are recorded by
 * their counts, never by their content: the trail must hold no member's personal data.
 */
export const AuditEntry = z.object({
  clubId: Id,
  at: z.iso.datetime(),
  actor: z.string().min(1),
  action: z.string().min(1).max(200),
  target: z.record(z.string(), z.string()),
  /** The HTTP status the action answered. */
  status: z.number().int(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** The API Gateway request id (or the local one), to find the access-log line. */
  requestId: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** An entry's place in the trail: its time and id, `2026-03-01T09:00:00.000Z#<uuid>`. */
export const AUDIT_CURSOR = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9-]{1,64}$/;

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Where the previous page stopped (its `cursor`). */
  cursor: z.string().regex(AUDIT_CURSOR, 'use the cursor of the previous page').optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
