import { type Context, Hono } from 'hono';
import { saveClubSettings } from '../../../app/club-settings.js';
import { forecastReach } from '../../../app/reach-forecast.js';
import type { Issue } from '../../../app/refusal.js';
import type { Club } from '../../../core/model.js';
import { DAY_MS } from '../../../core/units.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { type Notice, Page } from '../layout.js';
import { fragment, page, seeOther } from '../respond.js';
import { ContrastList, type ReachRow, SettingsPage, type SettingsView } from '../screens/settings.js';
import {
  budgetSentence,
  clubFromForm,
  contrastChecks,
  engagementSentence,
  fingerprint,
  readSettingsForm,
  type SettingsForm,
  settingsFormOf,
} from './settings-form.js';
import { campaignNames, clubBase, formBody, recordAction, refusalNotice } from './shared.js';

/** Club settings for its admins: brand, sender, budget and engagement rules, previewed before saving. */
export function settingsRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const render = async (
    c: Context,
    form: SettingsForm,
    options: { issues?: Issue[]; proposed?: Club; notice?: Notice; status?: 200 | 400 | 409 } = {},
  ) => {
    const req = requestOf(c);
    const { club, fmt } = clubOf(c);
    const f = form.fields;
    let preview: SettingsView['preview'];
    if (options.proposed) {
      const proposed = options.proposed;
      const window = { from: deps.clock.now(), to: new Date(deps.clock.now().getTime() + 7 * DAY_MS) };
      const [before, after] = await Promise.all([
        forecastReach(deps, club, window),
        forecastReach(deps, club, window, proposed),
      ]);
      const names = await campaignNames(deps, club.clubId, before.campaigns.keys());
      const zero = { expected: 0, heldBack: 0 };
      const reach: ReachRow[] = [...before.campaigns.keys()].map((id) => ({
        name: names.get(id) ?? id,
        before: before.campaigns.get(id) ?? zero,
        after: after.campaigns.get(id) ?? zero,
      }));
      const sum = (rows: readonly ReachRow[], side: 'before' | 'after') =>
        rows.reduce(
          (t, r) => ({ expected: t.expected + r[side].expected, heldBack: t.heldBack + r[side].heldBack }),
          zero,
        );
      preview = {
        sentences: {
          budget: budgetSentence(req.copy, fmt, proposed.budget),
          engagement: engagementSentence(req.copy, fmt, proposed.engagement),
        },
        reach,
        total: { name: req.copy.settings.total, before: sum(reach, 'before'), after: sum(reach, 'after') },
        fingerprint: fingerprint(clubInputOf(proposed)),
      };
    }
    const view: SettingsView = {
      copy: req.copy,
      fmt,
      csrf: userOf(c).session.csrf,
      action: `${clubBase(c)}/settings`,
      form,
      issues: options.issues ?? [],
      contrast: contrastChecks({ primary: f.primary ?? '', background: f.background ?? '', text: f.text ?? '' }),
      sentences: {
        budget: budgetSentence(req.copy, fmt, club.budget),
        engagement: engagementSentence(req.copy, fmt, club.engagement),
      },
      ...(preview ? { preview } : {}),
    };
    return page(
      c,
      <Page
        req={req}
        user={userOf(c)}
        club={clubOf(c)}
        active="settings"
        title={req.copy.settings.title}
        notice={options.notice}
      >
        <SettingsPage view={view} />
      </Page>,
      options.status ?? 200,
    );
  };

  routes.get('/settings', (c) => {
    const saved = c.req.query('done') === 'saved';
    return render(
      c,
      settingsFormOf(clubOf(c).club),
      saved ? { notice: { kind: 'ok', text: requestOf(c).copy.settings.saved } } : {},
    );
  });

  routes.post('/settings/check', async (c) => {
    const body = await formBody(c);
    const colours = {
      primary: body.get('primary') ?? '',
      background: body.get('background') ?? '',
      text: body.get('text') ?? '',
    };
    const valid = Object.values(colours).every((v) => /^#[0-9a-fA-F]{6}$/.test(v));
    return fragment(
      c,
      valid ? (
        <ContrastList copy={requestOf(c).copy} checks={contrastChecks(colours)} />
      ) : (
        <ul id="contrast" aria-live="polite" />
      ),
    );
  });

  routes.post('/settings', async (c) => {
    const { club, role } = clubOf(c);
    const copy = requestOf(c).copy;
    const body = await formBody(c);
    const form = readSettingsForm(body, club);
    const made = clubFromForm(form, club);
    if ('issues' in made) return render(c, form, { issues: made.issues, status: 400 });
    const proposed: Club = { ...made.input, clubId: club.clubId, createdAt: club.createdAt };
    // Saving needs the very settings the preview showed: change a field and the preview comes again.
    if (body.get('action') !== 'save' || body.get('previewed') !== fingerprint(made.input)) {
      return render(c, form, {
        proposed,
        ...(body.get('action') === 'save' ? { notice: { kind: 'warn', text: copy.settings.previewFirst } } : {}),
      });
    }
    const saved = await saveClubSettings(deps, { principal: userOf(c).principal, role }, club.clubId, made.input);
    if (!saved.ok) return render(c, form, { proposed, notice: refusalNotice(saved), status: 409 });
    await recordAction(deps, c, 'PUT /clubs/:clubId', {}, { before: saved.before, after: saved.club });
    return seeOther(c, `${clubBase(c)}/settings?done=saved`);
  });

  return routes;
}

function clubInputOf(club: Club) {
  const { clubId: _id, createdAt: _created, ...input } = club;
  return input;
}
