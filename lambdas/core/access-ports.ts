import type { AuditEntry, AuditQuery } from './audit.js';
import type { Principal } from './principal.js';
import type { Result } from './result.js';
import type { RoleAssignment } from './roles.js';

/**
 * The ports of identity and access (docs/decisions/0027-marketer-roles-and-approval.md), beside the
 * domain's own in ports.ts.
 */

/** Why a bearer token was refused; the caller only ever sees one 401. */
export type TokenRefusal = 'malformed' | 'invalid' | 'expired' | 'wrong-client' | 'wrong-token-use';

/**
 * Verifies a marketer's bearer token (a JWT access token from Cognito on AWS, from the in-process
 * issuer locally): signature against the issuer's JWKS, issuer, expiry, token use and client id.
 */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Result<{ principal: Principal }, { why: TokenRefusal }>>;
}

/** Which marketer (by `sub`) holds which role on which club. Machine clients' roles are in their tokens. */
export interface RoleStore {
  get(clubId: string, userId: string): Promise<RoleAssignment | undefined>;
  /** The club's team. */
  list(clubId: string): Promise<RoleAssignment[]>;
  /** Every club the marketer has a role on. */
  clubsOf(userId: string): Promise<RoleAssignment[]>;
  put(assignment: RoleAssignment): Promise<void>;
  remove(clubId: string, userId: string): Promise<'removed' | 'absent'>;
}

/** The marketers' accounts: Cognito's user pool on AWS, the local issuer's users locally. */
export interface IdentityDirectory {
  /**
   * The account of `email`, created (and invited: Cognito mails a temporary password) when there is
   * none yet. Idempotent: a second call finds the account the first made.
   */
  invite(email: string): Promise<{ userId: string; email: string; created: boolean }>;
  /** The address of an account, by its `sub`; undefined when there is no such account. */
  emailOf(userId: string): Promise<string | undefined>;
}

/** Every action on a club, who took it and what it changed (core/audit.ts). */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first, a page at a time. */
  list(clubId: string, query: AuditQuery): Promise<{ entries: AuditEntry[]; cursor?: string }>;
}
