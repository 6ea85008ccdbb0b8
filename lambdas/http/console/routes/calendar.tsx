import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { z } from 'zod';
import { forecastReach } from '../../../app/reach-forecast.js';
import { addDays, clubTimeZone, mondayOf, startOfLocalDay, toLocalDate } from '../../../core/local-time.js';
import type { Campaign } from '../../../core/model.js';
import { DAY_MS } from '../../../core/units.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import type { Formats } from '../format.js';
import { Page } from '../layout.js';
import { page } from '../respond.js';
import { StatusBadge } from '../screens/campaign-page.js';
import { clubBase } from './shared.js';

const View = z.enum(['week', 'month']).catch('week');
const LocalDay = z.iso.date();

/** Two campaigns within this of each other compete for the same members' budget: flagged. */
const OVERLAP_MS = DAY_MS;

interface DayCell {
  readonly date: string;
  readonly inPeriod: boolean;
  readonly today: boolean;
  readonly campaigns: ReadonlyArray<{
    readonly campaign: Campaign;
    readonly href: string;
    readonly overlaps: readonly string[];
    readonly expected?: number;
  }>;
  readonly sent: number;
  readonly expected: number;
  readonly heldBack: number;
}

const Day: FC<{ copy: ConsoleCopy; fmt: Formats; day: DayCell }> = ({ copy, fmt, day }) => (
  <li class={[day.inPeriod ? '' : 'other', day.today ? 'today' : ''].filter(Boolean).join(' ') || undefined}>
    <h3>
      {fmt.day(day.date)}
      {day.today ? <span class="vh"> ({copy.today})</span> : null}
    </h3>
    {day.campaigns.length === 0 ? null : (
      <ul>
        {day.campaigns.map(({ campaign, href, overlaps, expected }) => (
          <li>
            <a href={href}>{campaign.name}</a> <StatusBadge copy={copy} campaign={campaign} />
            {expected === undefined ? null : <span class="help"> {copy.campaignReach(fmt.number(expected))}</span>}
            {overlaps.length > 0 ? (
              <p class="flag">
                <span aria-hidden="true">⚠ </span>
                {copy.overlap(overlaps.join(', '))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    )}
    {day.sent + day.expected + day.heldBack > 0 ? (
      <p class="totals">
        {day.sent > 0 ? (
          <>
            {copy.sentActual}: {fmt.number(day.sent)}
            <br />
          </>
        ) : null}
        {day.expected + day.heldBack > 0 ? (
          <>
            {copy.expected}: {fmt.number(day.expected)}
            <br />
            {copy.heldBack}: {fmt.number(day.heldBack)}
          </>
        ) : null}
      </p>
    ) : null}
  </li>
);

/** The calendar: a week or a month of campaigns, overlaps flagged, and per day what goes out and what the budget holds back. */
export function calendarRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();
  routes.get('/calendar', async (c) => {
    const req = requestOf(c);
    const { copy } = req;
    const { club, fmt } = clubOf(c);
    const zone = clubTimeZone(club);
    const now = deps.clock.now();
    const today = toLocalDate(now, zone);
    const view = View.parse(c.req.query('view'));
    const anchor = LocalDay.safeParse(c.req.query('date'));
    const at = anchor.success ? anchor.data : today;
    const periodStart = view === 'week' ? mondayOf(at) : `${at.slice(0, 7)}-01`;
    const nextMonth = `${addDays(`${at.slice(0, 7)}-01`, 32).slice(0, 7)}-01`;
    const periodEnd = view === 'week' ? addDays(periodStart, 6) : addDays(nextMonth, -1);
    const gridStart = mondayOf(periodStart);
    const gridEnd = addDays(mondayOf(periodEnd), 6);
    const dates: string[] = [];
    for (let d = gridStart; d <= gridEnd; d = addDays(d, 1)) dates.push(d);

    const windowEnd = startOfLocalDay(addDays(gridEnd, 1), zone);
    // The grid's campaigns, and those a day either side that may overlap them: read by send time (ADR 0059).
    const campaigns = (
      await deps.campaigns.campaignsBetween(
        club.clubId,
        new Date(startOfLocalDay(gridStart, zone).getTime() - OVERLAP_MS),
        new Date(windowEnd.getTime() + OVERLAP_MS),
      )
    ).filter((x) => x.status !== 'cancelled');
    const shown = campaigns.filter((x) => {
      const day = toLocalDate(x.sendAt, zone);
      return day >= gridStart && day <= gridEnd;
    });
    const overlapsOf = (x: Campaign) =>
      campaigns
        .filter(
          (o) => o.campaignId !== x.campaignId && Math.abs(Date.parse(o.sendAt) - Date.parse(x.sendAt)) < OVERLAP_MS,
        )
        .map((o) => o.name);
    const [forecast, sent] = await Promise.all([
      windowEnd.getTime() > now.getTime() ? forecastReach(deps, club, { from: now, to: windowEnd }) : undefined,
      Promise.all(
        dates
          .filter((d) => d <= today)
          .map(async (d) => [d, (await deps.deliveryStats.clubCounts(club.clubId, d, d)).sent] as const),
      ),
    ]);
    const sentOn = new Map(sent);
    const days: DayCell[] = dates.map((date) => ({
      date,
      inPeriod: date >= periodStart && date <= periodEnd,
      today: date === today,
      campaigns: shown
        .filter((x) => toLocalDate(x.sendAt, zone) === date)
        .sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt))
        .map((campaign) => {
          const reach = forecast?.campaigns.get(campaign.campaignId);
          return {
            campaign,
            href: `${clubBase(c)}/campaigns/${campaign.campaignId}`,
            overlaps: overlapsOf(campaign),
            ...(reach ? { expected: reach.expected } : {}),
          };
        }),
      sent: sentOn.get(date) ?? 0,
      expected: date >= today ? (forecast?.days.get(date)?.expected ?? 0) : 0,
      heldBack: date >= today ? (forecast?.days.get(date)?.heldBack ?? 0) : 0,
    }));
    const base = `${clubBase(c)}/calendar`;
    const previous = addDays(periodStart, view === 'week' ? -7 : -1);
    const next = addDays(periodEnd, 1);
    const weekdays = dates.slice(0, 7).map((d) => fmt.weekday(d));
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="calendar" title={copy.calendarTitle}>
        <nav aria-label={copy.calendarTitle} class="actions">
          <a class="button secondary" href={`${base}?view=${view}&date=${previous}`}>
            {copy.previousPeriod}
          </a>
          <a class="button secondary" href={`${base}?view=${view}&date=${today}`}>
            {copy.today}
          </a>
          <a class="button secondary" href={`${base}?view=${view}&date=${next}`}>
            {copy.nextPeriod}
          </a>
          <a
            class="button secondary"
            href={`${base}?view=week&date=${at}`}
            aria-current={view === 'week' ? 'page' : undefined}
          >
            {copy.week}
          </a>
          <a
            class="button secondary"
            href={`${base}?view=month&date=${at}`}
            aria-current={view === 'month' ? 'page' : undefined}
          >
            {copy.month}
          </a>
        </nav>
        <h2>{view === 'week' ? copy.weekOf(fmt.day(periodStart)) : fmt.month(periodStart)}</h2>
        <ul class="calendar">
          {weekdays.map((w) => (
            <li class="weekday" aria-hidden="true">
              {w}
            </li>
          ))}
          {days.map((day) => (
            <Day copy={copy} fmt={fmt} day={day} />
          ))}
        </ul>
        {forecast ? (
          <p class="help">{copy.estimateNote(fmt.number(forecast.sampled), fmt.number(forecast.members))}</p>
        ) : null}
        <p class="help">{copy.overlapNote}</p>
        <p class="help">{copy.draftNote}</p>
      </Page>,
    );
  });
  return routes;
}
