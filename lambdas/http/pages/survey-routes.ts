import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../../app/deps.js';
import {
  MAX_REASON_LENGTH,
  recordClubAnswer,
  recordReason,
  recordVote,
  responseOf,
  type SurveyTarget,
} from '../../app/survey-answers.js';
import { ClubPlannerError } from '../../core/errors.js';
import { csrfMatches, csrfToken } from '../../core/form-tokens.js';
import { feedbackOf, type Language } from '../../core/model.js';
import { ClubAnswer, DEFAULT_SURVEY, NpsScore, npsGroupOf } from '../../core/survey.js';
import { changeable, finalAt } from '../../core/survey-response.js';
import { signToken, type TokenKeys, verifyToken } from '../../core/tokens.js';
import { INVALID_PAGE, type Markup } from './layout.js';
import { CROSS_SITE, formBody, noStore, sameOriginForms } from './routes.js';
import { SURVEY_PAGE_COPY } from './survey-copy.js';
import { surveyLayout } from './survey-layout.js';
import {
  AUTOSAVE_SCRIPT,
  clubQuestionStep,
  reasonStep,
  type SurveyNotice,
  scoreStep,
  thanksView,
} from './survey-views.js';

type SurveyPageDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'surveys'
  | 'feedbackCases'
  | 'serviceContacts'
  | 'caseAlerts'
  | 'clock'
  | 'tokenKeys'
  | 'publicBaseUrl'
  | 'log'
>;

/** A survey link that verified: what it names, and the keys it was checked with. */
interface Found {
  readonly token: string;
  readonly keys: TokenKeys;
  readonly target: SurveyTarget;
  readonly language: Language;
}

type Step = 'score' | 'reason' | 'question';
type Status = 200 | 400 | 403;

/** A whole number as a form or query sends it ("7"); anything else (empty, "7.0", " 7") is not one. */
const wholeNumber = (text: string | null | undefined): number =>
  text && /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;

/** The token pages' headers, with a nonce for the score page's one script and `fetch` to ourselves only. */
const surveyHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: [NONCE],
    scriptSrc: [NONCE],
    connectSrc: ["'self'"],
    imgSrc: ['https:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  strictTransportSecurity: false,
});

/**
 * The survey pages (docs/decisions/0036-surveys-and-nps.md), reached by the signed survey links of a
 * survey mail: one question per step, plain forms that work without JavaScript, and the same one
 * answer as every member page for a link we cannot honour. A GET or HEAD never records anything
 * (scanners and Apple Mail's privacy proxy fetch every link); a vote is a POST from the page.
 */
export function surveyPages(deps: SurveyPageDeps): Hono {
  const app = new Hono();
  app.use('/s/*', noStore, surveyHeaders, sameOriginForms);
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return c.text(CROSS_SITE, 403);
    throw error;
  });
  const invalid = (c: Context) => c.html(INVALID_PAGE, 404);

  const resolve = async (token: string): Promise<Found | undefined> => {
    const keys = await deps.tokenKeys();
    const check = verifyToken(keys, token, deps.clock.now());
    if (!check.ok) {
      deps.log.info('member link refused', { purpose: 'survey', why: check.why });
      return undefined;
    }
    const { purpose, clubId, memberId, campaignId } = check.claims;
    if (purpose !== 'survey' || !campaignId) return undefined;
    const [club, campaign, state] = await Promise.all([
      deps.clubs.getClub(clubId),
      deps.campaigns.getCampaign(clubId, campaignId),
      deps.members.getState(clubId, memberId),
    ]);
    if (!club || !campaign || campaign.kind !== 'survey' || !state) return undefined;
    const language =
      !club.languages || club.languages.includes(state.member.language) ? state.member.language : club.language;
    return { token, keys, language, target: { club, campaign, ...state } };
  };

  const render = (
    c: Context,
    found: Found,
    title: string,
    content: Markup,
    status: Status = 200,
    script?: string,
    prominent = false,
  ) => {
    const nonce = c.get('secureHeadersNonce');
    if (!nonce) throw new ClubPlannerError('survey pages need the secure-headers middleware for their CSP nonce');
    const { club } = found.target;
    return c.html(
      surveyLayout({ club, language: found.language, title, nonce, content, prominent, ...(script ? { script } : {}) }),
      status,
    );
  };

  const spec = (found: Found) => found.target.campaign.survey ?? DEFAULT_SURVEY;
  const steps = (found: Found): Step[] => [
    'score',
    ...(spec(found).askReason ? (['reason'] as const) : []),
    ...(spec(found).question ? (['question'] as const) : []),
  ];
  const base = (found: Found) => `/s/${found.token}`;
  const after = (found: Found, step: Step) => {
    const list = steps(found);
    const next = list[list.indexOf(step) + 1];
    return next ? `${base(found)}/${next}` : `${base(found)}/thanks`;
  };
  const heading = (found: Found, step: Step) =>
    SURVEY_PAGE_COPY[found.language].step(steps(found).indexOf(step) + 1, steps(found).length);
  const form = (found: Found, step: Step, action: string) => {
    const last = steps(found).at(-1) === step;
    const copy = SURVEY_PAGE_COPY[found.language];
    return { action, csrf: csrfToken(found.keys, found.token) ?? '', submit: last ? copy.send : copy.next };
  };
  const untilText = (found: Found, at: Date) =>
    new Intl.DateTimeFormat(SURVEY_PAGE_COPY[found.language].locale, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: found.target.member.timeZone,
    }).format(at);

  const finalPage = (c: Context, found: Found) =>
    thanks(c, found, [{ kind: 'info', text: SURVEY_PAGE_COPY[found.language].final }]);

  const thanks = async (c: Context, found: Found, extra: SurveyNotice[] = []) => {
    const stored = await responseOf(deps, found.target);
    if (!stored) return c.redirect(base(found), 303);
    const { response } = stored;
    const now = deps.clock.now();
    const settings = feedbackOf(found.target.club);
    const preferences = signToken(
      found.keys,
      { purpose: 'preferences', clubId: found.target.club.clubId, memberId: found.target.member.memberId },
      now,
    );
    const detractor = !response.automated && npsGroupOf(response.score) === 'detractor';
    const content = thanksView({
      language: found.language,
      clubName: found.target.club.name,
      ...(detractor ? { followUpHours: settings.caseDueHours } : {}),
      settingsLink: `/p/${preferences}`,
      ...(changeable(response, now)
        ? { change: { until: untilText(found, finalAt(response)), link: base(found) } }
        : {}),
      notices: extra,
    });
    return render(c, found, SURVEY_PAGE_COPY[found.language].thanksTitle, content, 200, undefined, true);
  };

  const scorePage = async (
    c: Context,
    found: Found,
    via: 'button' | 'honeypot',
    status: Status = 200,
    extra: SurveyNotice[] = [],
  ) => {
    const stored = await responseOf(deps, found.target);
    const now = deps.clock.now();
    if (stored && !changeable(stored.response, now)) return finalPage(c, found);
    const copy = SURVEY_PAGE_COPY[found.language];
    const linked = NpsScore.safeParse(wholeNumber(c.req.query('score')));
    const selected = linked.success ? linked.data : stored?.response.score;
    const notices: SurveyNotice[] = [
      ...extra,
      ...(stored
        ? [
            {
              kind: 'info' as const,
              text: `${copy.answered(stored.response.score)} ${copy.changeUntil(untilText(found, finalAt(stored.response)))}`,
            },
          ]
        : []),
    ];
    // The script records the mail's score only for a first answer, and never on the honeypot's page.
    const autosave = via === 'button' && linked.success && !stored;
    const content = scoreStep({
      language: found.language,
      clubName: found.target.club.name,
      form: form(found, 'score', base(found)),
      selected,
      via,
      autosave,
      notices,
    });
    return render(c, found, heading(found, 'score'), content, status, autosave ? AUTOSAVE_SCRIPT : undefined);
  };

  /** The form token: without it (or with one for another link) a post changes nothing. */
  const postedForm = async (c: Context, found: Found): Promise<URLSearchParams | undefined> => {
    const body = await formBody(c);
    if (csrfMatches(found.keys, found.token, body.get('csrf'))) return body;
    deps.log.info('survey form refused', { reason: 'csrf' });
    return undefined;
  };
  const wantsJson = (c: Context) => (c.req.header('accept') ?? '').includes('application/json');

  app.get('/s/:token', async (c) => {
    const found = await resolve(c.req.param('token'));
    return found ? scorePage(c, found, 'button') : invalid(c);
  });

  // The honeypot: a link in the mail no person sees. Fetching it records nothing (a GET never does);
  // its page marks the form, so a machine that also sends forms votes as "automated".
  app.get('/s/:token/x', async (c) => {
    const found = await resolve(c.req.param('token'));
    if (!found) return invalid(c);
    deps.log.info('survey honeypot link fetched', { clubId: found.target.club.clubId });
    return scorePage(c, found, 'honeypot');
  });

  app.post('/s/:token', async (c) => {
    const found = await resolve(c.req.param('token'));
    if (!found) return invalid(c);
    const copy = SURVEY_PAGE_COPY[found.language];
    const body = await postedForm(c, found);
    if (!body) {
      if (wantsJson(c)) return c.json({ error: 'stale-form' }, 403);
      return scorePage(c, found, 'button', 403, [{ kind: 'error', text: copy.staleForm }]);
    }
    const score = NpsScore.safeParse(wholeNumber(body.get('score')));
    if (!score.success) {
      if (wantsJson(c)) return c.json({ error: 'score', message: 'score: 0 to 10' }, 400);
      return scorePage(c, found, 'button', 400, [{ kind: 'error', text: copy.chooseScore }]);
    }
    const via = body.get('via') === 'honeypot' ? 'honeypot' : body.get('via') === 'script' ? 'script' : 'button';
    const voted = await recordVote(deps, found.target, score.data, via);
    if (!voted.ok) return wantsJson(c) ? c.json({ error: 'final' }, 409) : finalPage(c, found);
    if (wantsJson(c)) return c.json({ saved: true });
    return c.redirect(after(found, 'score'), 303);
  });

  app.get('/s/:token/reason', async (c) => {
    const found = await resolve(c.req.param('token'));
    return found ? reasonPage(c, found) : invalid(c);
  });

  const reasonPage = async (
    c: Context,
    found: Found,
    status: Status = 200,
    extra: SurveyNotice[] = [],
    text?: string,
  ) => {
    const stored = await responseOf(deps, found.target);
    if (!stored) return c.redirect(base(found), 303);
    if (!changeable(stored.response, deps.clock.now())) return finalPage(c, found);
    const content = reasonStep({
      language: found.language,
      form: { ...form(found, 'reason', `${base(found)}/reason`), skip: after(found, 'reason') },
      text: text ?? stored.comment ?? '',
      maxLength: MAX_REASON_LENGTH,
      notices: extra,
    });
    return render(c, found, heading(found, 'reason'), content, status);
  };

  app.post('/s/:token/reason', async (c) => {
    const found = await resolve(c.req.param('token'));
    if (!found) return invalid(c);
    const copy = SURVEY_PAGE_COPY[found.language];
    const body = await postedForm(c, found);
    if (!body) return reasonPage(c, found, 403, [{ kind: 'error', text: copy.staleForm }]);
    const text = body.get('reason') ?? '';
    if (text.length > MAX_REASON_LENGTH) {
      return reasonPage(
        c,
        found,
        400,
        [{ kind: 'error', text: copy.tooLong(MAX_REASON_LENGTH) }],
        text.slice(0, MAX_REASON_LENGTH),
      );
    }
    const saved = await recordReason(deps, found.target, text);
    if (!saved.ok) return saved.why === 'final' ? finalPage(c, found) : c.redirect(base(found), 303);
    return c.redirect(after(found, 'reason'), 303);
  });

  const questionPage = async (c: Context, found: Found, status: Status = 200, extra: SurveyNotice[] = []) => {
    const question = spec(found).question;
    if (!question) return c.redirect(`${base(found)}/thanks`, 303);
    const stored = await responseOf(deps, found.target);
    if (!stored) return c.redirect(base(found), 303);
    if (!changeable(stored.response, deps.clock.now())) return finalPage(c, found);
    const content = clubQuestionStep({
      language: found.language,
      question,
      form: { ...form(found, 'question', `${base(found)}/question`), skip: after(found, 'question') },
      selected: stored.response.answer,
      notices: extra,
    });
    return render(c, found, heading(found, 'question'), content, status);
  };

  app.get('/s/:token/question', async (c) => {
    const found = await resolve(c.req.param('token'));
    return found ? questionPage(c, found) : invalid(c);
  });

  app.post('/s/:token/question', async (c) => {
    const found = await resolve(c.req.param('token'));
    if (!found) return invalid(c);
    const copy = SURVEY_PAGE_COPY[found.language];
    const body = await postedForm(c, found);
    if (!body) return questionPage(c, found, 403, [{ kind: 'error', text: copy.staleForm }]);
    const answer = ClubAnswer.safeParse(wholeNumber(body.get('answer')));
    if (!answer.success) return questionPage(c, found, 400, [{ kind: 'error', text: copy.chooseAnswer }]);
    const saved = await recordClubAnswer(deps, found.target, answer.data);
    if (!saved.ok) return saved.why === 'final' ? finalPage(c, found) : c.redirect(base(found), 303);
    return c.redirect(after(found, 'question'), 303);
  });

  app.get('/s/:token/thanks', async (c) => {
    const found = await resolve(c.req.param('token'));
    return found ? thanks(c, found) : invalid(c);
  });

  return app;
}
