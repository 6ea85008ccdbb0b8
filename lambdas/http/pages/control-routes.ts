import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from '../../app/deps.js';
import { applyControl } from '../../app/mail-controls.js';
import { ClubPlannerError } from '../../core/errors.js';
import { csrfMatches, csrfToken } from '../../core/form-tokens.js';
import { MailControl } from '../../core/mail-controls.js';
import type { Campaign, Club, Language, Member } from '../../core/model.js';
import { signToken, type TokenKeys, verifyToken } from '../../core/tokens.js';
import { CONTROL_COPY } from './control-copy.js';
import { confirmControlView, controlDoneView } from './control-views.js';
import { INVALID_PAGE, layout, type Markup } from './layout.js';
import { CROSS_SITE, formBody, noStore, pageHeaders, sameOriginForms } from './routes.js';

type ControlPageDeps = Pick<Deps, 'clubs' | 'campaigns' | 'members' | 'deliveryStats' | 'clock' | 'tokenKeys' | 'log'>;

/** A control link that verified: the member, the campaign whose mail it was in, and the control. */
interface Found {
  readonly token: string;
  readonly keys: TokenKeys;
  readonly control: MailControl;
  readonly club: Club;
  readonly campaign: Campaign;
  readonly member: Member;
  readonly language: Language;
}

/**
 * The pages behind the controls inside every offers mail (docs/decisions/0042-in-mail-controls.md):
 * `/c/<signed control link>/<control>`. A GET or HEAD only asks (mail scanners fetch every link); the
 * page's one button POSTs with the form token, same-origin, and the change is applied and said. A link
 * we cannot honour gets the one answer every member page gives.
 */
export function controlPages(deps: ControlPageDeps): Hono {
  const app = new Hono();
  app.use('/c/*', noStore, pageHeaders, sameOriginForms);
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return c.text(CROSS_SITE, 403);
    throw error;
  });
  const invalid = (c: Context) => c.html(INVALID_PAGE, 404);

  const resolve = async (token: string, control: string): Promise<Found | undefined> => {
    const which = MailControl.safeParse(control);
    if (!which.success) return undefined;
    const keys = await deps.tokenKeys();
    const check = verifyToken(keys, token, deps.clock.now());
    if (!check.ok) {
      deps.log.info('member link refused', { purpose: 'control', why: check.why });
      return undefined;
    }
    const { purpose, clubId, memberId, campaignId } = check.claims;
    if (purpose !== 'control' || !campaignId) return undefined;
    const [club, campaign, state] = await Promise.all([
      deps.clubs.getClub(clubId),
      deps.campaigns.getCampaign(clubId, campaignId),
      deps.members.getState(clubId, memberId),
    ]);
    if (!club || !campaign || !state) return undefined;
    const member = state.member;
    const language = !club.languages || club.languages.includes(member.language) ? member.language : club.language;
    return { token, keys, control: which.data, club, campaign, member, language };
  };

  const render = (c: Context, found: Found, title: string, content: Markup, status: 200 | 403 = 200) => {
    const nonce = c.get('secureHeadersNonce');
    if (!nonce) throw new ClubPlannerError('member pages need the secure-headers middleware for their CSP nonce');
    return c.html(layout({ club: found.club, language: found.language, title, nonce, content }), status);
  };

  const preferencesLink = (found: Found) =>
    `/p/${signToken(
      found.keys,
      { purpose: 'preferences', clubId: found.club.clubId, memberId: found.member.memberId },
      deps.clock.now(),
    )}`;

  const confirmPage = (c: Context, found: Found, error?: string) => {
    const copy = CONTROL_COPY[found.language];
    const content = confirmControlView({
      copy: copy.controls[found.control],
      action: `/c/${found.token}/${found.control}`,
      csrf: csrfToken(found.keys, found.token) ?? '',
      preferencesLink: preferencesLink(found),
      morePreferences: copy.morePreferences,
      ...(error ? { error } : {}),
    });
    return render(c, found, copy.controls[found.control].title, content, error ? 403 : 200);
  };

  app.get('/c/:token/:control', async (c) => {
    const found = await resolve(c.req.param('token'), c.req.param('control'));
    if (!found) return invalid(c);
    return confirmPage(c, found);
  });

  app.post('/c/:token/:control', async (c) => {
    const found = await resolve(c.req.param('token'), c.req.param('control'));
    if (!found) return invalid(c);
    const copy = CONTROL_COPY[found.language];
    if (!csrfMatches(found.keys, found.token, (await formBody(c)).get('csrf'))) {
      deps.log.info('control form refused', { reason: 'csrf' });
      return confirmPage(c, found, copy.staleForm);
    }
    const applied = await applyControl(deps, found, found.control);
    if (applied.kind === 'not-found') return invalid(c);
    const until = applied.pausedUntil
      ? new Intl.DateTimeFormat(copy.locale, {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: found.member.timeZone,
        }).format(new Date(applied.pausedUntil))
      : '';
    const content = controlDoneView({
      text: copy.controls[found.control].done(until),
      ...(applied.kind === 'unchanged' ? { already: copy.already } : {}),
      preferencesLink: preferencesLink(found),
      morePreferences: copy.morePreferences,
    });
    return render(c, found, copy.doneTitle, content);
  });

  return app;
}
