import { describe, expect, it } from 'vitest';
import { allowedAtSend, forbiddenAtSend } from '../../lambdas/core/send-restrictions.js';
import { aMember, CATALOG } from './fixtures.js';

describe('the restrictions a mail is checked against when it is sent', () => {
  it('are those declared by then, and those the plan inferred that the member has not rejected since', () => {
    const tags = (member: ReturnType<typeof aMember>, inferred?: Parameters<typeof forbiddenAtSend>[1]) =>
      [...forbiddenAtSend(member, inferred)].sort();
    expect(tags(aMember())).toEqual([]);
    expect(tags(aMember(), ['gluten-free'])).toEqual(['gluten']);
    expect(tags(aMember({ preferences: { declaredRestrictions: ['lactose-free'] } }), ['gluten-free'])).toEqual([
      'gluten',
      'lactose',
    ]);
    expect(tags(aMember({ preferences: { rejectedInferences: ['gluten-free'] } }), ['gluten-free'])).toEqual([]);
    // A rejection does not undo what the member declared.
    const both = aMember({
      preferences: { declaredRestrictions: ['gluten-free'], rejectedInferences: ['gluten-free'] },
    });
    expect(tags(both, ['gluten-free'])).toEqual(['gluten']);
  });

  it('let a product through only if the catalog still has it and none of its labels is forbidden', () => {
    const gluten = forbiddenAtSend(aMember(), ['gluten-free']);
    expect(allowedAtSend(CATALOG.gfPasta, gluten)).toBe(true);
    expect(allowedAtSend(CATALOG.spaghetti, gluten)).toBe(false);
    expect(allowedAtSend({ ...CATALOG.gfPasta, mayContain: ['gluten'] }, gluten)).toBe(false);
    expect(allowedAtSend({ ...CATALOG.gfPasta, labelling: 'unknown' }, gluten)).toBe(false);
    expect(allowedAtSend(undefined, gluten)).toBe(false);
    expect(allowedAtSend(CATALOG.spaghetti, new Set())).toBe(true);
  });
});
