import { describe, expect, it } from 'vitest';
import { ClubRole, clubRolesFromScope, clubScope, Permission, roleAllows, roleFor } from '../../lambdas/core/roles.js';
import { DEFAULT_BODY_LIMIT, policyOf } from '../../lambdas/http/route-policy.js';

describe('the role ladder', () => {
  it('gives each role its own permission and every one below it, and none above', () => {
    const expected: Record<ClubRole, Permission[]> = {
      viewer: ['read'],
      editor: ['read', 'write'],
      approver: ['read', 'write', 'approve'],
      admin: ['read', 'write', 'approve', 'manage'],
    };
    for (const role of ClubRole.options) {
      expect(Permission.options.filter((p) => roleAllows(role, p))).toEqual(expected[role]);
    }
  });

  it('names the least role of each permission', () => {
    expect(Permission.options.map(roleFor)).toEqual(['viewer', 'editor', 'approver', 'admin']);
  });
});

describe('machine scopes', () => {
  it('reads one role per club from club-planner/club:<clubId>:<role> scopes', () => {
    const roles = clubRolesFromScope(`${clubScope('a', 'editor')} ${clubScope('b', 'viewer')} openid`);
    expect([...roles]).toEqual([
      ['a', 'editor'],
      ['b', 'viewer'],
    ]);
  });

  it('keeps the higher of two roles on one club', () => {
    expect(clubRolesFromScope('club-planner/club:a:admin club-planner/club:a:viewer').get('a')).toBe('admin');
  });

  it.each([
    'club-planner/club:a:owner',
    'other/club:a:admin',
    'club-planner/club:__proto__:admin',
    'club-planner/club:a b:admin',
    'club-planner/club::admin',
    'club-planner/club:a:admin:extra',
  ])('ignores %j', (scope) => {
    expect(clubRolesFromScope(scope).size).toBe(0);
  });
});

describe('route policies', () => {
  it('makes an unlisted GET need read and any other method write, with the default body limit', () => {
    expect(policyOf('GET', '/api/clubs/:clubId/new-thing')).toEqual({
      permission: 'read',
      bodyLimit: DEFAULT_BODY_LIMIT,
      bodyTypes: ['application/json'],
    });
    expect(policyOf('DELETE', '/api/clubs/:clubId/new-thing').permission).toBe('write');
  });

  it('never reads a policy from Object.prototype', () => {
    expect(policyOf('GET', 'constructor').permission).toBe('read');
    expect(policyOf('toString', '').permission).toBe('write');
  });
});
