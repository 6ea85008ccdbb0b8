import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { loadCampaignContext } from '../app/campaign-context.js';
import { campaignReport } from '../app/campaign-report.js';
import type { Deps } from '../app/deps.js';
import { dryRun } from '../app/dry-run.js';
import { eraseMember, exportMember } from '../app/gdpr.js';
import { ingestPurchases } from '../app/ingest-purchases.js';
import { brandFit } from '../core/brand-fit.js';
import type { ClubModel } from '../core/club-model.js';
import { formatRejection, ingestCsv, ingestJsonLines } from '../core/ingest.js';
import { Campaign, Club, Emotion, Id, Member, Offer, Product } from '../core/model.js';
import { Country, calendarOccasionsBetween } from '../core/occasions.js';
import { judgeRates } from '../core/send-protocol.js';
import { checkTemplate, longestSubject, RENDERED_SUBJECT_MAX } from '../core/templates.js';
import { BUILT_IN_THEMES, validateCustomTheme } from '../core/theme-library.js';
import { ApiError, validationError } from './api-error.js';

const ClubInput = Club.omit({ clubId: true, createdAt: true });
const ProductsInput = z.object({ products: z.array(Product).min(1).max(1000) });
const OffersInput = z.object({ offers: z.array(Offer).min(1).max(1000) });
const MembersInput = z.object({
  members: z
    .array(Member.omit({ clubId: true }))
    .min(1)
    .max(1000),
});
const CampaignInput = z.object({
  campaignId: Id.optional(),
  name: z.string().min(1).max(120),
  theme: Emotion,
  offerPool: z.array(Id).min(1).max(500),
  offersPerMail: z.number().int().min(1).max(10).optional(),
  relevanceFloor: z.number().min(0).max(1).optional(),
  themeId: Campaign.shape.themeId,
  kind: Campaign.shape.kind,
  priority: Campaign.shape.priority,
  holdoutShare: Campaign.shape.holdoutShare,
  brandFitOverride: Campaign.shape.brandFitOverride,
  occasion: Campaign.shape.occasion,
  template: Campaign.shape.template,
  sendAt: z.iso.datetime({ offset: true }),
});
const OccasionsQuery = z.object({
  country: Country.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
const ScheduleInput = z
  .object({ sendAt: z.iso.datetime({ offset: true }).optional(), brandFitOverride: z.boolean().optional() })
  .default({});
const DryRunQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(1000) });

type ApiDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'memberData'
  | 'suppressions'
  | 'purchases'
  | 'receiptArchive'
  | 'popularity'
  | 'models'
  | 'scheduler'
  | 'clock'
  | 'log'
  | 'deliveryStats'
  | 'sending'
>;

const JSON_LINES = new Set([
  'application/x-ndjson',
  'application/jsonl',
  'application/jsonlines',
  'application/x-jsonlines',
]);

async function body<T>(c: Context, schema: z.ZodType<T>, optional = false): Promise<T> {
  const text = await c.req.text();
  let raw: unknown;
  if (optional && text.trim() === '') raw = undefined;
  else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'validation', '(body): must be a JSON document');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

function param(c: Context, name: string): string {
  const parsed = Id.safeParse(c.req.param(name));
  if (!parsed.success)
    throw new ApiError(400, 'validation', `${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** The marketer's JSON API: clubs, catalog, members, campaigns, dry-run, schedule, cancel, report. */
export function marketerApi(deps: ApiDeps): Hono {
  const api = new Hono();

  const requireClub = async (clubId: string): Promise<Club> => {
    const club = await deps.clubs.getClub(clubId);
    if (!club) throw new ApiError(404, 'not-found', `club ${clubId} does not exist`);
    return club;
  };
  const requireCampaign = async (clubId: string, campaignId: string): Promise<Campaign> => {
    const campaign = await deps.campaigns.getCampaign(clubId, campaignId);
    if (!campaign) throw new ApiError(404, 'not-found', `campaign ${campaignId} does not exist`);
    return campaign;
  };

  api.put('/clubs/:clubId', async (c) => {
    const clubId = param(c, 'clubId');
    const input = await body(c, ClubInput);
    const existing = await deps.clubs.getClub(clubId);
    const club: Club = { ...input, clubId, createdAt: existing?.createdAt ?? deps.clock.now().toISOString() };
    await deps.clubs.putClub(club);
    return c.json({ club }, existing ? 200 : 201);
  });

  api.get('/clubs/:clubId', async (c) => c.json({ club: await requireClub(param(c, 'clubId')) }));

  api.put('/clubs/:clubId/products', async (c) => {
    const clubId = param(c, 'clubId');
    const { products } = await body(c, ProductsInput);
    await requireClub(clubId);
    await deps.clubs.putProducts(clubId, products);
    return c.json({ stored: products.length });
  });

  api.put('/clubs/:clubId/offers', async (c) => {
    const clubId = param(c, 'clubId');
    const { offers } = await body(c, OffersInput);
    await requireClub(clubId);
    const { products } = await deps.clubs.getCatalog(clubId);
    const known = new Set(products.map((p) => p.productId));
    const issues = offers.flatMap((o, i) =>
      known.has(o.productId) ? [] : [{ path: `offers[${i}].productId`, message: `unknown product ${o.productId}` }],
    );
    const first = issues[0];
    if (first) throw new ApiError(400, 'validation', `${first.path}: ${first.message}`, issues);
    await deps.clubs.putOffers(clubId, offers);
    return c.json({ stored: offers.length });
  });

  api.get('/clubs/:clubId/offers', async (c) => {
    const clubId = param(c, 'clubId');
    await requireClub(clubId);
    const { offers, products } = await deps.clubs.getCatalog(clubId);
    return c.json({ offers, products });
  });

  api.post('/clubs/:clubId/members', async (c) => {
    const clubId = param(c, 'clubId');
    const { members } = await body(c, MembersInput);
    await requireClub(clubId);
    // An erased member stays erased (GDPR Art. 17): an address on the suppression list is not stored again.
    const suppressed: string[] = [];
    for (const member of members) {
      if (await deps.suppressions.has(clubId, member.email)) suppressed.push(member.memberId);
      else await deps.members.putMember({ ...member, clubId });
    }
    if (suppressed.length > 0) deps.log.info('erased members not re-imported', { clubId, count: suppressed.length });
    return c.json({ stored: members.length - suppressed.length, ...(suppressed.length > 0 ? { suppressed } : {}) });
  });

  // GDPR requests that arrive by other channels (letter, phone, the shop): the same export and
  // erasure the member's own page offers.
  api.get('/clubs/:clubId/members/:memberId/export', async (c) => {
    const clubId = param(c, 'clubId');
    const memberId = param(c, 'memberId');
    await requireClub(clubId);
    const data = await exportMember(deps, clubId, memberId);
    if (!data) throw new ApiError(404, 'not-found', `member ${memberId} does not exist`);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="${clubId}-${memberId}.json"`);
    return c.json(data);
  });

  api.post('/clubs/:clubId/members/:memberId/erase', async (c) => {
    const clubId = param(c, 'clubId');
    const memberId = param(c, 'memberId');
    await requireClub(clubId);
    const outcome = await eraseMember(deps, clubId, memberId, 'marketer-api');
    if (outcome.kind === 'not-found') throw new ApiError(404, 'not-found', `member ${memberId} does not exist`);
    return c.json({ erased: memberId, deletedItems: outcome.deletedItems });
  });

  // Receipts as CSV purchase lines or JSON lines of receipts. Bad rows are reported by line and
  // field; every good row beside them is kept.
  api.post('/clubs/:clubId/purchases', async (c) => {
    const clubId = param(c, 'clubId');
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const ingest = type === 'text/csv' ? ingestCsv : JSON_LINES.has(type) ? ingestJsonLines : undefined;
    if (!ingest)
      throw new ApiError(415, 'unsupported-media-type', 'content-type: send text/csv or application/x-ndjson');
    await requireClub(clubId);
    const { products } = await deps.clubs.getCatalog(clubId);
    const catalog = new Map(products.map((p) => [p.productId, p]));
    const parsed = ingest(await c.req.text(), { knownProducts: new Set(catalog.keys()), now: deps.clock.now() });
    if (parsed.fileRejected) {
      const first = parsed.rejected[0];
      throw new ApiError(400, 'validation', first ? formatRejection(first) : 'the file was refused', [
        ...parsed.rejected.map((r) => ({ path: `line ${r.line}${r.field ? `: ${r.field}` : ''}`, message: r.message })),
      ]);
    }
    const report = await ingestPurchases(deps, clubId, parsed, catalog);
    return c.json({
      ingest: { ...report, rejected: report.rejected.map((r) => ({ ...r, text: formatRejection(r) })) },
    });
  });

  api.post('/clubs/:clubId/campaigns', async (c) => {
    const clubId = param(c, 'clubId');
    const input = await body(c, CampaignInput);
    await requireClub(clubId);
    const { offers } = await deps.clubs.getCatalog(clubId);
    const known = new Set(offers.map((o) => o.offerId));
    const issues = input.offerPool.flatMap((id, i) =>
      known.has(id) ? [] : [{ path: `offerPool[${i}]`, message: `unknown offer ${id}` }],
    );
    // A template that cannot render blocks the campaign here, naming the part and line: "template.html line 2: …".
    let theme = input.theme;
    if (input.themeId) {
      const chosen = [...BUILT_IN_THEMES, ...(await deps.clubs.listThemes(clubId))].find((t) => t.id === input.themeId);
      if (chosen) theme = chosen.emotion;
      else issues.push({ path: 'themeId', message: `unknown theme ${input.themeId}` });
    }
    const problems = input.template ? checkTemplate(input.template) : [];
    for (const problem of problems) {
      issues.push({
        path: `template.${problem.part}${problem.line === undefined ? '' : ` line ${problem.line}`}`,
        message: problem.detail,
      });
    }
    if (input.template?.subject && problems.length === 0) {
      const library = [...BUILT_IN_THEMES, ...(await deps.clubs.listThemes(clubId))];
      const chosen = library.find((t) => t.id === (input.themeId ?? theme));
      const subjects = chosen
        ? Object.values(chosen.copy)
            .flatMap((byAddress) => [byAddress.informal, ...(byAddress.formal ? [byAddress.formal] : [])])
            .flatMap((b) => b.subjects.map((s) => s.replaceAll('{{ first_name }}', 'Maximilianne')))
        : [];
      const length = longestSubject(input.template.subject, subjects);
      if (length > RENDERED_SUBJECT_MAX) {
        issues.push({
          path: 'template.subject',
          message: `renders to up to ${length} characters; inboxes show about ${RENDERED_SUBJECT_MAX}`,
        });
      }
    }
    const first = issues[0];
    if (first) throw new ApiError(400, 'validation', `${first.path}: ${first.message}`, issues);
    const now = deps.clock.now().toISOString();
    const campaign: Campaign = Campaign.parse({
      ...input,
      theme,
      clubId,
      campaignId: input.campaignId ?? `cmp-${crypto.randomUUID().slice(0, 13)}`,
      status: 'draft',
      createdAt: now,
      updatedAt: now,
    });
    const created = await deps.campaigns.createCampaign(campaign);
    if (created === 'exists') throw new ApiError(409, 'conflict', `campaign ${campaign.campaignId} already exists`);
    return c.json({ campaign }, 201);
  });

  api.get('/clubs/:clubId/campaigns', async (c) => {
    const clubId = param(c, 'clubId');
    await requireClub(clubId);
    return c.json({ campaigns: await deps.campaigns.listCampaigns(clubId) });
  });

  api.put('/clubs/:clubId/themes/:themeId', async (c) => {
    const clubId = param(c, 'clubId');
    const themeId = param(c, 'themeId');
    await requireClub(clubId);
    const raw: unknown = await c.req.json().catch(() => {
      throw new ApiError(400, 'validation', '(body): must be a JSON document');
    });
    const result = validateCustomTheme(raw);
    if (!result.ok) {
      const issues = result.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
      const first = issues[0];
      throw new ApiError(400, 'validation', first ? `${first.path}: ${first.message}` : 'invalid theme', issues);
    }
    if (result.theme.id !== themeId)
      throw new ApiError(400, 'validation', `id: must be ${themeId}, the id in the path`);
    await deps.clubs.putTheme(clubId, result.theme);
    return c.json({ theme: result.theme, brandFit: brandFit((await requireClub(clubId)).brand, result.theme.emotion) });
  });

  api.get('/clubs/:clubId/themes', async (c) => {
    const clubId = param(c, 'clubId');
    await requireClub(clubId);
    const own = await deps.clubs.listThemes(clubId);
    return c.json({
      themes: [...BUILT_IN_THEMES, ...own].map((t) => ({ id: t.id, emotion: t.emotion, builtIn: !own.includes(t) })),
    });
  });

  api.get('/clubs/:clubId/occasions', async (c) => {
    const clubId = param(c, 'clubId');
    const club = await requireClub(clubId);
    const query = OccasionsQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, 'query');
    const country = query.data.country ?? (club.language === 'da' ? 'DK' : 'SE');
    const year = query.data.year ?? deps.clock.now().getUTCFullYear();
    return c.json({ country, year, occasions: calendarOccasionsBetween(country, `${year}-01-01`, `${year}-12-31`) });
  });

  api.get('/clubs/:clubId/model', async (c) => {
    const clubId = param(c, 'clubId');
    await requireClub(clubId);
    return c.json({ model: modelSummary(await deps.models.get(clubId)) });
  });

  /** Whether the club can send now, and the rates that would pause it (docs/sending.md). */
  api.get('/clubs/:clubId/sending', async (c) => {
    const club = await requireClub(param(c, 'clubId'));
    const now = deps.clock.now();
    const policy = club.reputation;
    const from = new Date(now.getTime() - (policy.windowDays - 1) * 86_400_000).toISOString().slice(0, 10);
    const [breakers, counts] = await Promise.all([
      deps.sending.read(club.clubId),
      deps.deliveryStats.clubCounts(club.clubId, from, now.toISOString().slice(0, 10)),
    ]);
    const verdict = judgeRates(counts, policy);
    const open = [breakers.account, breakers.club].some((b) => b?.state === 'open');
    return c.json({
      sending: open ? 'paused' : 'active',
      account: breakers.account ?? null,
      club: breakers.club ?? null,
      window: {
        fromDay: from,
        days: policy.windowDays,
        ...counts,
        bounceRate: verdict.bounceRate,
        complaintRate: verdict.complaintRate,
      },
      policy,
    });
  });

  /** A person resumes a club its own rates paused, after cleaning the list. SES's own pause lifts by probe. */
  api.post('/clubs/:clubId/sending/resume', async (c) => {
    const club = await requireClub(param(c, 'clubId'));
    const closed = await deps.sending.close({ kind: 'club', clubId: club.clubId }, deps.clock.now(), 'marketer-api');
    deps.log.info('club sending resume requested', { clubId: club.clubId, closed });
    return c.json({ resumed: closed });
  });

  api.get('/clubs/:clubId/campaigns/:campaignId', async (c) => {
    const campaign = await requireCampaign(param(c, 'clubId'), param(c, 'campaignId'));
    return c.json({ report: await campaignReport(deps, campaign) });
  });

  api.post('/clubs/:clubId/campaigns/:campaignId/dry-run', async (c) => {
    const clubId = param(c, 'clubId');
    const campaignId = param(c, 'campaignId');
    const query = DryRunQuery.safeParse(c.req.query());
    if (!query.success) throw validationError(query.error, 'query');
    const context = await loadCampaignContext(deps, clubId, campaignId);
    if (!context) throw new ApiError(404, 'not-found', `campaign ${campaignId} does not exist`);
    return c.json({
      dryRun: await dryRun(deps, context, query.data.limit),
      model: modelSummary(context.model),
      brandFit: brandFit(context.club.brand, context.campaign.theme),
    });
  });

  api.post('/clubs/:clubId/campaigns/:campaignId/schedule', async (c) => {
    const clubId = param(c, 'clubId');
    const campaignId = param(c, 'campaignId');
    const input = await body(c, ScheduleInput, true);
    const current = await requireCampaign(clubId, campaignId);
    const sendAt = input.sendAt ?? current.sendAt;
    const now = deps.clock.now();
    if (Date.parse(sendAt) < now.getTime() - 60_000) {
      throw new ApiError(400, 'validation', `sendAt: ${sendAt} is in the past`);
    }
    if (current.status !== 'draft' && current.status !== 'scheduled') {
      throw new ApiError(
        409,
        'conflict',
        `campaign is ${current.status}; only a draft or scheduled campaign can be scheduled`,
      );
    }
    const override = input.brandFitOverride ?? current.brandFitOverride;
    const fit = brandFit((await requireClub(clubId)).brand, current.theme);
    if (fit.verdict === 'clash' && !override) throw new ApiError(409, 'brand-fit-clash', `theme: ${fit.message}`);
    // Arm the schedule first: a campaign marked scheduled always has a schedule behind it.
    await deps.scheduler.schedule(clubId, campaignId, new Date(sendAt));
    const moved = await deps.campaigns.transition(clubId, campaignId, ['draft', 'scheduled'], 'scheduled', now, {
      sendAt: new Date(sendAt).toISOString(),
      brandFitOverride: override,
    });
    if (!moved.ok)
      throw new ApiError(409, 'conflict', `campaign changed meanwhile; it is ${moved.campaign?.status ?? 'gone'}`);
    return c.json({ campaign: moved.campaign });
  });

  api.post('/clubs/:clubId/campaigns/:campaignId/cancel', async (c) => {
    const clubId = param(c, 'clubId');
    const campaignId = param(c, 'campaignId');
    await requireCampaign(clubId, campaignId);
    const moved = await deps.campaigns.transition(
      clubId,
      campaignId,
      ['draft', 'scheduled', 'planning', 'planned'],
      'cancelled',
      deps.clock.now(),
    );
    if (!moved.ok)
      throw new ApiError(409, 'conflict', `campaign is ${moved.campaign?.status ?? 'gone'} and cannot be cancelled`);
    await deps.scheduler.cancel(clubId, campaignId);
    return c.json({ campaign: moved.campaign });
  });

  return api;
}

/**
 * What the marketer sees of the ranking model: when it was fitted and on how much. `null` before
 * the first fit (the next campaign start fits it); planning then uses own purchases and popularity.
 */
function modelSummary(model: ClubModel | undefined) {
  if (!model?.fittedAt) return null;
  return {
    fittedAt: model.fittedAt,
    members: model.members,
    baskets: model.baskets,
    products: model.items,
    offeredProducts: Object.keys(model.propensity).length,
  };
}
