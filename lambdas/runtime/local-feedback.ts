import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbFeedbackCases, DynamoDbServiceContacts } from '../adapters/dynamodb-feedback-cases.js';
import { DynamoDbSurveyResponses } from '../adapters/dynamodb-survey-responses.js';
import { LogMetrics } from '../adapters/emf-metrics.js';
import { MailCaseAlerts } from '../adapters/mail-case-alerts.js';
import type { Deps } from '../app/deps.js';
import type { Logger, Mailer } from '../core/ports.js';

/**
 * The survey and follow-up ports of the local system: the table, a new case's alert as a mail to the
 * club's feedback address through the local SES (in the inbox), and metrics as log lines.
 */
export function localFeedback(
  db: DynamoDBDocumentClient,
  tableName: string,
  mailer: Mailer,
  log: Logger,
): Pick<Deps, 'surveys' | 'feedbackCases' | 'serviceContacts' | 'caseAlerts' | 'metrics'> {
  return {
    surveys: new DynamoDbSurveyResponses(db, tableName),
    feedbackCases: new DynamoDbFeedbackCases(db, tableName),
    serviceContacts: new DynamoDbServiceContacts(db, tableName),
    caseAlerts: new MailCaseAlerts(mailer, log),
    metrics: new LogMetrics(log),
  };
}

/** Run `task` every `everyMs` (never when it is undefined), as a rule would on AWS; the answer stops it. */
export function repeatEvery(task: () => Promise<unknown>, everyMs: number | undefined, log: Logger): () => void {
  if (!everyMs) return () => {};
  const timer = setInterval(() => {
    task().catch((error: unknown) => log.error('periodic task failed', { error }));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
