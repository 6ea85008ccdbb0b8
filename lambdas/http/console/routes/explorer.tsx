import { type Context, Hono } from 'hono';
import { z } from 'zod';
import {
  advanceExplorer,
  type Explorer,
  explorerPage,
  readExplorer,
  TableCursor,
} from '../../../app/dry-run-explorer.js';
import { WATERFALL_STEPS, type WaterfallRow, waterfall } from '../../../core/reach-waterfall.js';
import { barChart } from '../charts.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { fragment, fromHtmx, notFoundPage, page, seeOther } from '../respond.js';
import { ExplorerBody, type ExplorerView } from '../screens/explorer.js';
import { campaignNames, clubBase, formBody, idOf } from './shared.js';

/** How long one request works on the exploration: well inside the 2 s a first page may take. */
export const SLICE_MS = 1200;
const TABLE_PAGE = 50;

const Step = z.enum(['members', ...WATERFALL_STEPS, 'mailed']);
const Reason = z.string().regex(/^[a-z-]+(:[A-Za-z0-9_-]+)?$/);
const Action = z.enum(['start', 'continue', 'restart']).catch('continue');

const encodeCursor = (cursor: TableCursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
function decodeCursor(value: string | undefined): TableCursor | undefined {
  if (!value) return undefined;
  try {
    const parsed = TableCursor.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A reason code as the marketer reads it; `outranked-by:<id>` and `folded-into:<id>` name the campaign. */
export function reasonName(copy: ConsoleCopy, names: ReadonlyMap<string, string>, reason: string): string {
  for (const [prefix, name] of [
    ['outranked-by:', copy.reasons.outranked],
    ['folded-into:', copy.reasons['folded-into']],
  ] as const) {
    if (!reason.startsWith(prefix)) continue;
    const id = reason.slice(prefix.length);
    return `${name}: ${names.get(id) ?? id}`;
  }
  const known = Object.entries(copy.reasons).find(([code]) => code === reason)?.[1];
  return typeof known === 'string' ? known : reason;
}

/** The reasons of a waterfall step (all of them for "members"), in the order the table lists them. */
function reasonsOf(rows: readonly WaterfallRow[], step: z.infer<typeof Step>): string[] {
  if (step === 'mailed') return ['send'];
  if (step === 'members') return ['send', ...rows.flatMap((r) => r.lost.map((l) => l.reason))];
  return rows.find((r) => r.step === step)?.lost.map((l) => l.reason) ?? [];
}

/** The dry-run explorer: who gets a campaign and why, worked out a slice at a time. */
export function explorerRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const view = async (c: Context, campaignId: string, explorer: Explorer | undefined, query: URLSearchParams) => {
    const req = requestOf(c);
    const { club, fmt } = clubOf(c);
    const base = `${clubBase(c)}/campaigns/${campaignId}`;
    const step = Step.safeParse(query.get('step'));
    const reason = Reason.safeParse(query.get('reason'));
    const rows = explorer ? waterfall(explorer.state.tally) : [];
    // Only the campaigns the reasons name (outranked by, folded into), read by id.
    const named = [...reasonsOf(rows, 'members'), ...(reason.success ? [reason.data] : [])].filter((r) =>
      r.includes(':'),
    );
    const names = await campaignNames(deps, club.clubId, named);
    const nameOf = (reason: string) => reasonName(req.copy, names, reason);
    const reasons = reason.success ? [reason.data] : reasonsOf(rows, step.success ? step.data : 'members');
    const filter = reason.success
      ? `reason=${encodeURIComponent(reason.data)}`
      : step.success
        ? `step=${step.data}`
        : '';
    const cursor = decodeCursor(query.get('cursor') ?? undefined);
    const tablePage = explorer ? await explorerPage(deps, explorer.header, reasons, cursor, TABLE_PAGE) : { rows: [] };
    const link = (params: string) => `${base}/dry-run${params ? `?${params}` : ''}`;
    const stepLabel = (s: WaterfallRow['step']) => req.copy.explorer.steps[s];
    const stepHref = (s: WaterfallRow['step']) => link(`step=${s}`);
    const total = explorer && !explorer.state.finishedAt ? await deps.memberDirectory.count(club.clubId) : 0;
    const status: ExplorerView['status'] = !explorer
      ? { kind: 'none' }
      : explorer.state.finishedAt
        ? {
            kind: 'done',
            finishedAt: explorer.state.finishedAt,
            judgedAt: explorer.state.judgedAt,
            stale: explorer.stale,
          }
        : {
            kind: 'running',
            done: explorer.state.tally.planned,
            total,
            judgedAt: explorer.state.judgedAt,
            stale: explorer.stale,
          };
    const title = reason.success
      ? req.copy.explorer.filteredBy(nameOf(reason.data))
      : step.success && step.data !== 'members'
        ? req.copy.explorer.filteredBy(stepLabel(step.data))
        : req.copy.explorer.all;
    const keep: Record<string, string> = {};
    if (reason.success) keep.reason = reason.data;
    if (step.success) keep.step = step.data;
    const data: ExplorerView = {
      copy: req.copy,
      fmt,
      csrf: userOf(c).session.csrf,
      action: `${base}/dry-run`,
      status,
      waterfall: rows.map((r) => ({ ...r, label: stepLabel(r.step), href: stepHref(r.step) })),
      reasonLink: (r) => link(`reason=${encodeURIComponent(r)}`),
      reasonName: nameOf,
      chart:
        rows.length > 0
          ? barChart(
              rows.map((r) => ({
                label: stepLabel(r.step),
                value: r.remaining,
                text: fmt.number(r.remaining),
                href: stepHref(r.step),
              })),
              { colour: '#1b4fbf' },
            )
          : undefined,
      table: {
        title,
        rows: tablePage.rows,
        previewLink: (memberId) => `${base}/preview?member=${encodeURIComponent(memberId)}`,
        ...('next' in tablePage && tablePage.next
          ? { next: link([filter, `cursor=${encodeCursor(tablePage.next)}`].filter(Boolean).join('&')) }
          : {}),
        ...(cursor ? { first: link(filter) } : {}),
      },
      keep,
    };
    return data;
  };

  routes.get('/campaigns/:campaignId/dry-run', async (c) => {
    const req = requestOf(c);
    const campaignId = idOf(c, 'campaignId');
    const campaign = campaignId ? await deps.campaigns.getCampaign(clubOf(c).club.clubId, campaignId) : undefined;
    if (!campaign) return notFoundPage(c);
    const explorer = await readExplorer(deps, campaign.clubId, campaign.campaignId);
    const data = await view(c, campaign.campaignId, explorer, new URL(c.req.url).searchParams);
    return page(
      c,
      <Page
        req={req}
        user={userOf(c)}
        club={clubOf(c)}
        active="campaigns"
        title={req.copy.explorer.title(campaign.name)}
      >
        <p>
          <a href={`${clubBase(c)}/campaigns/${campaign.campaignId}`}>{campaign.name}</a>
        </p>
        <ExplorerBody view={data} />
      </Page>,
    );
  });

  // Working it out writes only the snapshot: a viewer may (permissions.ts). htmx polls it; a button does without JavaScript.
  routes.post('/campaigns/:campaignId/dry-run', async (c) => {
    const campaignId = idOf(c, 'campaignId');
    const clubId = clubOf(c).club.clubId;
    if (!campaignId) return notFoundPage(c);
    const body = await formBody(c);
    const action = Action.parse(body.get('action'));
    const explorer = await advanceExplorer(deps, clubId, campaignId, {
      budgetMs: SLICE_MS,
      restart: action === 'restart',
    });
    if (!explorer) return notFoundPage(c);
    const query = new URLSearchParams();
    for (const name of ['reason', 'step']) {
      const value = body.get(name);
      if (value) query.set(name, value);
    }
    if (fromHtmx(c)) return fragment(c, <ExplorerBody view={await view(c, campaignId, explorer, query)} />);
    return seeOther(c, `${clubBase(c)}/campaigns/${campaignId}/dry-run${query.size > 0 ? `?${query}` : ''}`);
  });

  return routes;
}
