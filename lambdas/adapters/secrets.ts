import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { type TokenKeySource, type TokenKeys, TokenKeysJson } from '../core/tokens.js';

/**
 * How long a secret read from Secrets Manager is kept before the next use reads it again: a rotated
 * link key or origin header reaches every warm container within this time (docs/security.md).
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Reads a secret's string on use, through Powertools Parameters' cache with a maximum age. */
export type SecretText = (secretId: string) => Promise<string>;

export function secretText(options: { client?: SecretsManagerClient; maxAgeSeconds?: number } = {}): SecretText {
  const provider = new SecretsProvider(options.client ? { awsSdkV3Client: options.client } : {});
  const maxAge = options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS;
  return async (secretId) => {
    let value: string | Uint8Array | undefined;
    try {
      value = await provider.get(secretId, { maxAge });
    } catch (error: unknown) {
      throw new ConfigError(`The secret ${secretId} could not be read`, { cause: error });
    }
    if (typeof value !== 'string' || value === '') throw new ConfigError(`The secret ${secretId} has no SecretString`);
    return value;
  };
}

/** The link-signing keys from their secret, parsed again only when the secret's text changed. */
export function tokenKeysFromSecret(read: SecretText, secretId: string): TokenKeySource {
  let last: { text: string; keys: TokenKeys } | undefined;
  return async () => {
    const text = await read(secretId);
    if (last?.text !== text) last = { text, keys: parseTokenKeys(text, secretId) };
    return last.keys;
  };
}

export function parseTokenKeys(text: string, source: string): TokenKeys {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error: unknown) {
    throw new ConfigError(`The token keys in ${source} are not JSON`, { cause: error });
  }
  const parsed = TokenKeysJson.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`The token keys in ${source} are invalid: ${parsed.error.issues[0]?.message ?? '?'}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** A secret that must be one long string (the suppression key, the origin header). */
export function longSecret(read: SecretText, secretId: string, minLength = 32): () => Promise<string> {
  const Long = z.string().min(minLength);
  return async () => {
    const parsed = Long.safeParse(await read(secretId));
    if (!parsed.success) throw new ConfigError(`The secret ${secretId} is shorter than ${minLength} characters`);
    return parsed.data;
  };
}
