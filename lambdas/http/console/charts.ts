import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Charts drawn on the server as SVG (Observable Plot on linkedom's DOM): no chart code reaches the
 * browser. Each chart is decoration beside a table with the same numbers, so it is hidden from
 * assistive technology and its links are out of the tab order (the table's links are the same).
 * Plot's own <style> is dropped: the page's CSP allows no inline style, and console.css has its rules.
 */
export function svgOf(figure: ReturnType<typeof Plot.plot>): string {
  for (const style of figure.querySelectorAll('style')) style.remove();
  for (const link of figure.querySelectorAll('a')) link.setAttribute('tabindex', '-1');
  figure.setAttribute('aria-hidden', 'true');
  figure.setAttribute('focusable', 'false');
  figure.removeAttribute('class');
  return figure.outerHTML;
}

export function documentForPlot() {
  return parseHTML('<!doctype html><html><body></body></html>').document;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly href?: string;
}

/** Horizontal bars, one per row, each labelled with its formatted value and linked when given a link. */
export function barChart(bars: readonly Bar[], options: { readonly colour: string; readonly width?: number }): string {
  const figure = Plot.plot({
    document: documentForPlot(),
    width: options.width ?? 720,
    height: 40 + bars.length * 34,
    marginLeft: 260,
    marginRight: 80,
    x: { axis: null },
    y: { label: null, domain: bars.map((b) => b.label) },
    marks: [
      Plot.barX(bars, {
        x: 'value',
        y: 'label',
        fill: options.colour,
        ...(bars.some((b) => b.href) ? { href: (b: Bar) => b.href ?? null } : {}),
      }),
      Plot.text(bars, { x: 'value', y: 'label', text: 'text', textAnchor: 'start', dx: 6, fill: '#1a1a1a' }),
      Plot.ruleX([0]),
    ],
  });
  return svgOf(figure);
}

export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly points: ReadonlyArray<{ readonly day: string; readonly value: number }>;
}

/** Grouped bars per day: one colour per series, with a legend of the series' names. */
export function dailyChart(
  series: readonly Series[],
  options: { readonly days: readonly string[]; readonly width?: number },
): string {
  const data = series.flatMap((s) => s.points.map((p) => ({ series: s.name, day: p.day, value: p.value })));
  const figure = Plot.plot({
    document: documentForPlot(),
    width: options.width ?? 720,
    height: 260,
    marginBottom: 40,
    fx: { label: null, domain: [...options.days] },
    x: { axis: null, domain: series.map((s) => s.name) },
    y: { label: null, grid: true },
    color: { domain: series.map((s) => s.name), range: series.map((s) => s.colour), legend: false },
    marks: [Plot.barY(data, { fx: 'day', x: 'series', y: 'value', fill: 'series' }), Plot.ruleY([0])],
  });
  return svgOf(figure);
}

export interface BandPoint {
  readonly at: Date;
  /** The value, or null when there is none (a gap in the line). */
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Drawn as a hollow dot: shown, but not to be read (too few answers). */
  readonly faint: boolean;
}

/**
 * A line over time with its 95 % band: filled dots where the point can be read, hollow ones where it
 * cannot. `tickFormat` writes the time axis in the marketer's language.
 */
export function bandChart(
  points: readonly BandPoint[],
  options: {
    readonly colour: string;
    readonly band: string;
    readonly tickFormat: (at: Date) => string;
    readonly domain?: readonly [number, number];
    readonly width?: number;
  },
): string {
  const shown = points.filter((p) => p.value !== null);
  const figure = Plot.plot({
    document: documentForPlot(),
    width: options.width ?? 720,
    height: 300,
    marginLeft: 48,
    marginBottom: 40,
    x: { type: 'utc', label: null, tickFormat: options.tickFormat, ticks: 6 },
    y: { label: null, grid: true, ...(options.domain ? { domain: [...options.domain] } : {}) },
    marks: [
      Plot.areaY(points, { x: 'at', y1: 'low', y2: 'high', fill: options.band }),
      Plot.ruleY([0], { stroke: '#767676' }),
      Plot.lineY(points, { x: 'at', y: 'value', stroke: options.colour, strokeWidth: 2 }),
      Plot.dot(
        shown.filter((p) => !p.faint),
        { x: 'at', y: 'value', fill: options.colour, r: 4 },
      ),
      Plot.dot(
        shown.filter((p) => p.faint),
        { x: 'at', y: 'value', stroke: options.colour, fill: '#ffffff', strokeWidth: 2, r: 4 },
      ),
    ],
  });
  return svgOf(figure);
}
