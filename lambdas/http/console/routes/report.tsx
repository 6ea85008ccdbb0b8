import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { advanceResults, type ResultsState, readResults } from '../../../app/campaign-results.js';
import { addDays, clubTimeZone, toLocalDate } from '../../../core/local-time.js';
import type { Campaign } from '../../../core/model.js';
import { compareRates } from '../../../core/uplift.js';
import { dailyChart } from '../charts.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { fragment, fromHtmx, notFoundPage, page, seeOther } from '../respond.js';
import { type MetricRow, ReportBody, type ReportView } from '../screens/report.js';
import { SLICE_MS } from './explorer.js';
import { clubBase, formBody, idOf } from './shared.js';

const Action = z.enum(['continue', 'restart']).catch('continue');
const WindowDays = z.coerce.number().int().min(1).max(60);

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** The report's measures: counts, rates, and for unsubscribes and conversions the control group and the difference. */
function metricsOf(state: ResultsState, delivered: number): MetricRow[] {
  const { counts } = state;
  const against = (mailed: number, control: number): Pick<MetricRow, 'control' | 'difference'> => {
    if (counts.holdout === 0) return {};
    const c = compareRates(mailed, counts.sent, control, counts.holdout);
    return {
      control: { count: control, rate: c.control.rate },
      ...(c.difference
        ? {
            difference: { value: c.difference.value, low: c.difference.interval.low, high: c.difference.interval.high },
          }
        : {}),
    };
  };
  return [
    { key: 'planned', mailed: counts.planned },
    { key: 'sent', mailed: counts.sent, mailedRate: share(counts.sent, counts.planned) },
    { key: 'delivered', mailed: delivered, mailedRate: share(delivered, counts.sent) },
    { key: 'bounced', mailed: counts.bounced, mailedRate: share(counts.bounced, counts.sent) },
    { key: 'complained', mailed: counts.complained, mailedRate: share(counts.complained, counts.sent) },
    { key: 'clicked', mailed: counts.clicked, mailedRate: share(counts.clicked, counts.sent) },
    {
      key: 'unsubscribed',
      mailed: counts.unsubscribed,
      mailedRate: share(counts.unsubscribed, counts.sent),
      ...against(counts.unsubscribed, counts.holdoutUnsubscribed),
    },
    {
      key: 'converted',
      mailed: counts.converted,
      mailedRate: share(counts.converted, counts.sent),
      ...against(counts.converted, counts.holdoutConverted),
    },
  ];
}

/** A campaign's report: what it did, against its control group, and per day. */
export function reportRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const view = async (
    c: Context,
    campaign: Campaign,
    results: { state: ResultsState } | undefined,
  ): Promise<ReportView> => {
    const req = requestOf(c);
    const { club, fmt } = clubOf(c);
    const zone = clubTimeZone(club);
    const counters = await deps.deliveryStats.campaignCounts(club.clubId, campaign.campaignId);
    const state = results?.state;
    const first = toLocalDate(campaign.sendAt, zone);
    const days = state
      ? Array.from({ length: state.windowDays + 1 }, (_, i) => addDays(first, i)).map((day) => ({
          day,
          label: fmt.day(day),
          sent: 0,
          clicked: 0,
          converted: 0,
          holdoutConverted: 0,
          unsubscribed: 0,
          ...state.days[day],
        }))
      : [];
    const copy = req.copy;
    const series = [
      {
        name: copy.report.metrics.clicked,
        colour: '#1b4fbf',
        points: days.map((d) => ({ day: d.label, value: d.clicked })),
      },
      {
        name: copy.report.metrics.converted,
        colour: '#0b5d1e',
        points: days.map((d) => ({ day: d.label, value: d.converted })),
      },
      {
        name: `${copy.report.metrics.converted} (${copy.report.holdout})`,
        colour: '#9a5b00',
        points: days.map((d) => ({ day: d.label, value: d.holdoutConverted })),
      },
    ];
    return {
      copy,
      fmt,
      csrf: userOf(c).session.csrf,
      action: `${clubBase(c)}/campaigns/${campaign.campaignId}/report`,
      windowDays: state?.windowDays ?? 7,
      status: !state
        ? { kind: 'none' }
        : state.finishedAt
          ? { kind: 'done', finishedAt: state.finishedAt }
          : { kind: 'running', done: state.counts.sent + state.counts.holdout },
      sent: campaign.status === 'planning' || campaign.status === 'planned',
      holdout: (state?.counts.holdout ?? 0) > 0,
      metrics: state ? metricsOf(state, counters.delivered ?? 0) : [],
      days,
      chart: days.length > 0 ? dailyChart(series, { days: days.map((d) => d.label) }) : undefined,
      legend: days.length > 0 ? series.map(({ name, colour }) => ({ name, colour })) : [],
    };
  };

  routes.get('/campaigns/:campaignId/report', async (c) => {
    const req = requestOf(c);
    const campaignId = idOf(c, 'campaignId');
    const campaign = campaignId ? await deps.campaigns.getCampaign(clubOf(c).club.clubId, campaignId) : undefined;
    if (!campaign) return notFoundPage(c);
    const results = await readResults(deps, campaign.clubId, campaign.campaignId);
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="campaigns" title={req.copy.report.title(campaign.name)}>
        <p>
          <a href={`${clubBase(c)}/campaigns/${campaign.campaignId}`}>{campaign.name}</a>
        </p>
        <ReportBody view={await view(c, campaign, results)} />
      </Page>,
    );
  });

  // Counting writes only the report's snapshot: a viewer may (permissions.ts).
  routes.post('/campaigns/:campaignId/report', async (c) => {
    const { club } = clubOf(c);
    const campaignId = idOf(c, 'campaignId');
    const campaign = campaignId ? await deps.campaigns.getCampaign(club.clubId, campaignId) : undefined;
    if (!campaign) return notFoundPage(c);
    const body = await formBody(c);
    const windowDays = WindowDays.safeParse(body.get('windowDays'));
    const results = await advanceResults(deps, campaign, clubTimeZone(club), {
      budgetMs: SLICE_MS,
      restart: Action.parse(body.get('action')) === 'restart',
      ...(windowDays.success ? { windowDays: windowDays.data } : {}),
    });
    if (fromHtmx(c)) return fragment(c, <ReportBody view={await view(c, campaign, results)} />);
    return seeOther(c, `${clubBase(c)}/campaigns/${campaign.campaignId}/report`);
  });

  return routes;
}
