/** The mail provider is busy or throttling: the same mail may be retried later. */
export class RetryableMailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableMailError';
  }
}

/** The provider refused this message for good (bad address, content): record it, never retry. */
export class MailRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailRejectedError';
  }
}

/** The sending account is paused or suspended: every worker must stop sending. */
export class SendingPausedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SendingPausedError';
  }
}
