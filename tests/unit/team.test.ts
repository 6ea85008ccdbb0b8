import { describe, expect, it } from 'vitest';
import { LocalUsers } from '../../lambdas/adapters/local-users.js';
import { MemoryRoleStore } from '../../lambdas/adapters/memory/memory-role-store.js';
import { roleOn } from '../../lambdas/app/access.js';
import { changeRole, inviteToTeam, listTeam, removeFromTeam } from '../../lambdas/app/team.js';
import { clubRolesFromScope } from '../../lambdas/core/roles.js';
import { NOW } from './fixtures.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function team() {
  const invited: string[] = [];
  const deps = {
    roles: new MemoryRoleStore(),
    directory: new LocalUsers({ onInvite: (email) => invited.push(email) }),
    clock: { now: () => NOW },
    log: quiet,
  };
  return { deps, invited };
}

describe('a club team (in-memory adapters)', () => {
  it('invites a new address once, and finds the same account for a second club', async () => {
    const { deps, invited } = team();
    const first = await inviteToTeam(deps, 'user:admin', 'club-a', { email: 'eva@club.example', role: 'editor' });
    const second = await inviteToTeam(deps, 'user:admin', 'club-b', { email: 'eva@club.example', role: 'viewer' });
    expect(first.ok && first.created).toBe(true);
    expect(second.ok && second.created).toBe(false);
    expect(first.ok && second.ok && first.member.userId === second.member.userId).toBe(true);
    expect(invited).toEqual(['eva@club.example']);
  });

  it('refuses to invite someone already on the team', async () => {
    const { deps } = team();
    await inviteToTeam(deps, 'user:admin', 'club-a', { email: 'eva@club.example', role: 'editor' });
    const again = await inviteToTeam(deps, 'user:admin', 'club-a', { email: 'eva@club.example', role: 'admin' });
    expect(again).toMatchObject({ ok: false, why: 'conflict' });
  });

  it('keeps the last admin: no demotion, no removal, until another admin exists', async () => {
    const { deps } = team();
    const admin = await inviteToTeam(deps, 'op', 'club-a', { email: 'ann@club.example', role: 'admin' });
    if (!admin.ok) throw new Error(admin.message);
    const { userId } = admin.member;
    expect(await changeRole(deps, 'op', 'club-a', userId, 'editor')).toMatchObject({ ok: false, why: 'conflict' });
    expect(await removeFromTeam(deps, 'club-a', userId)).toMatchObject({ ok: false, why: 'conflict' });
    await inviteToTeam(deps, 'op', 'club-a', { email: 'bo@club.example', role: 'admin' });
    expect((await changeRole(deps, 'op', 'club-a', userId, 'editor')).ok).toBe(true);
    expect((await listTeam(deps, 'club-a')).map((m) => [m.email, m.role])).toEqual([
      ['ann@club.example', 'editor'],
      ['bo@club.example', 'admin'],
    ]);
  });

  it("takes a removed marketer's role away at once", async () => {
    const { deps } = team();
    await inviteToTeam(deps, 'op', 'club-a', { email: 'ann@club.example', role: 'admin' });
    const eva = await inviteToTeam(deps, 'op', 'club-a', { email: 'eva@club.example', role: 'editor' });
    if (!eva.ok) throw new Error(eva.message);
    const principal = { kind: 'user', sub: eva.member.userId, clientId: 'console', groups: [] } as const;
    expect(await roleOn(deps, principal, 'club-a')).toBe('editor');
    expect((await removeFromTeam(deps, 'club-a', eva.member.userId)).ok).toBe(true);
    expect(await roleOn(deps, principal, 'club-a')).toBeUndefined();
    expect(await removeFromTeam(deps, 'club-a', eva.member.userId)).toMatchObject({ ok: false, why: 'not-found' });
  });

  it("reads a machine client's role from its scopes only, never from the table", async () => {
    const { deps } = team();
    const machine = {
      kind: 'machine',
      clientId: 'crm',
      clubRoles: clubRolesFromScope('club-planner/club:club-a:editor'),
    } as const;
    await deps.roles.put({
      clubId: 'club-b',
      userId: 'crm',
      role: 'admin',
      grantedBy: 'x',
      grantedAt: NOW.toISOString(),
    });
    expect(await roleOn(deps, machine, 'club-a')).toBe('editor');
    expect(await roleOn(deps, machine, 'club-b')).toBeUndefined();
  });
});
