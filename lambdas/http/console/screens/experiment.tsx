import { raw } from 'hono/html';
import type { FC } from 'hono/jsx';
import type { readExperimentReport } from '../../../app/experiment-report.js';
import type { ArmPolicy } from '../../../core/experiment.js';
import type { Interval } from '../../../core/experiment-stats.js';
import { assertNever } from '../../../core/units.js';
import type { ConsoleCopy } from '../copy/index.js';
import type { Formats } from '../format.js';
import { type CountForm, CountStatus } from './experiment-count.js';

/** The report of `GET /api/clubs/:club/experiment`, as the use case returns it. */
export type ExperimentReport = NonNullable<Awaited<ReturnType<typeof readExperimentReport>>>;

/** One colour per arm, in the arms' order (3:1 or more on white, told apart by the legend and the table too). */
export const ARM_COLOURS = ['#1b4fbf', '#a8430f', '#2e7d32', '#7b1fa2'] as const;

export interface ExperimentView {
  readonly copy: ConsoleCopy;
  readonly fmt: Formats;
  readonly report: ExperimentReport | undefined;
  readonly chart: string | undefined;
  /** The simulator's predicted share who left, per arm and month of the report (month 1 first). */
  readonly predictedLeft: ReadonlyMap<string, readonly number[]>;
  readonly countForm?: CountForm;
}

type Copy = ConsoleCopy['experiment'];

const twoDecimals = new Map<string, Intl.NumberFormat>();

/** Mails, conversions and spend per member: small numbers, two decimals in the marketer's language. */
function perMember(copy: ConsoleCopy, n: number): string {
  let format = twoDecimals.get(copy.locale);
  if (!format) {
    format = new Intl.NumberFormat(copy.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    twoDecimals.set(copy.locale, format);
  }
  return format.format(n);
}

export function policyText(copy: Copy, fmt: Formats, policy: ArmPolicy): string {
  switch (policy.type) {
    case 'club-budget':
    case 'previous-settings':
    case 'no-campaign-mail':
      return copy.policies[policy.type];
    case 'fixed-cap': {
      const caps = policy.windows.map((w) => copy.policies.cap(fmt.number(w.max), fmt.number(w.days))).join(', ');
      return copy.policies['fixed-cap'](
        caps,
        policy.minGapHours > 0 ? copy.policies.gap(fmt.number(policy.minGapHours)) : '',
      );
    }
    default:
      return assertNever(policy);
  }
}

/** A figure and its 95 % interval in one cell, or a dash when the arm had no members. */
const Cell: FC<{ view: ExperimentView; value: Interval | null; show: (n: number) => string }> = ({
  view,
  value,
  show,
}) =>
  value === null ? (
    <td class="num">{view.copy.experiment.noFigure}</td>
  ) : (
    <td class="num">
      {show(value.estimate)}
      <br />
      <span class="help interval">{view.copy.experiment.interval(show(value.low), show(value.high))}</span>
    </td>
  );

const Readability: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const { readability, experiment } = report;
  const { minMonths, minMembersPerArm } = experiment.readableAfter;
  if (readability.readable)
    return (
      <div class="notice ok" role="status" id="experiment-readability">
        {e.readable}
      </div>
    );
  return (
    <div class="notice warn" role="status" id="experiment-readability">
      <p>
        <strong>{e.notYet}</strong>
      </p>
      <ul>
        {readability.monthsComplete < minMonths ? (
          <li>{e.missingMonths(fmt.number(minMonths), fmt.number(readability.monthsComplete))}</li>
        ) : null}
        {readability.smallestArm < minMembersPerArm ? (
          <li>{e.missingMembers(fmt.number(minMembersPerArm), fmt.number(readability.smallestArm))}</li>
        ) : null}
      </ul>
      <p>{e.notYetNote}</p>
    </div>
  );
};

const Facts: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const { experiment } = report;
  return (
    <dl class="facts" aria-label={e.facts}>
      <dt>{e.experimentId}</dt>
      <dd>{experiment.experimentId}</dd>
      <dt>{e.state}</dt>
      <dd>{e.status[experiment.status]}</dd>
      <dt>{e.started}</dt>
      <dd>{fmt.date(experiment.startedAt)}</dd>
      {experiment.stoppedAt ? (
        <>
          <dt>{e.stopped}</dt>
          <dd>{fmt.date(experiment.stoppedAt)}</dd>
        </>
      ) : null}
      <dt>{e.readableAfter}</dt>
      <dd>
        {e.readableRule(
          fmt.number(experiment.readableAfter.minMonths),
          fmt.number(experiment.readableAfter.minMembersPerArm),
        )}
      </dd>
    </dl>
  );
};

const Arms: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const latest = report.months[report.months.length - 1];
  return (
    <section aria-labelledby="experiment-arms">
      <h2 id="experiment-arms">{e.armsTitle}</h2>
      <table aria-labelledby="experiment-arms" id="experiment-arms-table">
        <thead>
          <tr>
            <th scope="col">{e.arm}</th>
            <th scope="col" class="num">
              {e.share}
            </th>
            <th scope="col">{e.policy}</th>
            <th scope="col" class="num">
              {e.members}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.experiment.arms.map((arm, i) => (
            <tr>
              <th scope="row">
                <svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false">
                  <rect width="14" height="14" fill={ARM_COLOURS[i % ARM_COLOURS.length]} />
                </svg>
                {arm.armId}
                {arm.armId === report.reference ? ` ${e.reference}` : ''}
              </th>
              <td class="num">{fmt.percent(arm.share)}</td>
              <td>{policyText(e, fmt, arm.policy)}</td>
              <td class="num">{fmt.number(latest?.arms.find((a) => a.armId === arm.armId)?.members ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

const Observed: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const share = (n: number) => fmt.percent(n);
  const mean = (n: number) => perMember(copy, n);
  return (
    <section aria-labelledby="experiment-observed">
      <h2 id="experiment-observed">{e.chartTitle}</h2>
      <p class="help">{e.chartNote}</p>
      {view.chart ? <div class="chart">{raw(view.chart)}</div> : null}
      <ul class="legend" aria-label={e.legend}>
        {report.experiment.arms.map((arm, i) => (
          <li>
            <svg class="swatch" width="14" height="14" aria-hidden="true" focusable="false">
              <rect width="14" height="14" fill={ARM_COLOURS[i % ARM_COLOURS.length]} />
            </svg>
            {arm.armId}
          </li>
        ))}
        <li>
          <svg width="28" height="14" aria-hidden="true" focusable="false">
            <line x1="0" y1="7" x2="28" y2="7" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="6 4" />
          </svg>{' '}
          {e.legendPredicted}
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true" focusable="false">
            <circle cx="7" cy="7" r="5" fill="#ffffff" stroke="#1a1a1a" stroke-width="2" />
          </svg>{' '}
          {e.legendOpen}
        </li>
      </ul>
      <h3 id="experiment-table-title">{e.observedTitle}</h3>
      {report.months.length === 0 && report.countedAt ? <p>{e.noMonths}</p> : null}
      <table aria-labelledby="experiment-table-title" id="experiment-table">
        <thead>
          <tr>
            <th scope="col">{e.month}</th>
            <th scope="col">{e.arm}</th>
            <th scope="col" class="num">
              {e.members}
            </th>
            <th scope="col" class="num">
              {e.left}
            </th>
            <th scope="col" class="num">
              {e.predictedLeft}
            </th>
            <th scope="col" class="num">
              {e.passive}
            </th>
            <th scope="col" class="num">
              {e.mails}
            </th>
            <th scope="col" class="num">
              {e.conversions}
            </th>
            <th scope="col" class="num">
              {e.spend}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.months.flatMap((month, index) =>
            month.arms
              .filter((arm) => arm.left !== null)
              .map((arm) => {
                const predicted = view.predictedLeft.get(arm.armId)?.[index];
                return (
                  <tr>
                    <th scope="row">
                      {fmt.month(`${month.month}-01`)}
                      {month.complete ? null : <span class="flag">{` (${e.legendOpen})`}</span>}
                    </th>
                    <td>{arm.armId}</td>
                    <td class="num">{fmt.number(arm.members)}</td>
                    <Cell view={view} value={arm.left} show={share} />
                    <td class="num">{predicted === undefined ? e.noFigure : share(predicted)}</td>
                    <Cell view={view} value={arm.passive} show={share} />
                    <Cell view={view} value={arm.mailsPerMember} show={mean} />
                    <Cell view={view} value={arm.conversionsPerMember} show={mean} />
                    <Cell view={view} value={arm.spendPerMember} show={mean} />
                  </tr>
                );
              }),
          )}
        </tbody>
      </table>
    </section>
  );
};

const Differences: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const share = (n: number) => fmt.percent(n);
  const mean = (n: number) => perMember(copy, n);
  return (
    <section aria-labelledby="experiment-differences">
      <h2 id="experiment-differences">{e.differencesTitle(report.reference)}</h2>
      <p class="help">{e.differencesNote}</p>
      <table aria-labelledby="experiment-differences" id="experiment-differences-table">
        <thead>
          <tr>
            <th scope="col">{e.month}</th>
            <th scope="col">{e.versus}</th>
            <th scope="col" class="num">
              {e.left}
            </th>
            <th scope="col" class="num">
              {e.passive}
            </th>
            <th scope="col" class="num">
              {e.mails}
            </th>
            <th scope="col" class="num">
              {e.conversions}
            </th>
            <th scope="col" class="num">
              {e.spend}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.months.flatMap((month) =>
            month.differences.map((d) => (
              <tr>
                <th scope="row">{fmt.month(`${month.month}-01`)}</th>
                <td>{`${d.armId} − ${d.versus}`}</td>
                <Cell view={view} value={d.left} show={share} />
                <Cell view={view} value={d.passive} show={share} />
                <Cell view={view} value={d.mailsPerMember} show={mean} />
                <Cell view={view} value={d.conversionsPerMember} show={mean} />
                <Cell view={view} value={d.spendPerMember} show={mean} />
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
};

const Prediction: FC<{ view: ExperimentView; report: ExperimentReport }> = ({ view, report }) => {
  const { copy, fmt } = view;
  const e = copy.experiment;
  const { prediction } = report;
  const figure = (n: number | null | undefined, show: (n: number) => string) =>
    n === null || n === undefined ? e.noFigure : show(n);
  const share = (n: number) => fmt.percent(n);
  const mean = (n: number) => perMember(copy, n);
  return (
    <section aria-labelledby="experiment-prediction">
      <h2 id="experiment-prediction">{e.predictionTitle}</h2>
      {prediction.status === 'missing' ? (
        <p id="experiment-prediction-state">{e.predictionMissing}</p>
      ) : (
        <>
          {prediction.status === 'stale' ? (
            <div class="notice warn" role="status" id="experiment-prediction-state">
              {e.predictionStale}
            </div>
          ) : null}
          <p class="help">
            {e.predictionFrom(
              fmt.dateTime(prediction.computedAt),
              fmt.number(prediction.simulator.members),
              fmt.number(prediction.simulator.weeks),
            )}
          </p>
          <table aria-labelledby="experiment-prediction" id="experiment-prediction-table">
            <thead>
              <tr>
                <th scope="col">{e.arm}</th>
                <th scope="col">{e.latestMonth}</th>
                <th scope="col" class="num">{`${e.left}: ${e.predicted}`}</th>
                <th scope="col" class="num">{`${e.left}: ${e.observed}`}</th>
                <th scope="col" class="num">{`${e.mails}: ${e.predicted}`}</th>
                <th scope="col" class="num">{`${e.mails}: ${e.observed}`}</th>
                <th scope="col" class="num">{`${e.conversions}: ${e.predicted}`}</th>
                <th scope="col" class="num">{`${e.conversions}: ${e.observed}`}</th>
              </tr>
            </thead>
            <tbody>
              {prediction.arms.map((arm) => (
                <tr>
                  <th scope="row">{arm.armId}</th>
                  <td>{arm.month ? fmt.month(`${arm.month}-01`) : e.noFigure}</td>
                  <td class="num">{figure(arm.predicted?.leftShare, share)}</td>
                  <td class="num">{figure(arm.observed?.leftShare, share)}</td>
                  <td class="num">{figure(arm.predicted?.mailsPerMember, mean)}</td>
                  <td class="num">{figure(arm.observed?.mailsPerMember, mean)}</td>
                  <td class="num">{figure(arm.predicted?.conversionsPerMember, mean)}</td>
                  <td class="num">{figure(arm.observed?.conversionsPerMember, mean)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};

/** The experiment screen: its arms, whether it may be read yet, the chart and its table, the differences, the prediction. */
export const ExperimentBody: FC<{ view: ExperimentView }> = ({ view }) => {
  const { report } = view;
  const e = view.copy.experiment;
  if (!report) return <p id="experiment-none">{e.none}</p>;
  return (
    <div id="experiment-report" aria-live="polite" aria-busy={report.counting ? 'true' : 'false'}>
      <p class="help">{e.intro}</p>
      <CountStatus
        copy={view.copy}
        fmt={view.fmt}
        state={report}
        {...(view.countForm ? { form: view.countForm } : {})}
      />
      <Facts view={view} report={report} />
      <Readability view={view} report={report} />
      <Arms view={view} report={report} />
      <Observed view={view} report={report} />
      <Differences view={view} report={report} />
      <Prediction view={view} report={report} />
    </div>
  );
};
