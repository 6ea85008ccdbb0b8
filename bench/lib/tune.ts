/**
 * Coordinate search: starting from `start`, try every listed value of one parameter at a time,
 * keep a change only when it strictly improves the objective, and sweep again until a full pass
 * changes nothing (or `maxPasses` is reached). Deterministic; each configuration is evaluated once.
 */
/** One parameter's values to try, as variants of a base configuration. */
export interface Axis<P> {
  readonly name: string;
  readonly variants: (base: P) => P[];
}

export function axis<P, K extends keyof P & string>(name: K, values: readonly P[K][]): Axis<P> {
  return { name, variants: (base) => values.map((value) => ({ ...base, [name]: value })) };
}

export interface SearchResult<P> {
  readonly best: P;
  readonly value: number;
  readonly evaluations: number;
}

export function coordinateSearch<P extends object>(
  start: P,
  axes: readonly Axis<P>[],
  objective: (params: P) => number,
  log: (line: string) => void = () => undefined,
  maxPasses = 3,
): SearchResult<P> {
  const cache = new Map<string, number>();
  const evaluate = (params: P): number => {
    const key = JSON.stringify(params);
    const known = cache.get(key);
    if (known !== undefined) return known;
    const value = objective(params);
    cache.set(key, value);
    log(`${value.toFixed(4)}  ${key}`);
    return value;
  };
  let best = start;
  let bestValue = evaluate(start);
  for (let pass = 0; pass < maxPasses; pass += 1) {
    let changed = false;
    for (const { variants } of axes) {
      for (const trial of variants(best)) {
        const trialValue = evaluate(trial);
        if (trialValue > bestValue) {
          best = trial;
          bestValue = trialValue;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { best, value: bestValue, evaluations: cache.size };
}
