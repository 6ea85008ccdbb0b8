import type { Context } from 'hono';
import type { Club } from '../../core/model.js';
import type { Principal } from '../../core/principal.js';
import type { ClubRole } from '../../core/roles.js';
import type { Language } from '../../core/vocabulary.js';
import type { ConsoleCopy } from './copy/index.js';
import type { Formats } from './format.js';
import type { ConsoleSession } from './session.js';

/** What every console request knows once its middleware ran (app.ts). */
export interface ConsoleRequest {
  readonly lang: Language;
  readonly copy: ConsoleCopy;
  /** The CSP nonce of this response (hono/secure-headers). */
  readonly nonce: string;
  /** The path and query, for the language form to return to. */
  readonly here: string;
}

/** A signed-in marketer. */
export interface ConsoleUser {
  readonly session: ConsoleSession;
  readonly principal: Principal;
  /** The clubs the marketer has a role on, for the club switcher. */
  readonly clubIds: readonly string[];
}

/** The club in the path and the marketer's role on it. */
export interface ConsoleClub {
  readonly club: Club;
  readonly role: ClubRole;
  readonly fmt: Formats;
}

declare module 'hono' {
  interface ContextVariableMap {
    consoleRequest: ConsoleRequest;
    consoleUser: ConsoleUser;
    consoleClub: ConsoleClub;
  }
}

export function requestOf(c: Context): ConsoleRequest {
  return c.get('consoleRequest');
}

export function userOf(c: Context): ConsoleUser {
  return c.get('consoleUser');
}

export function clubOf(c: Context): ConsoleClub {
  return c.get('consoleClub');
}
