import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { IdentityDirectory } from '../core/access-ports.js';

const scryptAsync = promisify(scrypt);
const KEY_BYTES = 32;

const LocalUser = z.object({
  sub: z.uuid(),
  email: z.email(),
  groups: z.array(z.string()),
  /** scrypt: `<salt>:<hash>`, base64url. */
  passwordHash: z.string().regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/),
  createdAt: z.iso.datetime(),
});
export type LocalUser = z.infer<typeof LocalUser>;

const UsersFile = z.object({ users: z.array(LocalUser) });

async function hash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scryptAsync(password, salt, KEY_BYTES);
  if (!(derived instanceof Buffer)) throw new Error('scrypt gave no buffer');
  return `${salt.toString('base64url')}:${derived.toString('base64url')}`;
}

async function matches(password: string, stored: string): Promise<boolean> {
  const [salt, expected] = stored.split(':');
  if (!salt || !expected) return false;
  const derived = await scryptAsync(password, Buffer.from(salt, 'base64url'), KEY_BYTES);
  const wanted = Buffer.from(expected, 'base64url');
  return derived instanceof Buffer && derived.length === wanted.length && timingSafeEqual(derived, wanted);
}

/** A password a person can type from the console output: 20 characters of base64url. */
export function newPassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * The local issuer's marketers (lambdas/adapters/local-issuer.ts): what Cognito's user pool is on
 * AWS. Passwords are kept as scrypt hashes; with a file, the users persist under `.data/` across
 * restarts, like the table. As the identity directory, an invitation creates the account with a
 * temporary password and hands it to `onInvite` (npm start prints it; Cognito would mail it).
 */
export class LocalUsers implements IdentityDirectory {
  private readonly users = new Map<string, LocalUser>();

  constructor(
    private readonly options: {
      readonly file?: string;
      readonly onInvite?: (email: string, temporaryPassword: string) => void;
    } = {},
  ) {
    if (options.file && existsSync(options.file)) {
      for (const user of UsersFile.parse(JSON.parse(readFileSync(options.file, 'utf8'))).users) {
        this.users.set(user.sub, user);
      }
    }
  }

  findBySub(sub: string): LocalUser | undefined {
    return this.users.get(sub);
  }

  findByEmail(email: string): LocalUser | undefined {
    const wanted = email.toLowerCase();
    return [...this.users.values()].find((u) => u.email.toLowerCase() === wanted);
  }

  /** The user whose address and password these are; undefined for a wrong pair (in constant work). */
  async signIn(email: string, password: string): Promise<LocalUser | undefined> {
    const user = this.findByEmail(email);
    // A missing user costs one scrypt too, so timing does not tell which addresses exist.
    const ok = await matches(password, user?.passwordHash ?? 'AAAAAAAAAAAAAAAAAAAAAA:AAAA');
    return ok ? user : undefined;
  }

  /** Create a user, or set the password and groups of the one with this address. */
  async upsert(email: string, password: string, groups: readonly string[] = []): Promise<LocalUser> {
    const existing = this.findByEmail(email);
    const user: LocalUser = {
      sub: existing?.sub ?? randomUUID(),
      email: existing?.email ?? email,
      groups: [...groups],
      passwordHash: await hash(password),
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    this.users.set(user.sub, user);
    this.save();
    return user;
  }

  async invite(email: string): Promise<{ userId: string; email: string; created: boolean }> {
    const existing = this.findByEmail(email);
    if (existing) return { userId: existing.sub, email: existing.email, created: false };
    const temporary = newPassword();
    const user = await this.upsert(email, temporary);
    this.options.onInvite?.(user.email, temporary);
    return { userId: user.sub, email: user.email, created: true };
  }

  async emailOf(userId: string): Promise<string | undefined> {
    return this.users.get(userId)?.email;
  }

  private save(): void {
    const file = this.options.file;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ users: [...this.users.values()] }, null, 2), { mode: 0o600 });
  }
}
