import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { approveCampaign, sendBackCampaign, submitCampaign } from '../../../app/campaign-approval.js';
import { cancelCampaign, scheduleCampaign } from '../../../app/schedule-campaign.js';
import { approvalOf, authorsOf } from '../../../core/approval.js';
import { CampaignCursor, cursorOf } from '../../../core/campaign-place.js';
import { ApprovalComment, type Campaign } from '../../../core/model.js';
import { roleAllows } from '../../../core/roles.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { type Notice, Page } from '../layout.js';
import { notFoundPage, page, seeOther } from '../respond.js';
import { CampaignList, CampaignPage, type CampaignPageView } from '../screens/campaign-page.js';
import { brandFitText } from './campaign-editing.js';
import { campaignOutcome } from './campaign-outcome.js';
import { actorOf, clubBase, formBody, idOf, peopleNames, recordAction, refusalNotice, statusOf } from './shared.js';

const Done = z.enum(['created', 'saved', 'unchanged', 'submitted', 'approved', 'sent-back', 'scheduled', 'cancelled']);
const HistoryChange = z
  .object({ campaignId: z.string().optional(), approval: z.object({ comment: z.string().optional() }).optional() })
  .optional();

/** Campaigns per page of the list. */
const LIST_PAGE = 50;

/** The campaign list and one campaign's page with its approval, schedule and history. */
export function campaignRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  routes.get('/campaigns', async (c) => {
    const req = requestOf(c);
    const { club, role, fmt } = clubOf(c);
    // Newest first, a page at a time by send time (ADR 0059); a broken `after` shows the newest.
    const after = CampaignCursor.safeParse(c.req.query('after'));
    const listed = await deps.campaigns.campaignPage(club.clubId, LIST_PAGE, after.success ? after.data : undefined);
    const list = `${clubBase(c)}/campaigns`;
    const pages = {
      ...(listed.next ? { older: `${list}?after=${cursorOf(listed.next)}` } : {}),
      ...(after.success ? { newest: list } : {}),
    };
    const rows = listed.campaigns.map((campaign) => ({
      campaign,
      approval: approvalOf(campaign).state,
      href: `${clubBase(c)}/campaigns/${campaign.campaignId}`,
    }));
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="campaigns" title={req.copy.campaignsTitle}>
        <CampaignList
          copy={req.copy}
          fmt={fmt}
          rows={rows}
          pages={pages}
          {...(roleAllows(role, 'write') ? { newHref: `${clubBase(c)}/new-campaign` } : {})}
        />
      </Page>,
    );
  });

  const show = async (c: Context, campaign: Campaign, notice?: Notice, status: 200 | 400 | 403 | 404 | 409 = 200) => {
    const req = requestOf(c);
    const { club, role, fmt } = clubOf(c);
    const actor = actorOf(c);
    const base = `${clubBase(c)}/campaigns/${campaign.campaignId}`;
    const approval = approvalOf(campaign);
    const authors = authorsOf(campaign);
    const [names, audit, audiences, outcome] = await Promise.all([
      peopleNames(deps, club.clubId),
      deps.audit.list(club.clubId, { limit: 200 }),
      campaign.audienceId ? deps.clubs.listAudiences(club.clubId) : [],
      campaignOutcome(deps, req.copy, campaign),
    ]);
    const audience = audiences.find((a) => a.audienceId === campaign.audienceId);
    const canWrite = roleAllows(role, 'write');
    const open = campaign.status === 'draft' || campaign.status === 'scheduled';
    const fit = brandFitText(req.copy, club, campaign.theme);
    const view: CampaignPageView = {
      copy: req.copy,
      fmt,
      csrf: userOf(c).session.csrf,
      campaign,
      approval: { state: approval.state, ...(approval.comment ? { comment: approval.comment } : {}) },
      fitText: fit.text,
      authors: authors.map(names),
      offers: campaign.offerPool.length,
      ...(campaign.audienceId
        ? {
            audience: {
              name: audience?.name ?? campaign.audienceId,
              href: `${clubBase(c)}/audiences/${campaign.audienceId}`,
            },
          }
        : {}),
      links: { preview: `${base}/preview`, dryRun: `${base}/dry-run`, report: `${base}/report` },
      requireApproval: club.requireApproval === true,
      ...(outcome ? { outcome } : {}),
      actions: {
        ...(canWrite && open ? { edit: `${base}/edit` } : {}),
        ...(canWrite && campaign.status === 'draft' && (approval.state === 'none' || approval.state === 'returned')
          ? { submit: `${base}/submit` }
          : {}),
        ...(roleAllows(role, 'approve') &&
        campaign.status === 'draft' &&
        approval.state === 'submitted' &&
        !authors.includes(actor)
          ? { decide: { approve: `${base}/approve`, sendBack: `${base}/send-back` } }
          : {}),
        ...(canWrite && open && (!club.requireApproval || approval.state === 'approved')
          ? {
              schedule: {
                href: `${base}/schedule`,
                needsOverride: fit.verdict === 'clash' && !campaign.brandFitOverride,
              },
            }
          : {}),
        ...(canWrite && (open || campaign.status === 'planning') ? { cancel: `${base}/cancel` } : {}),
      },
      history: audit.entries
        .filter((e) => {
          if (e.target.campaignId === campaign.campaignId) return true;
          // Creation names the campaign only in what it made.
          const after = HistoryChange.safeParse(e.after);
          return after.success && after.data?.campaignId === campaign.campaignId;
        })
        .map((e) => {
          const change = HistoryChange.safeParse(e.after);
          const comment = change.success ? change.data?.approval?.comment : undefined;
          return { at: e.at, who: names(e.actor), action: e.action, ...(comment ? { comment } : {}) };
        }),
    };
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="campaigns" title={campaign.name} notice={notice}>
        <CampaignPage view={view} />
      </Page>,
      status,
    );
  };

  routes.get('/campaigns/:campaignId', async (c) => {
    const campaignId = idOf(c, 'campaignId');
    const campaign = campaignId ? await deps.campaigns.getCampaign(clubOf(c).club.clubId, campaignId) : undefined;
    if (!campaign) return notFoundPage(c);
    const done = Done.safeParse(c.req.query('done'));
    return show(
      c,
      campaign,
      done.success ? { kind: 'ok', text: requestOf(c).copy.campaign.done[done.data] } : undefined,
    );
  });

  /**
   * One step on a campaign through its use case: on success back to the campaign page saying what
   * happened (post/redirect/get), on refusal the page again with the use case's reason.
   */
  const step = (
    action: 'submit' | 'approve' | 'send-back' | 'schedule' | 'cancel',
    name: z.infer<typeof Done>,
    run: (
      c: Context,
      clubId: string,
      campaignId: string,
      body: URLSearchParams,
    ) => Promise<
      { ok: true; campaign: Campaign; before?: Campaign } | ({ ok: false } & Parameters<typeof refusalNotice>[0])
    >,
  ) =>
    routes.post(`/campaigns/:campaignId/${action}`, async (c) => {
      const clubId = clubOf(c).club.clubId;
      const campaignId = idOf(c, 'campaignId');
      const before = campaignId ? await deps.campaigns.getCampaign(clubId, campaignId) : undefined;
      if (!campaignId || !before) return notFoundPage(c);
      const result = await run(c, clubId, campaignId, await formBody(c));
      if (!result.ok) return show(c, before, refusalNotice(result), statusOf(result));
      await recordAction(
        deps,
        c,
        `POST /clubs/:clubId/campaigns/:campaignId/${action}`,
        { campaignId },
        {
          before: result.before ?? before,
          after: result.campaign,
        },
      );
      return seeOther(c, `${clubBase(c)}/campaigns/${campaignId}?done=${name}`);
    });

  step('submit', 'submitted', (c, clubId, campaignId) => submitCampaign(deps, actorOf(c), clubId, campaignId));
  step('approve', 'approved', (c, clubId, campaignId, body) => {
    const comment = ApprovalComment.safeParse(body.get('comment'));
    return approveCampaign(deps, actorOf(c), clubId, campaignId, comment.success ? comment.data : undefined);
  });
  step('send-back', 'sent-back', async (c, clubId, campaignId, body) => {
    const comment = ApprovalComment.safeParse(body.get('comment'));
    if (!comment.success) {
      return { ok: false, why: 'invalid', message: 'comment: say why the campaign goes back', issues: [] };
    }
    return sendBackCampaign(deps, actorOf(c), clubId, campaignId, comment.data);
  });
  step('schedule', 'scheduled', (_c, clubId, campaignId, body) =>
    scheduleCampaign(deps, clubId, campaignId, body.get('brandFitOverride') === 'on' ? { brandFitOverride: true } : {}),
  );
  step('cancel', 'cancelled', (_c, clubId, campaignId) => cancelCampaign(deps, clubId, campaignId));

  return routes;
}
