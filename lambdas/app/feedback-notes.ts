import { RETENTION_DAYS } from '../core/retention.js';
import { DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

/**
 * A "you said, we did" note's audience: the members whose reasons touched its topic while their
 * comments are kept (docs/decisions/0038-closing-the-loop.md). Read once per plan context.
 */
export function topicAudience(
  deps: Pick<Deps, 'surveys'>,
  clubId: string,
  topic: string,
  now: Date,
): Promise<ReadonlySet<string>> {
  const since = new Date(now.getTime() - RETENTION_DAYS.surveyComment * DAY_MS);
  return deps.surveys.topicAudience(clubId, topic, since);
}
