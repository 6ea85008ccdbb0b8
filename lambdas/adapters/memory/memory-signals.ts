import type { CaseAlert, CaseAlerts, Metrics } from '../../core/feedback-ports.js';
import type { Clock, Logger } from '../../core/ports.js';

/** Keeps the case alerts it is given: the in-memory twin of the SNS topic and the local mail alert. */
export class MemoryCaseAlerts implements CaseAlerts {
  readonly alerts: CaseAlert[] = [];

  async caseOpened(alert: CaseAlert): Promise<void> {
    this.alerts.push(structuredClone(alert));
  }
}

/** Keeps the gauges it is given, latest last. */
export class MemoryMetrics implements Metrics {
  readonly gauges: Array<{ readonly name: string; readonly value: number }> = [];

  gauge(name: string, value: number): void {
    this.gauges.push({ name, value });
  }
}

/** Keeps log lines, so a test can read what was logged (and nothing reaches stdout). */
export class MemoryLogger implements Logger {
  readonly lines: Array<{
    readonly level: 'info' | 'warn' | 'error';
    readonly message: string;
    readonly fields?: Record<string, unknown>;
  }> = [];

  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
}

/** A clock a test sets and moves. */
export class MemoryClock implements Clock {
  constructor(private at = new Date('2026-03-02T10:00:00.000Z')) {}

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date): void {
    this.at = new Date(at);
  }

  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}
