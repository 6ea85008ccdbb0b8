/**
 * What this code throws. Expected outcomes (already sent, over budget, token invalid, a marketer's
 * bad input) are returned as data (core/result.ts); what is thrown is a bug caught by a guard or a
 * fault of the infrastructure, always as a ClubPlannerError carrying the error behind it as `cause`.
 * Adapters turn a provider's errors into these (ses-mailer.ts, dynamodb-client.ts, sqs-work-queue.ts,
 * eventbridge-scheduler.ts), so nothing above them sees an AWS SDK exception.
 * After Powertools' idempotency errors: one base class, a subclass per way to fail.
 */
export class ClubPlannerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClubPlannerError';
  }
}

/** The mail provider is busy or throttling: the same mail may be retried later. */
export class RetryableMailError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RetryableMailError';
  }
}

/** The provider refused this message for good (bad address, content): record it, never retry. */
export class MailRejectedError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}

/** The sending account is paused or suspended: every worker must stop sending. */
export class SendingPausedError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SendingPausedError';
  }
}

/**
 * The provider refused the mail because the sender's domain is not (or no longer) verified: SES did
 * not take it, and mail from that sender waits until the domain is verified again.
 */
export class SenderNotVerifiedError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SenderNotVerifiedError';
  }
}

/**
 * The provider may or may not have taken the mail (a 5xx, a cut connection, an answer without a
 * message id): never send it again blindly; the job is retried and reconciles (docs/sending.md).
 */
export class MailOutcomeUnknownError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MailOutcomeUnknownError';
  }
}

/** The table could not be read or written; the SDK's own error is the `cause`. */
export class StoreError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** An item kept changing under every attempt of an optimistic write: try the whole job again later. */
export class ContentionError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ContentionError';
  }
}

/** The work queue did not take a job. */
export class QueueError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueueError';
  }
}

/** The scheduler did not arm or remove a campaign's schedule. */
export class SchedulerError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SchedulerError';
  }
}

/** The deployment or local setup is missing or contradicts a setting (env, keys, rates). */
export class ConfigError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** A read of an outside service for the sender check failed: SES's identity status or a DNS lookup. */
export class LookupError extends ClubPlannerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LookupError';
  }
}
