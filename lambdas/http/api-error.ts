import type { z } from 'zod';
import { ClubPlannerError } from '../core/errors.js';

/** The one error type of the HTTP layer; `onError` maps it to a JSON answer. */
export class ApiError extends ClubPlannerError {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422,
    readonly code: string,
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `offers[2].productId`: the path as a reader would write it. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(body)';
}

export function validationError(error: z.ZodError, prefix?: string): ApiError {
  const issues = error.issues.map((issue) => ({
    path: formatPath(prefix ? [prefix, ...issue.path] : issue.path),
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `${first.path}: ${first.message}` : 'Invalid input';
  return new ApiError(400, 'validation', message, issues);
}
