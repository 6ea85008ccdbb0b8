import type { ClubRole } from './roles.js';

/** The group whose members may create clubs (a Cognito group; the local issuer's users carry it alike). */
export const OPERATOR_GROUP = 'operators';

/**
 * Who is calling, from a verified access token. A marketer signed in through the console is a
 * `user`, whose roles are stored per club; a client-credentials app (a CRM sync) is a `machine`,
 * whose roles come from its token's scopes and nowhere else.
 */
export type Principal =
  | {
      readonly kind: 'user';
      /** The issuer's `sub`. */
      readonly sub: string;
      readonly clientId: string;
      readonly groups: readonly string[];
    }
  | {
      readonly kind: 'machine';
      /** The app client id (also its token's `sub`). */
      readonly clientId: string;
      readonly clubRoles: ReadonlyMap<string, ClubRole>;
    };

/** One string per principal for records (audit, campaign authors): `user:<sub>` or `client:<clientId>`. */
export function principalId(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.sub}` : `client:${principal.clientId}`;
}

export function isOperator(principal: Principal): boolean {
  return principal.kind === 'user' && principal.groups.includes(OPERATOR_GROUP);
}
