import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { caseDetail, listCases, moveCaseTo } from '../../app/feedback-cases.js';
import { topicAudience } from '../../app/feedback-notes.js';
import { NpsQuery, npsReport } from '../../app/nps-report.js';
import { CaseState, isOverdue } from '../../core/feedback-case.js';
import { feedbackOf } from '../../core/model.js';
import { principalId } from '../../core/principal.js';
import { ApiError } from '../api-error.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, queryOf, refused, requireClub } from './shared.js';

const CasesQuery = z.object({
  state: CaseState.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

const CaseMoveInput = z.object({ state: CaseState, note: z.string().trim().min(1).max(2000).optional() }).strict();

const ServiceCaseInput = z
  .object({
    /** A complaint to the club, or any other service case: either holds surveys back a while. */
    kind: z.enum(['complaint', 'service-case']),
    /** When it happened; now when left out. */
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const CaseId = z.string().regex(/^[0-9a-f]{20}$/, 'a case id is 20 hexadecimal digits');

/**
 * Feedback: the NPS with its margin, the follow-up cases of detractors' answers, the club's comment
 * topics with their audiences, and the members' complaints and service cases.
 */
export function feedbackRoutes(
  deps: Pick<
    Deps,
    'clubs' | 'members' | 'purchases' | 'surveys' | 'feedbackCases' | 'serviceContacts' | 'campaigns' | 'clock' | 'log'
  >,
): Hono {
  const routes = new Hono();

  routes.get('/nps', async (c) => {
    const clubId = idParam(c, 'clubId');
    const query = queryOf(c, NpsQuery);
    await requireClub(deps, clubId);
    return c.json(await npsReport(deps, clubId, query));
  });

  routes.get('/feedback/cases', async (c) => {
    const clubId = idParam(c, 'clubId');
    const query = queryOf(c, CasesQuery);
    await requireClub(deps, clubId);
    const now = deps.clock.now();
    const cases = await listCases(deps, clubId, {
      ...(query.state ? { state: query.state } : {}),
      ...(query.overdue === 'true' ? { overdueAt: now } : {}),
    });
    return c.json({ cases: cases.map((one) => ({ ...one, overdue: isOverdue(one, now) })) });
  });

  routes.get('/feedback/cases/:caseId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const caseId = caseIdParam(c.req.param('caseId'));
    await requireClub(deps, clubId);
    const detail = await caseDetail(deps, clubId, caseId);
    if (!detail) throw new ApiError(404, 'not-found', `case ${caseId} does not exist`);
    c.header('Cache-Control', 'no-store');
    return c.json(detail);
  });

  routes.patch('/feedback/cases/:caseId', async (c) => {
    const clubId = idParam(c, 'clubId');
    const caseId = caseIdParam(c.req.param('caseId'));
    const input = await jsonBody(c, CaseMoveInput);
    await requireClub(deps, clubId);
    const moved = await moveCaseTo(deps, clubId, caseId, input, principalId(principalOf(c)));
    if (!moved.ok) throw refused(moved);
    // The audit trail keeps the case's states, never the member's comment (it is not on the case).
    noteChange(c, { before: moved.before, after: moved.case });
    return c.json({ case: { ...moved.case, overdue: isOverdue(moved.case, deps.clock.now()) } });
  });

  routes.get('/feedback/topics', async (c) => {
    const clubId = idParam(c, 'clubId');
    const club = await requireClub(deps, clubId);
    const now = deps.clock.now();
    const topics = await Promise.all(
      feedbackOf(club).topics.map(async (topic) => ({
        id: topic.id,
        keywords: topic.keywords,
        members: (await topicAudience(deps, clubId, topic.id, now)).size,
      })),
    );
    return c.json({ topics });
  });

  routes.post('/members/:memberId/service-cases', async (c) => {
    const clubId = idParam(c, 'clubId');
    const memberId = idParam(c, 'memberId');
    const input = await jsonBody(c, ServiceCaseInput);
    await requireClub(deps, clubId);
    const now = deps.clock.now();
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime() + 60_000) throw new ApiError(400, 'validation', 'at: must not be in the future');
    const recorded = await deps.serviceContacts.record(clubId, memberId, at);
    if (recorded === 'not-found') throw new ApiError(404, 'not-found', `member ${memberId} does not exist`);
    deps.log.info('service case recorded', { clubId, memberId, kind: input.kind });
    return c.json({ recorded: { memberId, kind: input.kind, at: at.toISOString() } }, 201);
  });

  return routes;
}

function caseIdParam(value: string | undefined): string {
  const parsed = CaseId.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'validation', `caseId: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
