import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Keys } from '../lambdas/adapters/dynamodb-keys.js';
import { profileAttributes } from '../lambdas/adapters/dynamodb-profile-item.js';
import { EMPTY_LEDGER } from '../lambdas/core/ledger.js';
import { buildProfile, type PurchaseProfile } from '../lambdas/core/profile.js';
import { loadSources, syntheticMember } from './lib/synthetic-club.js';

/**
 * What one member's partition costs the planner to read (docs/decisions/0057-compact-profile-items.md):
 * the sizes of the member, ledger and profile items of `bench:scale`'s members, by DynamoDB's item size
 * rules, and the read units of the planner's one eventually consistent Query per member (half a unit
 * per 4 KB, rounded up), with the profile stored as before (`products` as maps) and as now (`pp`).
 *
 *   npm run bench:partition-sizes -- [members, default 20000]
 */

/** DynamoDB's size of a value: strings in UTF-8 bytes, numbers about one byte per two digits plus one. */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M)
    return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  if (value.SS) return value.SS.reduce((sum, v) => sum + Buffer.byteLength(v), 0);
  return 0;
}

function itemSize(item: Record<string, unknown>): number {
  const attributes = marshall(item, { removeUndefinedValues: true });
  return Object.entries(attributes).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

const members = Number(process.argv[2] ?? 20_000);
if (!Number.isInteger(members) || members < 1) throw new Error('members: give a whole number of members, e.g. 20000');
const sources = await loadSources();
const catalog = new Map(sources.products.map((p) => [p.productId, p]));
const now = new Date();
const layouts = {
  before: (profile: PurchaseProfile) => ({ ...profile }),
  compact: (profile: PurchaseProfile) => profileAttributes(profile),
};
const totals = { member: 0, ledger: 0, before: 0, compact: 0, unitsBefore: 0, unitsCompact: 0 };
for (let i = 0; i < members; i++) {
  const { member, receipts } = syntheticMember(sources, 'scale', i, now);
  const lines = receipts.flatMap((r) =>
    r.items.map((it) => ({ memberId: member.memberId, receiptId: r.receiptId, at: r.at, productId: it.productId })),
  );
  const memberBytes = itemSize({
    ...Keys.member('scale', member.memberId),
    ...Keys.memberShardIndex('scale', member.memberId),
    type: 'member',
    ...member,
  });
  const ledgerBytes = itemSize({
    ...Keys.ledger('scale', member.memberId),
    type: 'ledger',
    ...EMPTY_LEDGER,
    version: 1,
  });
  const profile = member.subscription === 'subscribed' ? buildProfile(lines, catalog, now) : undefined;
  const profileBytes = (layout: keyof typeof layouts) =>
    profile ? itemSize({ ...Keys.profile('scale', member.memberId), type: 'profile', ...layouts[layout](profile) }) : 0;
  const before = profileBytes('before');
  const compact = profileBytes('compact');
  totals.member += memberBytes;
  totals.ledger += ledgerBytes;
  totals.before += before;
  totals.compact += compact;
  totals.unitsBefore += Math.ceil((memberBytes + ledgerBytes + before) / 4096) * 0.5;
  totals.unitsCompact += Math.ceil((memberBytes + ledgerBytes + compact) / 4096) * 0.5;
}
const mean = (n: number) => (n / members).toFixed(0);
console.log(`bench:partition-sizes  members=${members}  data: ${sources.origin}\n`);
console.log('| item | mean bytes |\n|---|---|');
console.log(`| member | ${mean(totals.member)} |\n| ledger | ${mean(totals.ledger)} |`);
console.log(`| profile, products as maps (before 0057) | ${mean(totals.before)} |`);
console.log(`| profile, products as lists (\`pp\`) | ${mean(totals.compact)} |`);
console.log("\nRead units of the planner's Query of one member partition (eventually consistent):");
console.log(`  before ${(totals.unitsBefore / members).toFixed(3)}, now ${(totals.unitsCompact / members).toFixed(3)}`);
console.log(
  `Shard index page (whole member items, 100 a page): ${((Math.ceil(((totals.member / members) * 100) / 4096) * 0.5) / 100).toFixed(3)} units per member`,
);
