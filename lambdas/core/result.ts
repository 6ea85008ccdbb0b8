/**
 * An expected outcome, returned as data rather than thrown (STYLE.md, "Errors"): `ok: true` with
 * what was made or found, or `ok: false` with why not. Bugs and infrastructure faults are thrown
 * instead, as a ClubPlannerError with its `cause` (core/errors.ts).
 *
 * The fields sit beside `ok` rather than under `value` and `error`, so a result reads the same in
 * a test, a log line and a JSON answer: `{ ok: false, why: 'expired' }`.
 */
export type Ok<T extends object = Record<never, never>> = { readonly ok: true } & Readonly<T>;
export type Fail<E extends object> = { readonly ok: false } & Readonly<E>;
export type Result<T extends object, E extends object> = Ok<T> | Fail<E>;

export function ok(): Ok;
export function ok<T extends object>(fields: T): Ok<T>;
export function ok(fields: object = {}): Ok<object> {
  return { ok: true, ...fields };
}

export function fail<const E extends object>(fields: E): Fail<E> {
  return { ok: false, ...fields };
}
