import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The synchronous import routes take small bodies; bigger files go through an import job (POST …/imports). */
export const SYNC_BODY_LIMITS = {
  /** About 2,000 member records. */
  members: 2 * 1024 * 1024,
  /** About 4,000 receipt lines or 2,000 receipts of JSON lines. */
  purchases: 1024 * 1024,
} as const;

const mebibytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** A 413 that says the limit and where larger files go, before the body is read whole. */
export function syncBodyLimit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        {
          error: 'payload-too-large',
          message: `(body): larger than ${mebibytes(maxSize)}; send bigger files as an import job (POST /api/clubs/:club/imports)`,
        },
        413,
      ),
  });
}
