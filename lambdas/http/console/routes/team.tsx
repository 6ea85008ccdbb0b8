import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { changeRole, Invitation, inviteToTeam, listTeam, removeFromTeam } from '../../../app/team.js';
import { AUDIT_CURSOR, AuditQuery } from '../../../core/audit.js';
import { ClubRole } from '../../../core/roles.js';
import { clubOf, requestOf, userOf } from '../context.js';
import type { ConsoleDeps } from '../deps.js';
import { Csrf, type Notice, Page } from '../layout.js';
import { notFoundPage, page, seeOther } from '../respond.js';
import { actorOf, clubBase, formBody, peopleNames, recordAction, refusalNotice } from './shared.js';

const UserId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const Done = z.enum(['invited', 'changed', 'removed']);
const EXPORT_PAGE = 500;
const EXPORT_MAX = 100_000;

/** The club's team for its admins (invite, change a role, remove), and its audit trail. */
export function teamRoutes(deps: ConsoleDeps): Hono {
  const routes = new Hono();

  const show = async (c: Context, notice?: Notice, status: 200 | 400 | 404 | 409 = 200) => {
    const req = requestOf(c);
    const { copy } = req;
    const { club } = clubOf(c);
    const csrf = userOf(c).session.csrf;
    const team = await listTeam(deps, club.clubId);
    const me = userOf(c).session.sub;
    const base = `${clubBase(c)}/team`;
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="team" title={copy.team.title} notice={notice}>
        <table>
          <thead>
            <tr>
              <th scope="col">{copy.team.email}</th>
              <th scope="col">{copy.team.role}</th>
              <th scope="col">{copy.team.remove}</th>
            </tr>
          </thead>
          <tbody>
            {team.map((m) => (
              <tr>
                <th scope="row">
                  {m.email ?? m.userId} {m.userId === me ? copy.team.you : ''}
                </th>
                <td>
                  <form method="post" action={`${base}/${m.userId}`}>
                    <Csrf token={csrf} />
                    <label class="vh" for={`role-${m.userId}`}>
                      {`${copy.team.role}: ${m.email ?? m.userId}`}
                    </label>
                    <select id={`role-${m.userId}`} name="role">
                      {ClubRole.options.map((r) => (
                        <option value={r} selected={r === m.role}>
                          {copy.roles[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="secondary">
                      {copy.team.changeRole}
                    </button>
                  </form>
                </td>
                <td>
                  <form method="post" action={`${base}/${m.userId}/remove`}>
                    <Csrf token={csrf} />
                    <button type="submit" class="danger" aria-label={`${copy.team.remove}: ${m.email ?? m.userId}`}>
                      {copy.team.remove}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{copy.team.invite}</h2>
        <form method="post" action={base}>
          <Csrf token={csrf} />
          <label for="invite-email">{copy.team.email}</label>
          <input type="email" id="invite-email" name="email" required autocomplete="off" />
          <label for="invite-role">{copy.team.role}</label>
          <select id="invite-role" name="role">
            {ClubRole.options.map((r) => (
              <option value={r} selected={r === 'editor'}>
                {copy.roles[r]}
              </option>
            ))}
          </select>
          <div class="actions">
            <button type="submit">{copy.team.inviteButton}</button>
          </div>
        </form>
      </Page>,
      status,
    );
  };

  routes.get('/team', (c) => {
    const done = Done.safeParse(c.req.query('done'));
    const copy = requestOf(c).copy;
    const texts = {
      invited: copy.team.invited(c.req.query('email') ?? ''),
      changed: copy.team.changed,
      removed: copy.team.removed,
    };
    return show(c, done.success ? { kind: 'ok', text: texts[done.data] } : undefined);
  });

  routes.post('/team', async (c) => {
    const body = await formBody(c);
    const invitation = Invitation.safeParse({ email: body.get('email')?.trim(), role: body.get('role') });
    if (!invitation.success)
      return show(c, { kind: 'bad', text: `email: ${invitation.error.issues[0]?.message ?? 'invalid'}` }, 400);
    const result = await inviteToTeam(deps, actorOf(c), clubOf(c).club.clubId, invitation.data);
    if (!result.ok) return show(c, refusalNotice(result), 409);
    await recordAction(deps, c, 'POST /clubs/:clubId/team', {}, { after: result.member });
    return seeOther(c, `${clubBase(c)}/team?done=invited&email=${encodeURIComponent(result.member.email ?? '')}`);
  });

  routes.post('/team/:userId', async (c) => {
    const userId = UserId.safeParse(c.req.param('userId'));
    const role = ClubRole.safeParse((await formBody(c)).get('role'));
    if (!userId.success) return notFoundPage(c);
    if (!role.success) return show(c, { kind: 'bad', text: 'role: choose a role' }, 400);
    const result = await changeRole(deps, actorOf(c), clubOf(c).club.clubId, userId.data, role.data);
    if (!result.ok) return show(c, refusalNotice(result), result.why === 'not-found' ? 404 : 409);
    await recordAction(
      deps,
      c,
      'PUT /clubs/:clubId/team/:userId',
      { userId: userId.data },
      { before: result.before, after: result.member },
    );
    return seeOther(c, `${clubBase(c)}/team?done=changed`);
  });

  routes.post('/team/:userId/remove', async (c) => {
    const userId = UserId.safeParse(c.req.param('userId'));
    if (!userId.success) return notFoundPage(c);
    const result = await removeFromTeam(deps, clubOf(c).club.clubId, userId.data);
    if (!result.ok) return show(c, refusalNotice(result), result.why === 'not-found' ? 404 : 409);
    await recordAction(
      deps,
      c,
      'DELETE /clubs/:clubId/team/:userId',
      { userId: userId.data },
      { before: result.before },
    );
    return seeOther(c, `${clubBase(c)}/team?done=removed`);
  });

  routes.get('/audit', async (c) => {
    const req = requestOf(c);
    const { copy } = req;
    const { club, fmt } = clubOf(c);
    const cursor = c.req.query('cursor');
    const query = AuditQuery.parse({ limit: 50, ...(cursor && AUDIT_CURSOR.test(cursor) ? { cursor } : {}) });
    const [found, names] = await Promise.all([deps.audit.list(club.clubId, query), peopleNames(deps, club.clubId)]);
    const base = `${clubBase(c)}/audit`;
    return page(
      c,
      <Page req={req} user={userOf(c)} club={clubOf(c)} active="audit" title={copy.audit.title}>
        <p>
          <a class="button secondary" href={`${base}/export`} download>
            {copy.audit.export}
          </a>
        </p>
        {found.entries.length === 0 ? (
          <p>{copy.audit.empty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{copy.audit.when}</th>
                <th scope="col">{copy.audit.who}</th>
                <th scope="col">{copy.audit.action}</th>
                <th scope="col">{copy.audit.target}</th>
              </tr>
            </thead>
            <tbody>
              {found.entries.map((e) => (
                <tr>
                  <td>{fmt.dateTime(e.at)}</td>
                  <td>{names(e.actor)}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {Object.entries(e.target)
                      .filter(([k]) => k !== 'clubId')
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {found.cursor ? (
          <p>
            <a href={`${base}?cursor=${encodeURIComponent(found.cursor)}`}>{copy.audit.more}</a>
          </p>
        ) : null}
      </Page>,
    );
  });

  // The whole trail as JSON lines, as the API's export (http/api/audit.ts) gives it.
  routes.get('/audit/export', async (c) => {
    const clubId = clubOf(c).club.clubId;
    const lines: string[] = [];
    let cursor: string | undefined;
    do {
      const found = await deps.audit.list(clubId, { limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
      for (const entry of found.entries) lines.push(JSON.stringify(entry));
      cursor = found.cursor;
    } while (cursor && lines.length < EXPORT_MAX);
    c.header('Content-Disposition', `attachment; filename="${clubId}-audit.jsonl"`);
    return c.body(lines.length > 0 ? `${lines.join('\n')}\n` : '', 200, { 'Content-Type': 'application/x-ndjson' });
  });

  return routes;
}
