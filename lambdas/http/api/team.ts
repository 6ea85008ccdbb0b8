import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../app/deps.js';
import { changeRole, Invitation, inviteToTeam, listTeam, RoleChange, removeFromTeam } from '../../app/team.js';
import { principalId } from '../../core/principal.js';
import { ApiError } from '../api-error.js';
import { noteChange, principalOf } from '../auth/context.js';
import { idParam, jsonBody, refused } from './shared.js';

const UserId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'use the userId the team list gives');

function userIdParam(c: Context): string {
  const parsed = UserId.safeParse(c.req.param('userId'));
  if (!parsed.success) throw new ApiError(400, 'validation', `userId: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** The club's team, for its admins: who has which role, invitations, role changes and removals. */
export function teamRoutes(deps: Pick<Deps, 'roles' | 'directory' | 'clock' | 'log'>): Hono {
  const routes = new Hono();

  routes.get('/team', async (c) => c.json({ team: await listTeam(deps, idParam(c, 'clubId')) }));

  routes.post('/team', async (c) => {
    const invitation = await jsonBody(c, Invitation);
    const result = await inviteToTeam(deps, principalId(principalOf(c)), idParam(c, 'clubId'), invitation);
    if (!result.ok) throw refused(result);
    noteChange(c, { after: result.member });
    return c.json({ member: result.member, invited: result.created ?? false }, 201);
  });

  routes.put('/team/:userId', async (c) => {
    const { role } = await jsonBody(c, RoleChange);
    const actor = principalId(principalOf(c));
    const result = await changeRole(deps, actor, idParam(c, 'clubId'), userIdParam(c), role);
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before, after: result.member });
    return c.json({ member: result.member });
  });

  routes.delete('/team/:userId', async (c) => {
    const result = await removeFromTeam(deps, idParam(c, 'clubId'), userIdParam(c));
    if (!result.ok) throw refused(result);
    noteChange(c, { before: result.before });
    return c.json({ removed: result.member.userId });
  });

  return routes;
}
