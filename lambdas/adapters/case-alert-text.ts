import type { CaseAlert } from '../core/feedback-ports.js';

/**
 * The words of a case alert, the same by SNS and by mail: which club, the score, who owns it, when it
 * is due and where to read it. Never the member's name, address or comment: those are read behind
 * the marketer API's sign-in, not spread to every subscriber of a topic or a mailbox.
 */
export function caseAlertText(alert: CaseAlert): { subject: string; text: string } {
  return {
    subject: `New feedback case at ${alert.clubName}: a score of ${alert.score}`,
    text: [
      `A member of ${alert.clubName} answered a survey with ${alert.score} out of 10.`,
      `Case ${alert.caseId}${alert.owner ? `, owned by ${alert.owner}` : ''}, is due by ${alert.dueAt}.`,
      `Read the member's comment and recent purchases, and mark the case contacted and resolved, at:`,
      alert.link,
    ].join('\n'),
  };
}
