import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SnapshotHeader, SnapshotRows } from '../core/console-ports.js';
import type { Decision } from '../core/decision.js';
import { judgedAt } from '../core/forecast.js';
import { MEMBER_SHARDS } from '../core/jobs.js';
import { QUIET_HOURS_DEFERRED } from '../core/reasons.js';
import { MINUTE_MS } from '../core/units.js';
import type { CampaignContext } from './campaign-context.js';
import type { Deps } from './deps.js';
import { dryRunDecider, loadDryRunContext } from './dry-run.js';
import { armsOfPage } from './experiment-arms.js';

/**
 * The dry-run explorer (docs/decisions/0034-forecasts-and-the-explorer.md): who gets a campaign and
 * why, for every member of a club of any size, worked out a slice at a time. Each call advances
 * every member shard by pages of 100 until its time budget is spent, stores each page's members
 * grouped by reason, and adds to the tally in the snapshot's header. Pages are read back by reason,
 * so a table of one reason's members is one prefix query, whatever the club's size. The run is
 * judged at one instant (when it started), so every slice decides as the first did and a slice done
 * twice (two open tabs) writes the same rows. Each member is decided under their arm of the club's
 * running experiment (app/experiment-arms.ts, `store: false`), as the API's dry-run decides them.
 */

export const PAGE = 100;
/** A run's first round reads this many members of each shard: its first page comes soon, whatever the load. */
export const FIRST_PAGE = 10;
/** The fewest members of a shard a later round reads. */
const MIN_PAGE = 5;
/** A new run's first slice works about this long, so its first page comes soon; the page's polls carry on. */
export const FIRST_SLICE_MS = 400;

const Tally = z.object({
  planned: z.number().int().min(0),
  toSend: z.number().int().min(0),
  suppressed: z.record(z.string(), z.number().int().min(0)),
  deferred: z.record(z.string(), z.number().int().min(0)),
});
export type Tally = z.infer<typeof Tally>;

export const ExplorerState = z.object({
  /** The campaign as worked out (its `updatedAt`): an edit makes the snapshot stale. */
  campaignVersion: z.string(),
  startedAt: z.iso.datetime(),
  judgedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  shards: z.array(z.object({ cursor: z.string().optional(), seq: z.number().int().min(0), done: z.boolean() })),
  tally: Tally,
  /** Milliseconds per member of the last round: how many members the next round reads to keep to its time. */
  pace: z.number().positive().optional(),
});
export type ExplorerState = z.infer<typeof ExplorerState>;

/** One member in the explorer's table. */
export const ExplorerRow = z.object({
  memberId: z.string(),
  firstName: z.string(),
  /** `send`, or the suppression's reason code. */
  reason: z.string(),
  message: z.string(),
});
export type ExplorerRow = z.infer<typeof ExplorerRow>;

export interface Explorer {
  readonly header: SnapshotHeader;
  readonly state: ExplorerState;
  /** The campaign changed since this was worked out. */
  readonly stale: boolean;
}

type ExplorerDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'popularity'
  | 'models'
  | 'snapshots'
  | 'surveys'
  | 'experiments'
  | 'automations'
  | 'clock'
  | 'log'
>;

const reasonOf = (d: Decision) => (d.outcome === 'send' ? 'send' : d.reason);
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** A page's row key: reason first, so one reason's members are one prefix, in shard and page order. */
export const rowKey = (reason: string, shard: number, seq: number) => `${reason}#${pad(shard, 3)}#${pad(seq, 6)}`;

/** The explorer's snapshot of a campaign, if one was started. */
export async function readExplorer(
  deps: Pick<Deps, 'snapshots' | 'campaigns'>,
  clubId: string,
  campaignId: string,
): Promise<Explorer | undefined> {
  const [header, campaign] = await Promise.all([
    deps.snapshots.getHeader(clubId, 'dry-run', campaignId),
    deps.campaigns.getCampaign(clubId, campaignId),
  ]);
  if (!header || !campaign) return undefined;
  const state = ExplorerState.safeParse(header.state);
  if (!state.success) return undefined;
  return { header, state: state.data, stale: state.data.campaignVersion !== campaign.updatedAt };
}

/** Campaign contexts of running explorations, so each slice does not read the catalog and model again. */
const contexts = new Map<string, { readonly context: CampaignContext; readonly at: number }>();
const CONTEXT_TTL_MS = 5 * MINUTE_MS;

async function contextFor(
  deps: ExplorerDeps,
  clubId: string,
  campaignId: string,
  runId: string,
): Promise<CampaignContext | undefined> {
  const key = `${clubId}/${campaignId}/${runId}`;
  const now = Date.now();
  const cached = contexts.get(key);
  if (cached && now - cached.at < CONTEXT_TTL_MS) return cached.context;
  const context = await loadDryRunContext(deps, clubId, campaignId);
  for (const [k, v] of contexts) if (now - v.at >= CONTEXT_TTL_MS) contexts.delete(k);
  if (context) contexts.set(key, { context, at: now });
  return context;
}

/**
 * Start (or, with `restart` or after an edit, start again) and advance the exploration of a
 * campaign for about `budgetMs` (a new run's first slice for FIRST_SLICE_MS at most). Each round reads
 * a page of every unfinished shard, sized by the pace of the round before to fit the time left (a
 * run's first round FIRST_PAGE members a shard, none more than PAGE). Returns the snapshot as it
 * stands; undefined for no such campaign.
 */
export async function advanceExplorer(
  deps: ExplorerDeps,
  clubId: string,
  campaignId: string,
  options: { readonly budgetMs: number; readonly restart?: boolean },
): Promise<Explorer | undefined> {
  const began = Date.now();
  const campaign = await deps.campaigns.getCampaign(clubId, campaignId);
  if (!campaign) return undefined;
  let current = await readExplorer(deps, clubId, campaignId);
  if (!current || current.stale || options.restart) {
    const now = deps.clock.now();
    const state: ExplorerState = {
      campaignVersion: campaign.updatedAt,
      startedAt: now.toISOString(),
      judgedAt: judgedAt(campaign, now).toISOString(),
      shards: Array.from({ length: MEMBER_SHARDS }, () => ({ seq: 0, done: false })),
      tally: { planned: 0, toSend: 0, suppressed: {}, deferred: {} },
    };
    const header: SnapshotHeader = {
      clubId,
      kind: 'dry-run',
      campaignId,
      runId: randomUUID(),
      version: (current?.header.version ?? 0) + 1,
      state,
    };
    if ((await deps.snapshots.putHeader(header, current?.header.version)) === 'changed')
      return readExplorer(deps, clubId, campaignId);
    current = { header, state, stale: false };
  }
  const budgetMs = current.state.tally.planned === 0 ? Math.min(options.budgetMs, FIRST_SLICE_MS) : options.budgetMs;
  if (current.state.finishedAt) return current;
  const context = await contextFor(deps, clubId, campaignId, current.header.runId);
  if (!context) return current;
  const startedAt = new Date(current.state.startedAt);
  const decideFor = dryRunDecider(context, startedAt);
  const state: ExplorerState = structuredClone(current.state);
  let size = roundSize(state, budgetMs - (Date.now() - began)) ?? FIRST_PAGE;
  for (;;) {
    const roundStart = Date.now();
    const before = state.tally.planned;
    const rows: SnapshotRows[] = [];
    await Promise.all(
      state.shards.map(async (shard, index) => {
        if (shard.done) return;
        const page = await deps.members.listShard(clubId, index, shard.cursor, size);
        // Each member under their arm of the club's running experiment, as the API's dry-run decides
        // them: looked up for the whole page, and nothing stored (the next plan stores the arm).
        const arms = await armsOfPage(deps, context.experiment, page.states, startedAt, { store: false });
        const byReason = new Map<string, ExplorerRow[]>();
        for (const member of page.states) {
          const decision = decideFor(member, arms.get(member.member.memberId));
          const reason = reasonOf(decision);
          const list = byReason.get(reason) ?? [];
          list.push({
            memberId: member.member.memberId,
            firstName: member.member.firstName,
            reason,
            message: decision.message,
          });
          byReason.set(reason, list);
          addTo(state.tally, decision);
        }
        for (const [reason, list] of byReason) rows.push({ key: rowKey(reason, index, shard.seq), rows: list });
        shard.seq += 1;
        if (page.cursor) shard.cursor = page.cursor;
        else {
          delete shard.cursor;
          shard.done = true;
        }
      }),
    );
    await deps.snapshots.putRows(current.header, rows);
    const read = state.tally.planned - before;
    if (read > 0) state.pace = Math.max(0.001, (Date.now() - roundStart) / read);
    if (state.shards.every((s) => s.done)) break;
    const next = roundSize(state, budgetMs - (Date.now() - began));
    if (next === undefined) break;
    size = next;
  }
  if (state.shards.every((s) => s.done)) state.finishedAt = deps.clock.now().toISOString();
  const next: SnapshotHeader = { ...current.header, version: current.header.version + 1, state };
  // Another slice may have written first: its rows are the same, so keep whichever header won.
  if ((await deps.snapshots.putHeader(next, current.header.version)) === 'changed')
    return readExplorer(deps, clubId, campaignId);
  return { header: next, state, stale: false };
}

/**
 * Members of each unfinished shard for a round that fits in `leftMs` at the last round's pace, at most
 * PAGE; undefined without a pace yet, or when not even MIN_PAGE fit.
 */
function roundSize(state: ExplorerState, leftMs: number): number | undefined {
  const shards = state.shards.filter((s) => !s.done).length;
  if (!state.pace || shards === 0) return undefined;
  const fits = Math.floor(leftMs / (state.pace * shards));
  return fits < MIN_PAGE ? undefined : Math.min(PAGE, fits);
}

function addTo(tally: Tally, decision: Decision): void {
  tally.planned += 1;
  if (decision.outcome === 'send') {
    tally.toSend += 1;
    if (decision.notBefore) tally.deferred[QUIET_HOURS_DEFERRED] = (tally.deferred[QUIET_HOURS_DEFERRED] ?? 0) + 1;
  } else tally.suppressed[decision.reason] = (tally.suppressed[decision.reason] ?? 0) + 1;
}

/** Where a page of the explorer's table starts: which reason, which row batch, how far into it. */
export const TableCursor = z.object({ r: z.number().int().min(0), k: z.string().max(300), i: z.number().int().min(0) });
export type TableCursor = z.infer<typeof TableCursor>;

/**
 * A page of the members whose reason is one of `reasons` (in that order), `size` at most, from the
 * stored row batches: a few prefix queries, whatever the club's size.
 */
export async function explorerPage(
  deps: Pick<Deps, 'snapshots'>,
  header: SnapshotHeader,
  reasons: readonly string[],
  cursor: TableCursor | undefined,
  size: number,
): Promise<{ rows: ExplorerRow[]; next?: TableCursor }> {
  const rows: ExplorerRow[] = [];
  let at = cursor ?? { r: 0, k: '', i: 0 };
  while (at.r < reasons.length) {
    const reason = reasons[at.r] ?? '';
    const batch = await deps.snapshots.listRows(header, `${reason}#`, at.k || undefined, 20);
    for (const [index, stored] of batch.rows.entries()) {
      const members = z.array(ExplorerRow).parse(stored.rows);
      const skip = index === 0 && stored.key === at.k ? at.i : 0;
      for (let j = skip; j < members.length; j++) {
        const row = members[j];
        if (!row) continue;
        if (rows.length === size) return { rows, next: { r: at.r, k: stored.key, i: j } };
        rows.push(row);
      }
    }
    const last = batch.rows.at(-1);
    if (batch.more && last) at = { r: at.r, k: `${last.key}\u0000`, i: 0 };
    else at = { r: at.r + 1, k: '', i: 0 };
  }
  return { rows };
}
