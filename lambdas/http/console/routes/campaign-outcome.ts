import { type CampaignReport, campaignReport } from '../../../app/campaign-report.js';
import type { Campaign } from '../../../core/model.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import type { OutcomeView } from '../screens/campaign-page.js';
import { reasonName } from './explorer.js';
import { campaignNames } from './shared.js';

/**
 * What the campaign page shows of a planned campaign (or one being planned, or cancelled after its
 * plan): the report's counts, and each reason a member was not mailed, at the plan and just before
 * sending, named in the console's language. None before the plan.
 */
export async function campaignOutcome(
  deps: Pick<ConsoleDeps, 'campaigns' | 'deliveryStats' | 'clubs' | 'sending' | 'sendingDomains'>,
  copy: ConsoleCopy,
  campaign: Campaign,
): Promise<OutcomeView | undefined> {
  if (campaign.status === 'draft' || campaign.status === 'scheduled') return undefined;
  const report = await campaignReport(deps, campaign);
  if (campaign.status === 'cancelled' && report.planned === 0) return undefined;
  const reasons = [...Object.keys(report.suppressed), ...Object.keys(report.dropped)].filter((r) => r.includes(':'));
  return outcomeView(report, copy, await campaignNames(deps, campaign.clubId, reasons));
}

/** The view from a report: one row per reason, the plan's first in the report's order, then the send's. */
export function outcomeView(
  report: Pick<
    CampaignReport,
    'campaign' | 'planned' | 'toSend' | 'suppressed' | 'sent' | 'queued' | 'unknown' | 'dropped'
  >,
  copy: ConsoleCopy,
  names: ReadonlyMap<string, string>,
): OutcomeView {
  const rows = new Map<string, { atPlan: number; atSend: number }>();
  const row = (reason: string) => {
    const existing = rows.get(reason);
    if (existing) return existing;
    const created = { atPlan: 0, atSend: 0 };
    rows.set(reason, created);
    return created;
  };
  for (const [reason, n] of Object.entries(report.suppressed)) if (n > 0) row(reason).atPlan += n;
  for (const [reason, n] of Object.entries(report.dropped)) if (n > 0) row(reason).atSend += n;
  return {
    planning: report.campaign.status === 'planning',
    planned: report.planned,
    toSend: report.toSend,
    sent: report.sent,
    toGo: report.campaign.status === 'cancelled' ? 0 : report.queued + report.unknown,
    stopped: Object.values(report.dropped).reduce((sum, n) => sum + n, 0),
    reasons: [...rows].map(([reason, counts]) => ({ name: reasonName(copy, names, reason), ...counts })),
  };
}
