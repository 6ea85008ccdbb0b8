import type { PurchaseLine } from './profile.js';

/** A purchase line as the core reads it, plus how many were bought and where it came from. */
export type IngestedLine = PurchaseLine & {
  readonly quantity: number;
  /** The line of the file it was read from: a row's first line, or the receipt's line. */
  readonly sourceLine: number;
};

export interface Rejection {
  readonly line: number;
  /** The field at fault, e.g. `purchased_at` or `items[2].product_id`; "" when the whole line is. */
  readonly field: string;
  readonly message: string;
}
