import { describe, expect, it } from 'vitest';
import { type AttributeDeclaration, screenAttributes } from '../../lambdas/core/attributes.js';
import { ingestCsv, ingestJsonLines } from '../../lambdas/core/ingest.js';
import { csvColumn, memberFileReader } from '../../lambdas/core/member-file.js';
import type { MemberRecord } from '../../lambdas/core/member-sync.js';
import { planMemberSync } from '../../lambdas/core/member-sync.js';
import { ReceiptGrouper, sameReceipt } from '../../lambdas/core/receipts.js';

const AT = '2026-06-01T10:00:00+02:00';

describe('amounts on receipts', () => {
  it('reads an optional amount column in CSV, with "." or "," before two decimals, and names the column when it is wrong', () => {
    const result = ingestCsv(
      [
        'member_id,receipt_id,purchased_at,product_id,quantity,amount',
        `m1,r1,${AT},p1,2,"12,50"`,
        `m1,r1,${AT},p2,1,`,
        `m1,r1,${AT},p3,1,1.005`,
        `m1,r1,${AT},p4,1,-3`,
        `m1,r2,${AT},p1,1,39.9`,
      ].join('\n'),
    );
    expect(result.lines.map((l) => [l.productId, l.amount])).toEqual([
      ['p1', 12.5],
      ['p2', undefined],
      ['p1', 39.9],
    ]);
    expect(result.rejected.map((r) => [r.line, r.field])).toEqual([
      [4, 'amount'],
      [5, 'amount'],
    ]);
  });

  it('reads an optional amount on JSON receipt items and refuses a negative one or one with three decimals', () => {
    const good = { receipt_id: 'r1', member_id: 'm1', purchased_at: AT, items: [{ product_id: 'p1', amount: 39.9 }] };
    const bad = { ...good, receipt_id: 'r2', items: [{ product_id: 'p1', amount: 1.234 }] };
    const result = ingestJsonLines([good, bad].map((r) => JSON.stringify(r)).join('\n'));
    expect(result.lines.map((l) => l.amount)).toEqual([39.9]);
    expect(result.rejected).toEqual([expect.objectContaining({ line: 2, field: 'items[0].amount' })]);
  });

  it('sums the amounts of one product twice on a receipt exactly, and a changed amount is a new version', () => {
    const grouper = new ReceiptGrouper(false);
    const line = { memberId: 'm1', receiptId: 'r1', at: AT, productId: 'p1', quantity: 1, sourceLine: 1 };
    grouper.add([{ ...line, amount: 0.1 }]);
    grouper.add([{ ...line, amount: 0.2, sourceLine: 2 }]);
    const [receipt] = grouper.receiptList();
    expect(receipt?.items).toEqual([{ productId: 'p1', quantity: 2, amount: 0.3 }]);
    if (!receipt) throw new Error('a receipt');
    expect(sameReceipt(receipt, { ...receipt, items: [{ productId: 'p1', quantity: 2, amount: 0.3 }] })).toBe(true);
    expect(sameReceipt(receipt, { ...receipt, items: [{ productId: 'p1', quantity: 2, amount: 0.4 }] })).toBe(false);
    expect(sameReceipt(receipt, { ...receipt, items: [{ productId: 'p1', quantity: 2 }] })).toBe(false);
  });
});

const DECLARED: AttributeDeclaration[] = [
  { name: 'home_store', type: 'enum', values: ['uppsala', 'malmo'] },
  { name: 'household_size', type: 'number' },
  { name: 'newsletter', type: 'boolean' },
];

function readMembers(csv: string): { records: MemberRecord[]; rejected: unknown[] } {
  const records: MemberRecord[] = [];
  const rejected: unknown[] = [];
  const reader = memberFileReader('csv', { accept: (_, r) => records.push(r), reject: (r) => rejected.push(r) });
  reader.push(csv);
  reader.end();
  return { records, rejected };
}

describe('attributes in member files', () => {
  const header =
    'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis,attr.home_store,attr.household_size,attr.newsletter';
  const row = (id: string, store: string, size: string, news: string) =>
    `${id},${id}@example.com,Ada,sv,2025-01-01T00:00:00Z,yes,v1,2025-01-01T00:00:00Z,crm,consent,${store},${size},${news}`;

  it('reads attr.<name> columns as text, then as the declared type; an empty cell changes nothing', () => {
    const { records, rejected } = readMembers(
      [header, row('m1', 'uppsala', '4', 'ja'), row('m2', '', '', '')].join('\n'),
    );
    expect(rejected).toEqual([]);
    expect(records[0]?.attributes).toEqual({ home_store: 'uppsala', household_size: '4', newsletter: 'ja' });
    expect(records[1]?.attributes).toBeUndefined();
    const { valid } = screenAttributes(DECLARED, records, true);
    expect(valid[0]?.attributes).toEqual({ home_store: 'uppsala', household_size: 4, newsletter: true });
  });

  it('refuses a member whose attribute is of the wrong type or undeclared, naming the member and the column', () => {
    const { records } = readMembers(
      [header, row('m1', 'visby', '4', 'no'), row('m2', 'malmo', 'four', 'no')].join('\n'),
    );
    const { valid, rejected } = screenAttributes(DECLARED, records, true);
    expect(valid).toEqual([]);
    expect(rejected.map((r) => [r.memberId, csvColumn(r.field), r.message])).toEqual([
      ['m1', 'attr.home_store', 'expected one of uppsala, malmo'],
      ['m2', 'attr.household_size', 'expected a number'],
    ]);
    // JSON lines carry typed values: a number written as text is the wrong type there.
    const json = screenAttributes(DECLARED, [{ memberId: 'm3', attributes: { household_size: '4' } }]);
    expect(json.rejected.map((r) => r.field)).toEqual(['attributes.household_size']);
  });

  it('syncs attributes as the club’s: a new value replaces, null clears, an absent one stays', () => {
    const [record] = readMembers([header, row('m1', 'uppsala', '4', 'ja')].join('\n')).records;
    if (!record) throw new Error('a record');
    const now = new Date('2026-06-01T00:00:00Z');
    const created = planMemberSync(
      'c1',
      { ...record, attributes: { home_store: 'uppsala', household_size: 4 } },
      undefined,
      undefined,
      now,
    );
    if (created.kind !== 'create') throw new Error(created.kind);
    const plan = planMemberSync(
      'c1',
      { ...record, attributes: { home_store: 'malmo', household_size: null } },
      created.member,
      undefined,
      now,
    );
    expect(plan.kind === 'update' && plan.write.set.attributes).toEqual({ home_store: 'malmo' });
    const same = planMemberSync('c1', { ...record, attributes: undefined }, created.member, undefined, now);
    expect(same.kind).toBe('unchanged');
  });
});
