import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';

/** One measure of the report: counts and rates of the mailed and (where it applies) the control group. */
export interface MetricRow {
  readonly key: keyof ConsoleCopy['report']['metrics'];
  readonly mailed: number;
  readonly mailedRate?: number;
  readonly control?: { readonly count: number; readonly rate: number };
  readonly difference?: { readonly value: number; readonly low: number; readonly high: number };
}

export interface ReportView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  readonly action: string;
  readonly windowDays: number;
  readonly status:
    | { readonly kind: 'none' }
    | { readonly kind: 'running'; readonly done: number }
    | { readonly kind: 'done'; readonly finishedAt: string };
  readonly sent: boolean;
  readonly holdout: boolean;
  readonly metrics: readonly MetricRow[];
  readonly days: ReadonlyArray<{
    readonly day: string;
    readonly label: string;
    readonly sent: number;
    readonly clicked: number;
    readonly converted: number;
    readonly holdoutConverted: number;
    readonly unsubscribed: number;
  }>;
  readonly chart: string | undefined;
  readonly legend: ReadonlyArray<{ readonly name: string; readonly colour: string }>;
}

const pp = (fmt: Formats, share: number) => `${share >= 0 ? '+' : ''}${fmt.percent(share, 2)}`;

export const ReportBody: FC<{ view: ReportView }> = ({ view }) => {
  const { copy, fmt, status } = view;
  return (
    <section id="report" aria-live="polite" aria-busy={status.kind === 'running' ? 'true' : 'false'}>
      {!view.sent ? <p class="notice warn">{copy.report.notSent}</p> : null}
      <form method="post" action={view.action}>
        <Csrf token={view.csrf} />
        <label for="window">{copy.report.window}</label>
        <input type="number" id="window" name="windowDays" min={1} max={60} value={String(view.windowDays)} />
        <button type="submit" name="action" value="restart">
          {status.kind === 'none' ? copy.report.compute : copy.report.recount}
        </button>
      </form>
      {status.kind === 'running' ? (
        <>
          <p>{copy.report.progress(fmt.number(status.done))}</p>
          <div
            hx-post={view.action}
            hx-trigger="load delay:300ms"
            hx-target="#report"
            hx-swap="outerHTML"
            hx-vals={JSON.stringify({ action: 'continue' })}
          />
          <form method="post" action={view.action}>
            <Csrf token={view.csrf} />
            <button type="submit" name="action" value="continue" class="secondary">
              {copy.explorer.continue}
            </button>
          </form>
        </>
      ) : status.kind === 'done' ? (
        <p>{copy.report.complete(fmt.dateTime(status.finishedAt))}</p>
      ) : (
        <p>{copy.report.notCounted}</p>
      )}
      {status.kind === 'none' ? null : (
        <>
          <p class="help">{copy.report.conversionNote(fmt.number(view.windowDays))}</p>
          {view.holdout ? null : <p class="notice warn">{copy.report.noHoldout}</p>}
          <table>
            <caption class="vh">{copy.report.metric}</caption>
            <thead>
              <tr>
                <th scope="col">{copy.report.metric}</th>
                <th scope="col" class="num">
                  {copy.report.mailed}
                </th>
                <th scope="col" class="num">
                  {copy.report.rate}
                </th>
                <th scope="col" class="num">
                  {copy.report.holdout}
                </th>
                <th scope="col" class="num">
                  {copy.report.rate}
                </th>
                <th scope="col" class="num">
                  {copy.report.difference}
                </th>
                <th scope="col" class="num">
                  {copy.report.interval}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.metrics.map((m) => (
                <tr>
                  <th scope="row">{copy.report.metrics[m.key]}</th>
                  <td class="num">{fmt.number(m.mailed)}</td>
                  <td class="num">{m.mailedRate === undefined ? '' : fmt.percent(m.mailedRate, 2)}</td>
                  <td class="num">{m.control ? fmt.number(m.control.count) : ''}</td>
                  <td class="num">{m.control ? fmt.percent(m.control.rate, 2) : ''}</td>
                  <td class="num">{m.difference ? pp(fmt, m.difference.value) : ''}</td>
                  <td class="num">
                    {m.difference ? `${pp(fmt, m.difference.low)} … ${pp(fmt, m.difference.high)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="per-day">{copy.report.perDay}</h2>
          {view.chart ? <div class="chart">{raw(view.chart)}</div> : null}
          {view.legend.length > 0 ? (
            <ul class="legend" aria-label={copy.report.legend}>
              {view.legend.map((l) => (
                <li>
                  <svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false">
                    <rect width="14" height="14" fill={l.colour} />
                  </svg>
                  {l.name}
                </li>
              ))}
            </ul>
          ) : null}
          <table aria-labelledby="per-day">
            <thead>
              <tr>
                <th scope="col">{copy.report.day}</th>
                <th scope="col" class="num">
                  {copy.report.metrics.sent}
                </th>
                <th scope="col" class="num">
                  {copy.report.metrics.clicked}
                </th>
                <th scope="col" class="num">
                  {copy.report.metrics.converted}
                </th>
                <th scope="col" class="num">
                  {`${copy.report.metrics.converted} (${copy.report.holdout})`}
                </th>
                <th scope="col" class="num">
                  {copy.report.metrics.unsubscribed}
                </th>
              </tr>
            </thead>
            <tbody>
              {view.days.map((d) => (
                <tr>
                  <th scope="row">{d.label}</th>
                  <td class="num">{fmt.number(d.sent)}</td>
                  <td class="num">{fmt.number(d.clicked)}</td>
                  <td class="num">{fmt.number(d.converted)}</td>
                  <td class="num">{fmt.number(d.holdoutConverted)}</td>
                  <td class="num">{fmt.number(d.unsubscribed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};
