import type { FC } from 'hono/jsx';
import type { Issue } from '../../../app/refusal.js';
import { fieldOf } from '../routes/campaign-form.js';

/** A field's problems under it, named by path (the campaign editor's fields: routes/campaign-form.ts `fieldOf`). */
export const Problems: FC<{ issues: readonly Issue[]; field: string }> = ({ issues, field }) => {
  const mine = issues.filter((i) => fieldOf(i.path) === field);
  return mine.length === 0 ? null : (
    <div id={`${field}-error`}>
      {mine.map((i) => (
        <p class="field-error" lang="en">
          {i.path}: {i.message}
        </p>
      ))}
    </div>
  );
};

const invalid = (issues: readonly Issue[], field: string) => issues.some((i) => fieldOf(i.path) === field);

/** `aria-describedby` and `aria-invalid` for a field with help text and maybe problems. */
export function described(issues: readonly Issue[], field: string, help?: string) {
  const ids = [help, invalid(issues, field) ? `${field}-error` : undefined].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': invalid(issues, field) ? 'true' : undefined };
}
