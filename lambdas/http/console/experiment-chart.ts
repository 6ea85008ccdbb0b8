import * as Plot from '@observablehq/plot';
import { documentForPlot, svgOf } from './charts.js';

/** One arm's share of members who had left mail at the end of a month, with its 95 % interval. */
export interface LeftPoint {
  readonly armId: string;
  readonly at: Date;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** The month is not over: drawn as a hollow dot. */
  readonly open: boolean;
}

/** The simulator's predicted share for an arm at the end of a month (a dashed line). */
export interface PredictedPoint {
  readonly armId: string;
  readonly at: Date;
  readonly value: number;
}

/**
 * Members who left mail per month, one colour per arm: the observed share as dots on a line with
 * its 95 % band, and the simulator's prediction for the same arm as a dashed line. One dot per row
 * of the table beside it (an arm's month with members).
 */
export function leftChart(
  observed: readonly LeftPoint[],
  predicted: readonly PredictedPoint[],
  options: {
    readonly arms: readonly string[];
    readonly colours: readonly string[];
    readonly tickFormat: (at: Date) => string;
    readonly percent: (share: number) => string;
    readonly width?: number;
  },
): string {
  const top = Math.max(0.01, ...observed.map((p) => p.high), ...predicted.map((p) => p.value));
  const figure = Plot.plot({
    document: documentForPlot(),
    width: options.width ?? 720,
    height: 300,
    marginLeft: 56,
    marginRight: 40,
    marginBottom: 40,
    x: { type: 'utc', label: null, tickFormat: options.tickFormat, ticks: 6 },
    y: { label: null, grid: true, domain: [0, top * 1.1], tickFormat: options.percent },
    color: { domain: [...options.arms], range: [...options.colours], legend: false },
    marks: [
      Plot.areaY(observed, { x: 'at', y1: 'low', y2: 'high', z: 'armId', fill: 'armId', fillOpacity: 0.15 }),
      Plot.ruleY([0], { stroke: '#767676' }),
      Plot.lineY(observed, { x: 'at', y: 'value', z: 'armId', stroke: 'armId', strokeWidth: 2 }),
      Plot.lineY(predicted, {
        x: 'at',
        y: 'value',
        z: 'armId',
        stroke: 'armId',
        strokeWidth: 2,
        strokeDasharray: '6 4',
      }),
      Plot.dot(
        observed.filter((p) => !p.open),
        { x: 'at', y: 'value', fill: 'armId', r: 4 },
      ),
      Plot.dot(
        observed.filter((p) => p.open),
        { x: 'at', y: 'value', stroke: 'armId', fill: '#ffffff', strokeWidth: 2, r: 4 },
      ),
    ],
  });
  return svgOf(figure);
}
