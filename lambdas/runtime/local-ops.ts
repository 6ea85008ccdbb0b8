import { Hono, type MiddlewareHandler } from 'hono';
import type { LocalWorkQueue } from '../adapters/local-work-queue.js';
import { isOperator } from '../core/principal.js';
import { principalOf } from '../http/auth/context.js';

/** The ops routes are an operator's (a marketer of the operators group), after the bearer check. */
export function operatorsOnly(): MiddlewareHandler {
  return async (c, next) => {
    if (isOperator(principalOf(c))) return next();
    return c.json({ error: 'forbidden', message: 'the ops routes need a marketer of the operators group' }, 403);
  };
}

/**
 * Dead-letter inspection and redrive for the local queues, as `npm run dlq` uses them. Local only:
 * on AWS the same tool talks to SQS (bin/dlq.ts), so no ops route sits on the public API. Locally
 * they need an operator's bearer token (`operatorsOnly`), like the marketer API needs one.
 */
export function localOpsRoutes(queues: Readonly<Record<string, LocalWorkQueue<unknown>>>): Hono {
  const ops = new Hono();
  ops.get('/dead-letters', (c) =>
    c.json({
      queues: Object.fromEntries(
        Object.entries(queues).map(([name, queue]) => [
          name,
          queue.dlq.map((m) => ({ messageId: m.messageId, receiveCount: m.receiveCount, body: m.body })),
        ]),
      ),
    }),
  );
  ops.post('/dead-letters/:queue/redrive', (c) => {
    const name = c.req.param('queue');
    const queue = Object.hasOwn(queues, name) ? queues[name] : undefined;
    if (!queue)
      return c.json(
        { error: 'not-found', message: `queue: no queue named "${name}"; try ${Object.keys(queues).join(', ')}` },
        404,
      );
    return c.json({ queue: name, moved: queue.redrive() });
  });
  return ops;
}
