import type { Metrics } from '../core/feedback-ports.js';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../core/metric-names.js';
import type { Logger } from '../core/ports.js';

/**
 * Metrics on AWS in CloudWatch's embedded metric format: one JSON line on stdout, which Lambda's log
 * group turns into a metric with no API call and no extra permission.
 */
export class EmfMetrics implements Metrics {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  gauge(name: string, value: number): void {
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            { Namespace: METRICS_NAMESPACE, Dimensions: [['Service']], Metrics: [{ Name: name, Unit: 'Count' }] },
          ],
        },
        Service: METRICS_SERVICE,
        [name]: value,
      }),
    );
  }
}

/** Metrics locally: a log line, visible in `npm start`'s output. */
export class LogMetrics implements Metrics {
  constructor(private readonly log: Logger) {}

  gauge(name: string, value: number): void {
    if (value > 0) this.log.warn('metric', { metric: name, value });
    else this.log.info('metric', { metric: name, value });
  }
}
