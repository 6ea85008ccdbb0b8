import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { estimateAudience } from '../../../app/audience-estimate.js';
import { saveAudience } from '../../../app/audiences.js';
import type { Issue } from '../../../app/refusal.js';
import type { SavedAudience } from '../../../core/audience.js';
import { ruleIssues } from '../../../core/audience-rules.js';
import { roleAllows } from '../../../core/roles.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { type Notice, Page } from '../layout.js';
import { fragment, notFoundPage, page, seeOther } from '../respond.js';
import { AudienceReadOnly } from '../screens/audience-read-only.js';
import { AudienceBuilder, AudienceCount, type BuilderView, type CountView } from '../screens/audiences.js';
import {
  type AudienceForm,
  audienceFormOf,
  audienceInputOf,
  BuilderAction,
  emptyAudienceForm,
  emptyCondition,
  MAX_CONDITIONS,
  readAudienceForm,
} from './audience-form.js';
import { actorOf, clubBase, formBody, idOf, recordAction } from './shared.js';

const Done = z.enum(['created', 'saved']);
/** The id the count gives an audience not saved yet (it only orders the sample). */
const UNSAVED = 'unsaved-audience';

/**
 * The club's saved audiences (docs/decisions/0051): the list, the builder for editors, the rule as
 * text for viewers, and the count of the rule as it stands, saved or not, from the same estimate as
 * `POST /api/clubs/:club/audiences/:id/estimate`.
 */
export function audienceRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const scopeOf = async (clubId: string) => {
    const [saved, campaigns] = await Promise.all([
      deps.clubs.listAudiences(clubId),
      deps.campaigns.listCampaigns(clubId),
    ]);
    return { saved, campaigns };
  };

  /** The form's count, or why there is none. Queues the club's facts when missing or old (not when polled). */
  const countOf = async (
    c: Context,
    form: AudienceForm,
    self: string | undefined,
    poll: boolean,
  ): Promise<CountView> => {
    const { club } = clubOf(c);
    const attributes = club.attributes ?? [];
    const made = audienceInputOf(form, attributes);
    if (!made.ok) return { kind: 'invalid' };
    const { saved, campaigns } = await scopeOf(club.clubId);
    const id = self ?? UNSAVED;
    const others = saved.filter((a) => a.audienceId !== id);
    const issues = ruleIssues(
      made.input.rule,
      {
        attributes,
        audiences: new Map(others.map((a) => [a.audienceId, a.rule])),
        campaignIds: new Set(campaigns.map((x) => x.campaignId)),
      },
      id,
    );
    if (issues.length > 0) return { kind: 'invalid' };
    const now = deps.clock.now().toISOString();
    const audience: SavedAudience = {
      clubId: club.clubId,
      audienceId: id,
      name: made.input.name,
      description: made.input.description ?? '',
      rule: made.input.rule,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await estimateAudience(deps, audience, [...others, audience], 'offers');
    if (!poll && (outcome.kind === 'preparing' || outcome.stale))
      await deps.importQueue.send([{ step: 'audience-facts', clubId: club.clubId }]);
    return outcome.kind === 'preparing' ? { kind: 'preparing' } : { kind: 'estimate', estimate: outcome.estimate };
  };

  const render = async (
    c: Context,
    form: AudienceForm,
    options: {
      self?: string;
      issues?: Issue[];
      count?: CountView;
      notice?: Notice;
      status?: 200 | 400 | 409;
      json?: string;
    },
  ) => {
    const req = requestOf(c);
    const { club, role, fmt } = clubOf(c);
    const { saved, campaigns } = await scopeOf(club.clubId);
    const base = clubBase(c);
    const view: BuilderView = {
      copy: req.copy,
      fmt,
      csrf: userOf(c).session.csrf,
      action: options.self ? `${base}/audiences/${options.self}` : `${base}/audiences`,
      estimateUrl: `${base}/audience-tools/estimate${options.self ? `?audience=${options.self}` : ''}`,
      form,
      issues: options.issues ?? [],
      attributes: club.attributes ?? [],
      audiences: saved.filter((a) => a.audienceId !== options.self).map((a) => ({ id: a.audienceId, name: a.name })),
      campaigns: campaigns.map((x) => ({ id: x.campaignId, name: x.name })),
      count: options.count ?? { kind: 'none' },
      isNew: options.self === undefined,
    };
    const title = options.self ? req.copy.audiences.editTitle(form.name) : req.copy.audiences.newTitle;
    const editable = roleAllows(role, 'write') && options.json === undefined;
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="audiences" title={title} notice={options.notice}>
        {editable ? (
          <AudienceBuilder view={view} />
        ) : (
          <AudienceReadOnly view={view} {...(options.json === undefined ? {} : { json: options.json })} />
        )}
      </Page>,
      options.status ?? 200,
    );
  };

  routes.get('/audiences', async (c) => {
    const req = requestOf(c);
    const { club, role, fmt } = clubOf(c);
    const a = req.copy.audiences;
    const saved = [...(await deps.clubs.listAudiences(club.clubId))].sort((x, y) => x.name.localeCompare(y.name));
    const conditions = (audience: SavedAudience) =>
      audience.rule.rule === 'all' || audience.rule.rule === 'any' ? audience.rule.of.length : 1;
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="audiences" title={a.title}>
        <p>{a.intro}</p>
        {roleAllows(role, 'write') ? (
          <p>
            <a class="button" href={`${clubBase(c)}/new-audience`}>
              {a.newAudience}
            </a>
          </p>
        ) : null}
        {saved.length === 0 ? (
          <p>{a.none}</p>
        ) : (
          <table>
            <caption class="vh">{a.title}</caption>
            <thead>
              <tr>
                <th scope="col">{req.copy.name}</th>
                <th scope="col">{a.description}</th>
                <th scope="col">{a.conditions}</th>
                <th scope="col">{a.updated}</th>
              </tr>
            </thead>
            <tbody>
              {saved.map((audience) => (
                <tr>
                  <td>
                    <a href={`${clubBase(c)}/audiences/${audience.audienceId}`}>{audience.name}</a>
                  </td>
                  <td>{audience.description}</td>
                  <td>{a.conditionsCount(conditions(audience))}</td>
                  <td>{fmt.dateTime(audience.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Page>,
    );
  });

  routes.get('/new-audience', (c) => render(c, emptyAudienceForm(), {}));

  routes.get('/audiences/:audienceId', async (c) => {
    const audienceId = idOf(c, 'audienceId');
    const { club } = clubOf(c);
    const audience = audienceId
      ? (await deps.clubs.listAudiences(club.clubId)).find((a) => a.audienceId === audienceId)
      : undefined;
    if (!audience) return notFoundPage(c);
    const form = audienceFormOf(audience);
    const done = Done.safeParse(c.req.query('done'));
    const copy = requestOf(c).copy.audiences;
    const notice: Notice | undefined = done.success ? { kind: 'ok', text: copy[done.data] } : undefined;
    const shown = form ?? { ...emptyAudienceForm(), name: audience.name, description: audience.description };
    return render(c, shown, {
      self: audience.audienceId,
      count: await countOf(c, shown, audience.audienceId, false),
      ...(notice ? { notice } : {}),
      ...(form ? {} : { json: JSON.stringify(audience.rule, null, 2) }),
    });
  });

  const post = async (c: Context, self: string | undefined) => {
    const { club } = clubOf(c);
    const body = await formBody(c);
    const form = readAudienceForm(body);
    const action = BuilderAction.parse(body.get('action') ?? 'save');
    const target = self ? { self } : {};
    if (action === 'add') {
      const conditions = [...form.conditions, emptyCondition()].slice(0, MAX_CONDITIONS);
      return render(c, { ...form, conditions }, target);
    }
    if (action.startsWith('remove-')) {
      const index = Number(action.slice('remove-'.length));
      return render(c, { ...form, conditions: form.conditions.filter((_, i) => i !== index) }, target);
    }
    const made = audienceInputOf(form, club.attributes ?? []);
    if (action === 'refresh') return render(c, form, target);
    if (!made.ok) return render(c, form, { ...target, issues: made.issues, count: { kind: 'invalid' }, status: 400 });
    if (action === 'count') return render(c, form, { ...target, count: await countOf(c, form, self, false) });
    const audienceId = self ?? `aud-${randomUUID().slice(0, 8)}`;
    const saved = await saveAudience(deps, club.clubId, audienceId, made.input, actorOf(c));
    if (!saved.ok) {
      const issues = saved.why === 'invalid' ? [...saved.issues] : [{ path: 'name', message: saved.message }];
      return render(c, form, { ...target, issues, status: saved.why === 'invalid' ? 400 : 409 });
    }
    await recordAction(deps, c, 'PUT /clubs/:clubId/audiences/:audienceId', { audienceId }, { after: saved.audience });
    return seeOther(c, `${clubBase(c)}/audiences/${audienceId}?done=${saved.created ? 'created' : 'saved'}`);
  };

  routes.post('/audiences', (c) => post(c, undefined));

  routes.post('/audiences/:audienceId', async (c) => {
    const audienceId = idOf(c, 'audienceId');
    const { club } = clubOf(c);
    const known = audienceId && (await deps.clubs.listAudiences(club.clubId)).some((a) => a.audienceId === audienceId);
    if (!audienceId || !known) return notFoundPage(c);
    return post(c, audienceId);
  });

  // The count of the rule as the form has it now, for htmx (a reader's: it writes nothing about members).
  routes.post('/audience-tools/estimate', async (c) => {
    const body = await formBody(c);
    const form = readAudienceForm(body);
    const self = z.string().optional().parse(c.req.query('audience'));
    const known = self
      ? (await deps.clubs.listAudiences(clubOf(c).club.clubId)).some((a) => a.audienceId === self)
      : false;
    const count = await countOf(c, form, known ? self : undefined, body.get('poll') === '1');
    const { copy } = requestOf(c);
    const url = `${clubBase(c)}/audience-tools/estimate${known && self ? `?audience=${self}` : ''}`;
    return fragment(c, <AudienceCount copy={copy} fmt={clubOf(c).fmt} count={count} estimateUrl={url} />);
  });

  return routes;
}
