import { type CampaignContext, loadCampaignContext } from './campaign-context.js';
import type { Deps } from './deps.js';

/** How long one worker keeps a campaign's context (club, catalog, model, rivals) between pages. */
export const PLAN_CONTEXT_TTL_MS = 60_000;

type ContextDeps = Pick<Deps, 'clubs' | 'campaigns' | 'popularity' | 'models' | 'surveys' | 'clock' | 'log'>;

interface Entry {
  readonly at: number;
  readonly context: Promise<CampaignContext | undefined>;
}

/**
 * The campaign's planning context, read once per worker and minute instead of once per page: at 3
 * million members a plan has 30,000 pages, and the catalog and model would otherwise be read 30,000
 * times (more than a read unit per member). The campaign itself is read fresh on every page, so a
 * cancelled campaign stops at the next page. Kept per `deps` (one per process or Lambda instance).
 */
const caches = new WeakMap<object, Map<string, Entry>>();

export async function cachedCampaignContext(
  deps: ContextDeps,
  clubId: string,
  campaignId: string,
): Promise<CampaignContext | undefined> {
  const now = deps.clock.now().getTime();
  let cache = caches.get(deps);
  if (!cache) {
    cache = new Map();
    caches.set(deps, cache);
  }
  const key = `${clubId}#${campaignId}`;
  let entry = cache.get(key);
  if (!entry || now - entry.at > PLAN_CONTEXT_TTL_MS || now < entry.at) {
    for (const [k, e] of cache) if (now - e.at > PLAN_CONTEXT_TTL_MS) cache.delete(k);
    const context = loadCampaignContext(deps, clubId, campaignId);
    entry = { at: now, context };
    cache.set(key, entry);
    context.catch(() => cache?.delete(key));
  }
  const [context, campaign] = await Promise.all([entry.context, deps.campaigns.getCampaign(clubId, campaignId)]);
  if (!context || !campaign) return undefined;
  return { ...context, campaign };
}
