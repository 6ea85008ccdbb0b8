import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { NpsReport } from '../../../app/nps-report.js';
import type { CaseState } from '../../../core/feedback-case.js';
import type { NpsFigure } from '../../../core/nps.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { Csrf } from '../layout.js';

/** Colours of the chart, named in its legend (contrast 4.5:1 or more on white for the line). */
export const NPS_LINE = '#1b4fbf';
export const NPS_BAND = '#c9d8f5';

/** One open or contacted case in the follow-up queue. */
export interface CaseRow {
  readonly caseId: string;
  readonly memberId: string;
  readonly score: number;
  readonly state: CaseState;
  readonly owner?: string;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly overdue: boolean;
  /** The states the marketer may move it to (none for a viewer). */
  readonly next: readonly CaseState[];
}

export interface NpsView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly csrf: string;
  readonly base: string;
  /** The form's values as the marketer gave them (local dates in the club's zone). */
  readonly form: { readonly from: string; readonly to: string; readonly window: string };
  readonly issues: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  readonly report: NpsReport | undefined;
  readonly chart: string | undefined;
  readonly cases: readonly CaseRow[];
}

const Figure: FC<{ copy: ConsoleCopy; fmt: Formats; figure: NpsFigure; min: number }> = ({ copy, fmt, figure, min }) =>
  figure.nps === null || figure.margin95 === null ? (
    <p>{copy.nps.noAnswers}</p>
  ) : (
    <p class="figure">
      <strong>{copy.nps.headline(fmt.decimal(figure.nps), fmt.decimal(figure.margin95))}</strong>
      {figure.tooFewToRead ? <span class="flag"> {copy.nps.tooFew(fmt.number(min))}</span> : null}
    </p>
  );

const Counts: FC<{ copy: ConsoleCopy; fmt: Formats; figure: NpsFigure; label: string }> = ({
  copy,
  fmt,
  figure,
  label,
}) => {
  const share = (n: number) => (figure.responses > 0 ? ` (${fmt.percent(n / figure.responses)})` : '');
  return (
    <dl class="facts" aria-label={label}>
      <dt>{copy.nps.responses}</dt>
      <dd>{fmt.number(figure.responses)}</dd>
      <dt>{copy.nps.promoters}</dt>
      <dd>{`${fmt.number(figure.promoters)}${share(figure.promoters)}`}</dd>
      <dt>{copy.nps.passives}</dt>
      <dd>{`${fmt.number(figure.passives)}${share(figure.passives)}`}</dd>
      <dt>{copy.nps.detractors}</dt>
      <dd>{`${fmt.number(figure.detractors)}${share(figure.detractors)}`}</dd>
    </dl>
  );
};

/** A period's last day: its end is exclusive (midnight after it), so the day is the one before. */
const lastDay = (fmt: Formats, end: string) => fmt.date(new Date(Date.parse(end) - 1));

const interval = (fmt: Formats, f: NpsFigure) =>
  f.nps === null || f.margin95 === null
    ? ''
    : `${fmt.decimal(f.nps - f.margin95)} … ${fmt.decimal(f.nps + f.margin95)}`;

const FigureCells: FC<{ fmt: Formats; copy: ConsoleCopy; figure: NpsFigure }> = ({ fmt, copy, figure }) => (
  <>
    <td class="num">{fmt.number(figure.responses)}</td>
    <td class="num">{figure.nps === null ? '' : fmt.decimal(figure.nps)}</td>
    <td class="num">{figure.margin95 === null ? '' : fmt.decimal(figure.margin95)}</td>
    <td class="num">{interval(fmt, figure)}</td>
    <td>{figure.tooFewToRead ? copy.no : copy.yes}</td>
  </>
);

const FigureHeads: FC<{ copy: ConsoleCopy }> = ({ copy }) => (
  <>
    <th scope="col" class="num">
      {copy.nps.responses}
    </th>
    <th scope="col" class="num">
      {copy.nps.nps}
    </th>
    <th scope="col" class="num">
      {copy.nps.margin}
    </th>
    <th scope="col" class="num">
      {copy.nps.interval}
    </th>
    <th scope="col">{copy.nps.readable}</th>
  </>
);

const PeriodForm: FC<{ view: NpsView }> = ({ view }) => {
  const { copy, form, issues } = view;
  const problem = (field: string) => issues.find((i) => i.field === field);
  const described = (field: string) =>
    problem(field) ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {};
  return (
    <form method="get" action={`${view.base}/nps`}>
      <fieldset>
        <legend>{copy.nps.period}</legend>
        {issues.length > 0 ? (
          <div class="notice bad" role="alert">
            <p>{copy.nps.problems}</p>
            <ul>
              {issues.map((i) => (
                <li>{`${i.field}: ${i.message}`}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {(['from', 'to'] as const).map((field) => (
          <>
            <label for={field}>{copy.nps[field]}</label>
            <input type="date" id={field} name={field} value={form[field]} {...described(field)} />
            {problem(field) ? (
              <p class="field-error" id={`${field}-error`}>
                {problem(field)?.message}
              </p>
            ) : null}
          </>
        ))}
        <label for="window">{copy.nps.window}</label>
        <input type="number" id="window" name="window" min={7} max={365} value={form.window} {...described('window')} />
        {problem('window') ? (
          <p class="field-error" id="window-error">
            {problem('window')?.message}
          </p>
        ) : null}
        <div>
          <button type="submit">{copy.nps.show}</button>
        </div>
      </fieldset>
    </form>
  );
};

const SeriesSection: FC<{ view: NpsView; report: NpsReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  return (
    <section aria-labelledby="nps-series">
      <h2 id="nps-series">{copy.nps.seriesTitle(fmt.number(report.window))}</h2>
      <p class="help">{copy.nps.seriesNote}</p>
      {view.chart ? <div class="chart">{raw(view.chart)}</div> : null}
      <ul class="legend" aria-label={copy.nps.legend}>
        <li>
          <svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill={NPS_LINE} />
          </svg>
          {copy.nps.legendLine}
        </li>
        <li>
          <svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill={NPS_BAND} />
          </svg>
          {copy.nps.legendBand}
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true" focusable="false">
            <circle cx="7" cy="7" r="5" fill="#ffffff" stroke={NPS_LINE} stroke-width="2" />
          </svg>{' '}
          {copy.nps.legendHollow}
        </li>
      </ul>
      <table aria-labelledby="nps-series" id="nps-series-table">
        <thead>
          <tr>
            <th scope="col">{copy.nps.windowEnd}</th>
            <FigureHeads copy={copy} />
            <th scope="col">{copy.nps.changeColumn}</th>
          </tr>
        </thead>
        <tbody>
          {report.series.map((point) => (
            <tr>
              <th scope="row">{lastDay(fmt, point.to)}</th>
              <FigureCells fmt={fmt} copy={copy} figure={point} />
              <td>{copy.nps.changes[point.change]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const Segments: FC<{ view: NpsView; report: NpsReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const keys = Object.keys(report.segments);
  return (
    <section aria-labelledby="nps-segments">
      <h2 id="nps-segments">{copy.nps.segmentsTitle}</h2>
      {keys.length === 0 ? <p>{copy.nps.noSegments}</p> : null}
      {keys.map((key) => (
        <table>
          <caption>{copy.nps.segment(key)}</caption>
          <thead>
            <tr>
              <th scope="col">{copy.nps.value}</th>
              <FigureHeads copy={copy} />
            </tr>
          </thead>
          <tbody>
            {Object.entries(report.segments[key] ?? {}).map(([value, figure]) => (
              <tr>
                <th scope="row">{copy.nps.values[value] ?? value}</th>
                <FigureCells fmt={fmt} copy={copy} figure={figure} />
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
};

const Cases: FC<{ view: NpsView }> = ({ view }) => {
  const { copy, fmt } = view;
  const withActions = view.cases.some((c) => c.next.length > 0);
  return (
    <section aria-labelledby="nps-cases">
      <h2 id="nps-cases">{copy.nps.casesTitle}</h2>
      <p class="help">{copy.nps.casesNote}</p>
      {view.cases.length === 0 ? (
        <p>{copy.nps.noCases}</p>
      ) : (
        <table aria-labelledby="nps-cases" id="nps-cases-table">
          <thead>
            <tr>
              <th scope="col">{copy.nps.member}</th>
              <th scope="col" class="num">
                {copy.nps.score}
              </th>
              <th scope="col">{copy.nps.state}</th>
              <th scope="col">{copy.nps.owner}</th>
              <th scope="col">{copy.nps.opened}</th>
              <th scope="col">{copy.nps.due}</th>
              {withActions ? <th scope="col">{copy.nps.actions}</th> : null}
            </tr>
          </thead>
          <tbody>
            {view.cases.map((row) => (
              <tr>
                <th scope="row">{row.memberId}</th>
                <td class="num">{fmt.number(row.score)}</td>
                <td>{copy.nps.states[row.state]}</td>
                <td>{row.owner ?? copy.none}</td>
                <td>{fmt.dateTime(row.openedAt)}</td>
                <td>
                  {fmt.dateTime(row.dueAt)}
                  {row.overdue ? <span class="flag"> {copy.nps.overdue}</span> : null}
                </td>
                {withActions ? (
                  <td>
                    {row.next.length > 0 ? (
                      <form method="post" action={`${view.base}/nps/cases/${row.caseId}`}>
                        <Csrf token={view.csrf} />
                        {row.next.map((state) => (
                          <button type="submit" name="state" value={state} class="secondary">
                            {state === 'contacted' ? copy.nps.markContacted : copy.nps.markResolved}
                            <span class="vh">{`: ${row.memberId}`}</span>
                          </button>
                        ))}
                      </form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

/** The NPS screen: the period's figure with its margin against the period before, the rolling windows, segments and the follow-up queue. */
export const NpsBody: FC<{ view: NpsView }> = ({ view }) => {
  const { copy, fmt, report } = view;
  return (
    <>
      <PeriodForm view={view} />
      {report ? (
        <>
          <section aria-labelledby="nps-period">
            <h2 id="nps-period">{`${fmt.date(report.from)} – ${lastDay(fmt, report.to)}`}</h2>
            <Figure copy={copy} fmt={fmt} figure={report} min={report.minReadableResponses} />
            <Counts copy={copy} fmt={fmt} figure={report} label={copy.nps.period} />
            <p class="help">{copy.nps.figureNote}</p>
            <h3>{copy.nps.previous(fmt.date(report.previous.from), lastDay(fmt, report.previous.to))}</h3>
            <Figure copy={copy} fmt={fmt} figure={report.previous} min={report.minReadableResponses} />
            <p class={report.change === 'none' ? undefined : 'flag'}>{copy.nps.change[report.change]}</p>
          </section>
          <SeriesSection view={view} report={report} />
          <Segments view={view} report={report} />
        </>
      ) : null}
      <Cases view={view} />
    </>
  );
};
