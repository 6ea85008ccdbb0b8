/**
 * Club Planner's own CloudWatch metrics: the namespace, the one dimension, and each metric's name,
 * shared by the code that emits them (adapters/emf-metrics.ts) and the stack's alarms.
 */
export const METRICS_NAMESPACE = 'ClubPlanner';
export const METRICS_SERVICE = 'club-planner';
/** Follow-up cases past due with nobody contacted, counted every 15 minutes (app/feedback-cases.ts). */
export const OVERDUE_CASES_METRIC = 'OverdueFeedbackCases';
