import { randomUUID } from 'node:crypto';
import type { AccessTokenVerifier, TokenRefusal } from '../../core/access-ports.js';
import type { Principal } from '../../core/principal.js';
import { fail, ok, type Result } from '../../core/result.js';

/**
 * Opaque tokens handed out by `issue`, each standing for one principal: for HTTP tests of the routes
 * on in-memory ports. The JWT checks themselves are JwtAccessTokens' (tests/integration/local-issuer.test.ts).
 */
export class MemoryAccessTokens implements AccessTokenVerifier {
  private readonly tokens = new Map<string, Principal>();

  /** A bearer token for `principal`. */
  issue(principal: Principal): string {
    const token = `memory.${randomUUID()}`;
    this.tokens.set(token, principal);
    return token;
  }

  /** The token stops working, as an expired one does. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  async verify(token: string): Promise<Result<{ principal: Principal }, { why: TokenRefusal }>> {
    if (!token.startsWith('memory.')) return fail({ why: 'malformed' });
    const principal = this.tokens.get(token);
    return principal ? ok({ principal }) : fail({ why: 'invalid' });
  }
}
