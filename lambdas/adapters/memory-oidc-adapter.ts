import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

type Store = Map<string, Entry>;

function live(store: Store, key: string): AdapterPayload | undefined {
  const entry = store.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
    store.delete(key);
    return undefined;
  }
  return entry.payload;
}

/**
 * The local issuer's storage of sessions, interactions, codes and grants, in memory: a restart signs
 * everyone out, which is what a local run wants. (Its access tokens are JWTs and need no storage.)
 * oidc-provider's own in-memory adapter works too but announces itself as unfit for production.
 */
export function memoryOidcAdapter(): AdapterFactory {
  // One store for all models of one issuer, keyed by model name and id, so grants revoke across models.
  const store: Store = new Map();
  return (model) => new MemoryOidcAdapter(store, model);
}

class MemoryOidcAdapter implements Adapter {
  constructor(
    private readonly store: Store,
    private readonly model: string,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return live(this.store, this.key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const key of this.store.keys()) {
      if (!key.startsWith(`${this.model}:`)) continue;
      const payload = live(this.store, key);
      if (payload?.uid === uid) return payload;
    }
    return undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const key of this.store.keys()) {
      if (!key.startsWith(`${this.model}:`)) continue;
      const payload = live(this.store, key);
      if (payload?.userCode === userCode) return payload;
    }
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = live(this.store, this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of this.store) if (entry.payload.grantId === grantId) this.store.delete(key);
  }
}
