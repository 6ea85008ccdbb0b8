/** One thing wrong with a marketer's input, with the path a reader would write: `offerPool[1]`. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Why a use case refused a marketer's request, as data (core/result.ts): the HTTP layer maps `why`
 * to a status, and the console will show the same message.
 */
export type Refusal =
  | { readonly why: 'invalid'; readonly message: string; readonly issues: readonly Issue[] }
  | { readonly why: 'not-found'; readonly message: string }
  | { readonly why: 'conflict'; readonly message: string }
  | { readonly why: 'forbidden'; readonly message: string }
  /** The club's sender is not on its own verified sending domain: nothing can be sent yet. */
  | { readonly why: 'sender-not-ready'; readonly message: string }
  | { readonly why: 'brand-fit-clash'; readonly message: string };

/** A refusal for input problems: the first one names the field, all of them go along. */
export function invalid(issues: readonly Issue[], fallback = 'invalid input'): Refusal {
  const first = issues[0];
  return { why: 'invalid', message: first ? `${first.path}: ${first.message}` : fallback, issues };
}
