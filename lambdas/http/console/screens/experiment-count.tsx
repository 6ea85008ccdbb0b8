import type { FC } from 'hono/jsx';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';

/** The report's stored count as the screen shows it: as of when, and a count under way. */
export interface CountState {
  readonly countedAt: string | null;
  readonly counting: {
    readonly members: number;
    readonly shardsDone: number;
    readonly shards: number;
  } | null;
}

/** Where the count form posts, with its CSRF token; absent where the screen is only read (a unit test). */
export interface CountForm {
  readonly csrf: string;
  readonly action: string;
}

/**
 * As of when the figures were counted, and the form that counts them again
 * (docs/decisions/0053-experiment-counted-in-slices.md). While a count runs, htmx posts "continue"
 * until it is done; without JavaScript the Continue button does the same.
 */
export const CountStatus: FC<{ copy: ConsoleCopy; fmt: Formats; state: CountState; form?: CountForm }> = ({
  copy,
  fmt,
  state,
  form,
}) => {
  const e = copy.experiment;
  const { counting, countedAt } = state;
  return (
    <div id="experiment-count">
      <p id="experiment-counted-at" class={countedAt ? 'help' : 'notice warn'}>
        {countedAt ? e.countedAt(fmt.dateTime(countedAt)) : e.notCounted}
      </p>
      {counting ? (
        <p role="status">
          {e.counting(fmt.number(counting.members), fmt.number(counting.shardsDone), fmt.number(counting.shards))}
        </p>
      ) : null}
      {form && counting ? (
        <>
          <div
            hx-post={form.action}
            hx-trigger="load delay:300ms"
            hx-target="#experiment-report"
            hx-swap="outerHTML"
            hx-vals={JSON.stringify({ action: 'continue' })}
          />
          <form method="post" action={form.action}>
            <Csrf token={form.csrf} />
            <button type="submit" name="action" value="continue" class="secondary">
              {e.continueCount}
            </button>
          </form>
        </>
      ) : null}
      {form ? (
        <form method="post" action={form.action}>
          <Csrf token={form.csrf} />
          <button type="submit" name="action" value="restart">
            {countedAt || counting ? e.recount : e.count}
          </button>
        </form>
      ) : null}
      {countedAt ? <p class="help">{e.countNote}</p> : null}
    </div>
  );
};
