import type { CaseAlert, CaseAlerts } from '../core/feedback-ports.js';
import { escapeHtml } from '../core/html.js';
import type { Logger, Mailer } from '../core/ports.js';
import { caseAlertText } from './case-alert-text.js';

/**
 * Case alerts locally: a mail to the club's feedback address through the local SES, where it shows in
 * the inbox. A club without a feedback address gets a log line instead (ids only).
 */
export class MailCaseAlerts implements CaseAlerts {
  constructor(
    private readonly mailer: Mailer,
    private readonly log: Logger,
  ) {}

  async caseOpened(alert: CaseAlert): Promise<void> {
    if (!alert.feedbackEmail) {
      this.log.warn('feedback case opened; the club has no feedback address to alert', {
        clubId: alert.clubId,
        caseId: alert.caseId,
      });
      return;
    }
    const { subject, text } = caseAlertText(alert);
    await this.mailer.send({
      from: alert.from,
      to: alert.feedbackEmail,
      subject,
      text,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body><pre style="font-family:Arial,Helvetica,sans-serif;white-space:pre-wrap">${escapeHtml(text)}</pre></body></html>`,
      headers: [],
      tags: { club: alert.clubId, kind: 'feedback-case-alert', case: alert.caseId },
    });
  }
}
