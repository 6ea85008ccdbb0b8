import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { ExplorerRow } from '../../../app/dry-run-explorer.js';
import type { WaterfallRow } from '../../../core/reach-waterfall.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';

export interface ExplorerView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  /** Where the start / continue form posts. */
  readonly action: string;
  readonly status:
    | { readonly kind: 'none' }
    | {
        readonly kind: 'running';
        readonly done: number;
        readonly total: number;
        readonly judgedAt: string;
        readonly stale: boolean;
      }
    | { readonly kind: 'done'; readonly finishedAt: string; readonly judgedAt: string; readonly stale: boolean };
  readonly waterfall: readonly (WaterfallRow & { readonly label: string; readonly href: string })[];
  readonly reasonLink: (reason: string) => string;
  readonly reasonName: (reason: string) => string;
  readonly chart: string | undefined;
  readonly table: {
    readonly title: string;
    readonly rows: readonly ExplorerRow[];
    readonly previewLink: (memberId: string) => string;
    readonly next?: string;
    readonly first?: string;
  };
  /** Hidden values the progress poller sends back, so the table keeps its filter. */
  readonly keep: Readonly<Record<string, string>>;
}

const Progress: FC<{ view: ExplorerView }> = ({ view }) => {
  const { copy, fmt, status } = view;
  if (status.kind === 'none') {
    return (
      <form method="post" action={view.action}>
        <Csrf token={view.csrf} />
        <p>{copy.explorer.notStarted}</p>
        <button type="submit" name="action" value="start">
          {copy.explorer.start}
        </button>
      </form>
    );
  }
  return (
    <>
      <p>{copy.explorer.judgedAt(fmt.dateTime(status.judgedAt))}</p>
      {status.kind === 'running' ? (
        <>
          <label for="explorer-progress">{copy.explorer.progress(fmt.number(status.done))}</label>
          <progress id="explorer-progress" max={Math.max(status.total, status.done)} value={status.done}>
            {fmt.number(status.done)}
          </progress>
          {/* htmx asks for the next slice on its own; without JavaScript the button does. */}
          <div
            hx-post={view.action}
            hx-trigger="load delay:300ms"
            hx-target="#explorer"
            hx-swap="outerHTML"
            hx-vals={JSON.stringify({ ...view.keep, action: 'continue' })}
          />
          <form method="post" action={view.action}>
            <Csrf token={view.csrf} />
            <button type="submit" name="action" value="continue" class="secondary">
              {copy.explorer.continue}
            </button>
          </form>
        </>
      ) : (
        <form method="post" action={view.action}>
          <Csrf token={view.csrf} />
          <p>{copy.explorer.complete(fmt.dateTime(status.finishedAt))}</p>
          <button type="submit" name="action" value="restart" class="secondary">
            {copy.explorer.recompute}
          </button>
        </form>
      )}
      {status.stale ? <p class="notice warn">{copy.explorer.stale}</p> : null}
    </>
  );
};

/** The explorer's live part: progress, the waterfall (chart and table) and a page of members. */
export const ExplorerBody: FC<{ view: ExplorerView }> = ({ view }) => {
  const { copy, fmt, table } = view;
  return (
    <section id="explorer" aria-live="polite" aria-busy={view.status.kind === 'running' ? 'true' : 'false'}>
      <Progress view={view} />
      {view.status.kind === 'none' ? null : (
        <>
          <h2 id="waterfall-heading">{copy.explorer.waterfall}</h2>
          {view.chart ? <div class="chart">{raw(view.chart)}</div> : null}
          <table aria-labelledby="waterfall-heading">
            <thead>
              <tr>
                <th scope="col">{copy.explorer.step}</th>
                <th scope="col" class="num">
                  {copy.explorer.remaining}
                </th>
                <th scope="col">{copy.explorer.lost}</th>
              </tr>
            </thead>
            <tbody>
              {view.waterfall.map((row) => (
                <tr>
                  <th scope="row">
                    <a href={row.href}>{row.label}</a>
                  </th>
                  <td class="num">{fmt.number(row.remaining)}</td>
                  <td>
                    {row.lost.map((l) => (
                      <span>
                        <a href={view.reasonLink(l.reason)}>{view.reasonName(l.reason)}</a>: {fmt.number(l.count)}{' '}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="members-heading">{table.title}</h2>
          {table.rows.length === 0 ? (
            <p>{copy.explorer.noMembers}</p>
          ) : (
            <table aria-labelledby="members-heading">
              <thead>
                <tr>
                  <th scope="col">{copy.explorer.member}</th>
                  <th scope="col">{copy.explorer.firstName}</th>
                  <th scope="col">{copy.explorer.outcome}</th>
                  <th scope="col">{copy.explorer.why}</th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr>
                    <td>
                      <a href={table.previewLink(row.memberId)}>{row.memberId}</a>
                    </td>
                    <td>{row.firstName}</td>
                    <td>{view.reasonName(row.reason)}</td>
                    <td lang="en">{row.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            {table.first ? <a href={table.first}>{copy.firstPage}</a> : null}{' '}
            {table.next ? <a href={table.next}>{copy.next}</a> : null}
          </p>
        </>
      )}
    </section>
  );
};
