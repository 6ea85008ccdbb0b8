import { type Context, Hono } from 'hono';
import { createCampaign } from '../../../app/create-campaign.js';
import { editCampaign } from '../../../app/edit-campaign.js';
import type { Issue } from '../../../app/refusal.js';
import { type BrandFit, brandFit } from '../../../core/brand-fit.js';
import { clubTimeZone } from '../../../core/local-time.js';
import { type Club, Emotion, feedbackOf, type Offer, type Product } from '../../../core/model.js';
import { CalendarOccasion, calendarOccasionsBetween } from '../../../core/occasions.js';
import { checkTemplate } from '../../../core/templates.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { ConsoleDeps } from '../deps.js';
import { Page } from '../layout.js';
import { fragment, notFoundPage, page, seeOther } from '../respond.js';
import {
  BrandFitNote,
  CampaignEditor,
  type EditorView,
  type OfferChoice,
  OfferPicker,
  TemplateCheck,
} from '../screens/campaign-editor.js';
import {
  type CampaignForm,
  campaignInputOf,
  EditorAction,
  emptyForm,
  formOf,
  issuesOf,
  readCampaignForm,
} from './campaign-form.js';
import { actorOf, clubBase, formBody, idOf, recordAction } from './shared.js';

/** The brand fit of a theme in the marketer's words. */
export function brandFitText(copy: ConsoleCopy, club: Club, theme: Emotion): BrandFit & { text: string } {
  const fit = brandFit(club.brand, theme);
  const brand = [club.brand.primaryEmotion, ...club.brand.secondaryEmotions].map((e) => copy.emotions[e]).join(', ');
  return { ...fit, text: copy.fit[fit.verdict](copy.emotions[theme], brand) };
}

const SEARCH_RESULTS = 30;

function offerLabel(offer: Offer, product: Product | undefined): string {
  return product ? `${product.name} (${product.category}): ${offer.headline}` : `${offer.offerId}: ${offer.headline}`;
}

/** The chosen offers, and up to 30 others matching the search (product, category, headline or id). */
async function offerChoices(
  deps: Pick<ConsoleDeps, 'clubs'>,
  clubId: string,
  chosenIds: readonly string[],
  query: string | undefined,
): Promise<{ chosen: OfferChoice[]; found: OfferChoice[] | undefined }> {
  const { offers, products } = await deps.clubs.getCatalog(clubId);
  const byProduct = new Map(products.map((p) => [p.productId, p]));
  const chosen = new Set(chosenIds);
  const choice = (o: Offer) => ({ offerId: o.offerId, label: offerLabel(o, byProduct.get(o.productId)) });
  const known = new Map(offers.map((o) => [o.offerId, o]));
  const chosenList = chosenIds.map((id) => {
    const offer = known.get(id);
    return offer ? choice(offer) : { offerId: id, label: id };
  });
  if (query === undefined) return { chosen: chosenList, found: undefined };
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = offers
    .filter((o) => !chosen.has(o.offerId))
    .map(choice)
    .filter((o) => words.every((w) => `${o.offerId} ${o.label}`.toLowerCase().includes(w)))
    .slice(0, SEARCH_RESULTS);
  return { chosen: chosenList, found };
}

/** This year's calendar occasions in the club's country, as the editor lists them. */
function occasionDates(club: Club, now: Date, format: (date: string) => string): Record<string, string> {
  const year = now.getUTCFullYear();
  const country = club.language === 'da' ? 'DK' : 'SE';
  return Object.fromEntries(
    calendarOccasionsBetween(country, `${year}-01-01`, `${year}-12-31`)
      .filter((o) => CalendarOccasion.safeParse(o.occasion).success)
      .map((o) => [o.occasion, format(o.date)]),
  );
}

function templateIssues(form: CampaignForm): Issue[] {
  const template = Object.fromEntries(
    (['subject', 'html', 'text'] as const).flatMap((part) => (form[part].trim() === '' ? [] : [[part, form[part]]])),
  );
  return checkTemplate(template).map((p) => ({
    path: `template.${p.part}${p.line === undefined ? '' : ` line ${p.line}`}`,
    message: p.detail,
  }));
}

/** Creating and editing campaigns, and the editor's helpers (brand fit, offer search, template check). */
export function campaignEditingRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const editor = async (
    c: Context,
    form: CampaignForm,
    options: {
      isNew: boolean;
      action: string;
      issues?: Issue[];
      search?: boolean;
      check?: boolean;
      status?: 200 | 400 | 409;
    },
  ) => {
    const req = requestOf(c);
    const { club, fmt } = clubOf(c);
    const theme = Emotion.safeParse(form.theme);
    const [offers, audiences] = await Promise.all([
      offerChoices(deps, club.clubId, form.offerPool, options.search ? form.offerQuery : undefined),
      deps.clubs.listAudiences(club.clubId),
    ]);
    const view: EditorView = {
      copy: req.copy,
      csrf: userOf(c).session.csrf,
      action: options.action,
      base: `${clubBase(c)}/campaign-tools`,
      form,
      issues: options.issues ?? [],
      fit: brandFitText(req.copy, club, theme.success ? theme.data : club.brand.primaryEmotion),
      chosen: offers.chosen,
      found: offers.found,
      occasionDates: occasionDates(club, deps.clock.now(), fmt.day),
      templateProblems: options.check ? templateIssues(form) : undefined,
      timeZone: clubTimeZone(club),
      isNew: options.isNew,
      audiences: audiences.map((a) => ({ id: a.audienceId, name: a.name })),
      topics: feedbackOf(club).topics.map((t) => ({ id: t.id })),
    };
    const title = options.isNew ? req.copy.editor.newTitle : req.copy.editor.editTitle(form.name);
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="campaigns" title={title}>
        <CampaignEditor view={view} />
      </Page>,
      options.status ?? 200,
    );
  };

  routes.get('/new-campaign', (c) => {
    const { club } = clubOf(c);
    return editor(c, emptyForm(deps.clock.now(), clubTimeZone(club)), {
      isNew: true,
      action: `${clubBase(c)}/campaigns`,
    });
  });

  routes.post('/campaigns', async (c) => {
    const { club } = clubOf(c);
    const body = await formBody(c);
    const form = readCampaignForm(body);
    const action = EditorAction.parse(body.get('action') ?? 'save');
    const target = { isNew: true, action: `${clubBase(c)}/campaigns` };
    if (action !== 'save')
      return editor(c, form, { ...target, search: action === 'search-offers', check: action === 'check-template' });
    const input = campaignInputOf(form, clubTimeZone(club));
    if (Array.isArray(input)) return editor(c, form, { ...target, issues: input, status: 400 });
    if (!input.success) return editor(c, form, { ...target, issues: issuesOf(input.error), status: 400 });
    const created = await createCampaign(deps, club.clubId, input.data, actorOf(c));
    if (!created.ok) {
      const issues = created.why === 'invalid' ? [...created.issues] : [{ path: 'name', message: created.message }];
      return editor(c, form, { ...target, issues, status: created.why === 'invalid' ? 400 : 409 });
    }
    const campaignId = created.campaign.campaignId;
    await recordAction(deps, c, 'POST /clubs/:clubId/campaigns', { campaignId }, { after: created.campaign });
    return seeOther(c, `${clubBase(c)}/campaigns/${campaignId}?done=created`);
  });

  routes.get('/campaigns/:campaignId/edit', async (c) => {
    const { club } = clubOf(c);
    const campaignId = idOf(c, 'campaignId');
    const campaign = campaignId ? await deps.campaigns.getCampaign(club.clubId, campaignId) : undefined;
    if (!campaign) return notFoundPage(c);
    return editor(c, formOf(campaign, clubTimeZone(club)), {
      isNew: false,
      action: `${clubBase(c)}/campaigns/${campaign.campaignId}`,
    });
  });

  // Any change withdraws a submission or approval; a scheduled campaign goes back to draft (app/edit-campaign.ts).
  routes.post('/campaigns/:campaignId', async (c) => {
    const { club } = clubOf(c);
    const campaignId = idOf(c, 'campaignId');
    if (!campaignId) return notFoundPage(c);
    const body = await formBody(c);
    const form = readCampaignForm(body);
    const action = EditorAction.parse(body.get('action') ?? 'save');
    const target = { isNew: false, action: `${clubBase(c)}/campaigns/${campaignId}` };
    if (action !== 'save')
      return editor(c, form, { ...target, search: action === 'search-offers', check: action === 'check-template' });
    // The form shows the survey's club question; a form posted without those fields keeps the stored one.
    const before = await deps.campaigns.getCampaign(club.clubId, campaignId);
    const input = campaignInputOf(form, clubTimeZone(club), before?.survey?.question);
    if (Array.isArray(input)) return editor(c, form, { ...target, issues: input, status: 400 });
    if (!input.success) return editor(c, form, { ...target, issues: issuesOf(input.error), status: 400 });
    const { campaignId: _ignored, ...fields } = input.data;
    // Left-out parts are cleared, not kept: the form shows every field, so an empty one means "none".
    const patch = {
      ...fields,
      occasion: fields.occasion,
      template: fields.template,
      audienceId: fields.audienceId ?? null,
      // Only the kind's own: a survey's settings or a note go when the kind changes.
      survey: fields.survey,
      note: fields.note,
    };
    const edited = await editCampaign(deps, actorOf(c), club.clubId, campaignId, patch);
    if (!edited.ok) {
      if (edited.why === 'not-found') return notFoundPage(c);
      const issues = edited.why === 'invalid' ? [...edited.issues] : [{ path: 'name', message: edited.message }];
      return editor(c, form, { ...target, issues, status: edited.why === 'invalid' ? 400 : 409 });
    }
    if (edited.campaign === edited.before) return seeOther(c, `${clubBase(c)}/campaigns/${campaignId}?done=unchanged`);
    await recordAction(
      deps,
      c,
      'PATCH /clubs/:clubId/campaigns/:campaignId',
      { campaignId },
      {
        before: edited.before,
        after: edited.campaign,
      },
    );
    return seeOther(c, `${clubBase(c)}/campaigns/${campaignId}?done=saved`);
  });

  routes.get('/campaign-tools/brand-fit', (c) => {
    const theme = Emotion.safeParse(c.req.query('theme'));
    const { club } = clubOf(c);
    return fragment(
      c,
      <BrandFitNote
        fit={brandFitText(requestOf(c).copy, club, theme.success ? theme.data : club.brand.primaryEmotion)}
      />,
    );
  });

  routes.get('/campaign-tools/offers', async (c) => {
    const chosen = c.req.queries('offerPool') ?? [];
    const offers = await offerChoices(deps, clubOf(c).club.clubId, chosen, c.req.query('offerQuery') ?? '');
    return fragment(
      c,
      <OfferPicker view={{ copy: requestOf(c).copy, form: emptyForm(deps.clock.now(), 'UTC'), base: '', ...offers }} />,
    );
  });

  routes.post('/campaign-tools/template-check', async (c) => {
    const form = readCampaignForm(await formBody(c));
    return fragment(c, <TemplateCheck copy={requestOf(c).copy} problems={templateIssues(form)} />);
  });

  return routes;
}
