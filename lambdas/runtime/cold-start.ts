import type { Deps } from '../app/deps.js';

/**
 * The handler `make` builds from the ports, built once per container (its cold start) and reused by
 * every invocation after, so what it holds between invocations (send-mail's catalog cache) lasts as
 * long as the container. A failed build of the ports is tried again on the next invocation.
 */
export function perColdStart<H>(deps: () => Promise<Deps>, make: (deps: Deps) => H): () => Promise<H> {
  let built: H | undefined;
  return async () => {
    built ??= make(await deps());
    return built;
  };
}
