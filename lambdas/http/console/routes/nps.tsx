import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { listCases, moveCaseTo } from '../../../app/feedback-cases.js';
import { NpsQuery, type NpsReport, npsReport } from '../../../app/nps-report.js';
import { isOverdue, nextCaseStates } from '../../../core/feedback-case.js';
import { addDays, clubTimeZone, startOfLocalDay, toLocalDate } from '../../../core/local-time.js';
import { roleAllows } from '../../../core/roles.js';
import { DAY_MS } from '../../../core/units.js';
import { bandChart } from '../charts.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { messagePage, notFoundPage, page, seeOther } from '../respond.js';
import { type CaseRow, NPS_BAND, NPS_LINE, NpsBody, type NpsView } from '../screens/nps.js';
import { actorOf, clubBase, formBody, recordAction, refusalNotice, statusOf } from './shared.js';

const LocalDay = z.iso.date();
const CaseId = z.string().regex(/^[0-9a-f]{20}$/);
const CaseMove = z.object({ state: z.enum(['contacted', 'resolved']) });

/** A year back from today, in 90-day windows: what the screen shows before the marketer picks a period. */
const DEFAULT_DAYS = 365;
const DEFAULT_WINDOW = '90';

/** A point of the series every week, or fewer over long periods (about 52 points at most). */
const stepFor = (days: number) => Math.min(90, Math.max(7, Math.ceil(days / 52)));

type Issue = { readonly field: string; readonly message: string };

/**
 * The period the marketer asked for, as the API's NPS query (`GET /api/clubs/:club/nps`): local days
 * in the club's time zone, the last one included. Each problem names its field.
 */
function queryOf(form: NpsView['form'], zone: string): { query?: NpsQuery; issues: Issue[] } {
  const issues: Issue[] = [];
  for (const field of ['from', 'to'] as const) {
    if (!LocalDay.safeParse(form[field]).success) issues.push({ field, message: 'use a date such as 2026-01-31' });
  }
  if (issues.length > 0) return { issues };
  const from = startOfLocalDay(form.from, zone);
  const to = startOfLocalDay(addDays(form.to, 1), zone);
  const days = Math.max(1, Math.round((to.getTime() - from.getTime()) / DAY_MS));
  const parsed = NpsQuery.safeParse({
    from: from.toISOString(),
    to: to.toISOString(),
    window: form.window,
    step: stepFor(days),
  });
  if (parsed.success) return { query: parsed.data, issues };
  return {
    issues: parsed.error.issues.map((issue) => {
      const path = String(issue.path[0] ?? 'to');
      // The step follows from the period, so a period too long for it is the period's problem.
      return { field: path === 'step' ? 'to' : path, message: issue.message };
    }),
  };
}

/** The club's NPS (the same use case as the JSON API), its rolling windows, segments and follow-up queue. */
export function npsRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  routes.get('/nps', async (c) => {
    const req = requestOf(c);
    const { club, fmt, role } = clubOf(c);
    const { copy } = req;
    const zone = clubTimeZone(club);
    const now = deps.clock.now();
    const today = toLocalDate(now, zone);
    const form = {
      from: c.req.query('from') ?? addDays(today, 1 - DEFAULT_DAYS),
      to: c.req.query('to') ?? today,
      window: c.req.query('window') ?? DEFAULT_WINDOW,
    };
    const { query, issues } = queryOf(form, zone);
    const [report, open, contacted] = await Promise.all([
      query ? npsReport(deps, club.clubId, query) : Promise.resolve(undefined),
      listCases(deps, club.clubId, { state: 'open' }),
      listCases(deps, club.clubId, { state: 'contacted' }),
    ]);
    const mayMove = roleAllows(role, 'write');
    const cases: CaseRow[] = [...open, ...contacted]
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map((one) => ({
        caseId: one.caseId,
        memberId: one.memberId,
        score: one.score,
        state: one.state,
        ...(one.owner ? { owner: one.owner } : {}),
        openedAt: one.openedAt,
        dueAt: one.dueAt,
        overdue: isOverdue(one, now),
        next: mayMove ? nextCaseStates(one.state) : [],
      }));
    const view: NpsView = {
      copy,
      fmt,
      csrf: userOf(c).session.csrf,
      base: clubBase(c),
      form,
      issues,
      report,
      chart: report ? chartOf(report, copy.locale, zone) : undefined,
      cases,
    };
    const moved = c.req.query('done') === 'moved';
    return page(
      c,
      <Page
        req={req}
        user={userOf(c)}
        club={clubOf(c)}
        active="nps"
        title={copy.nps.title}
        notice={moved ? { kind: 'ok', text: copy.nps.moved } : undefined}
      >
        <NpsBody view={view} />
      </Page>,
      issues.length > 0 ? 400 : 200,
    );
  });

  routes.post('/nps/cases/:caseId', async (c: Context) => {
    const { club } = clubOf(c);
    const caseId = CaseId.safeParse(c.req.param('caseId'));
    if (!caseId.success) return notFoundPage(c);
    const body = await formBody(c);
    const move = CaseMove.safeParse({ state: body.get('state') });
    const { copy } = requestOf(c);
    if (!move.success) return messagePage(c, copy.nps.title, 'state: contacted or resolved', 400);
    const moved = await moveCaseTo(deps, club.clubId, caseId.data, move.data, actorOf(c));
    if (!moved.ok) return messagePage(c, copy.nps.title, refusalNotice(moved).text, statusOf(moved));
    // The same action name as the API's; the trail keeps the case's states, never a member's comment.
    await recordAction(
      deps,
      c,
      'PATCH /clubs/:clubId/feedback/cases/:caseId',
      { caseId: caseId.data },
      { before: moved.before, after: moved.case },
    );
    return seeOther(c, `${clubBase(c)}/nps?done=moved`);
  });

  return routes;
}

/** The rolling series as an SVG band chart (the band clipped to −100 … 100, where NPS lives). */
function chartOf(report: NpsReport, locale: string, zone: string): string | undefined {
  if (report.series.length === 0) return undefined;
  const tick = new Intl.DateTimeFormat(locale, { timeZone: zone, day: 'numeric', month: 'short' });
  return bandChart(
    report.series.map((point) => ({
      at: new Date(point.to),
      value: point.nps,
      low: point.nps === null || point.margin95 === null ? null : Math.max(-100, point.nps - point.margin95),
      high: point.nps === null || point.margin95 === null ? null : Math.min(100, point.nps + point.margin95),
      faint: point.tooFewToRead,
    })),
    { colour: NPS_LINE, band: NPS_BAND, tickFormat: (at) => tick.format(at) },
  );
}
