import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { consentHistoryOf, effectiveConsent, withdrawalOf } from '../core/consent.js';
import { stopFor } from '../core/ledger.js';
import type { MemberSyncWrite } from '../core/member-sync.js';
import { Member } from '../core/model.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { Keys } from './dynamodb-keys.js';
import { gateLedger } from './dynamodb-ledger-gate.js';

/**
 * The member writes of an import and of a withdrawal: each one conditional write on the member item
 * (docs/decisions/0020-member-sync.md), then the ledger gate. No transactions: the consent history's
 * length is the version an append is judged on.
 */

/** The condition that the stored history still has the length the caller read. */
function historyUnchanged(length: number): { condition: string; values: Record<string, unknown> } {
  return length === 0
    ? { condition: '(attribute_not_exists(consentHistory) OR size(consentHistory) = :zero)', values: { ':zero': 0 } }
    : { condition: 'size(consentHistory) = :historyLength', values: { ':historyLength': length } };
}

export async function createMember(
  db: DynamoDBDocumentClient,
  tableName: string,
  member: Member,
): Promise<'created' | 'exists'> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...Keys.member(member.clubId, member.memberId),
          ...Keys.memberShardIndex(member.clubId, member.memberId),
          type: 'member',
          ...member,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error: unknown) {
    if (isConditionalCheckFailed(error)) return 'exists';
    throw error;
  }
  const now = new Date();
  await gateLedger(db, tableName, member.clubId, member.memberId, stopFor(member, now), now);
  return 'created';
}

export async function syncMember(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  memberId: string,
  write: MemberSyncWrite,
  at: Date,
): Promise<'updated' | 'conflict' | 'not-found'> {
  const sets: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions = ['attribute_exists(pk)'];
  for (const [field, value] of Object.entries(write.set)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  // The club sets the language only until the member chose one on their page.
  if (write.set.language !== undefined) conditions.push('attribute_not_exists(languageChosenAt)');
  if (write.consent) {
    const unchanged = historyUnchanged(write.consent.basedOn);
    conditions.push(unchanged.condition);
    Object.assign(values, unchanged.values, {
      ':consent': write.consent.effective,
      ':initial': [...write.consent.initial],
      ':append': [...write.consent.append],
    });
    sets.push('consent = :consent', 'consentHistory = list_append(if_not_exists(consentHistory, :initial), :append)');
  }
  if (write.resubscribe) {
    values[':subscribed'] = 'subscribed';
    values[':at'] = at.toISOString();
    sets.push('subscription = :subscribed', 'subscriptionChangedAt = :at');
  }
  if (sets.length === 0) return 'updated';
  // The index keys too, so a member stored before the index had buckets gets one when the club next
  // changes it (docs/decisions/0025-planning-at-scale.md): every plan shard size then finds it in its range.
  const index = Keys.memberShardIndex(clubId, memberId);
  Object.assign(values, { ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk });
  sets.push('gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk');
  let attributes: Record<string, unknown> | undefined;
  try {
    const result = await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: Keys.member(clubId, memberId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeValues: values,
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    attributes = result.Attributes;
  } catch (error: unknown) {
    if (!isConditionalCheckFailed(error)) throw error;
    const exists = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: Keys.member(clubId, memberId),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return exists.Item ? 'conflict' : 'not-found';
  }
  if (write.consent || write.resubscribe) {
    const member = Member.parse(attributes);
    await gateLedger(db, tableName, clubId, memberId, stopFor(member, at), at);
  }
  return 'updated';
}

/**
 * Flip `subscription` and append the withdrawal to the consent history in one write, conditional on
 * the history being as read: ten one-click POSTs leave one withdrawal, and a concurrent import's
 * append is never lost. The ledger gate closes whether or not this call made the change, healing a
 * crash between the two writes.
 */
export async function unsubscribeMember(
  db: DynamoDBDocumentClient,
  tableName: string,
  clubId: string,
  memberId: string,
  at: Date,
  source: string,
): Promise<'changed' | 'unchanged'> {
  const stop = { reason: 'unsubscribed' as const, at: at.toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = await db.send(
      new GetCommand({ TableName: tableName, Key: Keys.member(clubId, memberId), ConsistentRead: true }),
    );
    if (!read.Item) return 'unchanged';
    const member = Member.parse(read.Item);
    if (member.subscription === 'unsubscribed') {
      await gateLedger(db, tableName, clubId, memberId, stop, at);
      return 'unchanged';
    }
    const history = consentHistoryOf(member);
    const current = effectiveConsent(history) ?? member.consent;
    const withdrawal = withdrawalOf(current, at, source);
    const unchanged = historyUnchanged(member.consentHistory?.length ?? 0);
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: Keys.member(clubId, memberId),
          UpdateExpression:
            'SET subscription = :unsub, subscriptionChangedAt = :at, consent = :withdrawal, consentHistory = list_append(if_not_exists(consentHistory, :initial), :append)',
          ConditionExpression: `attribute_exists(pk) AND subscription <> :unsub AND ${unchanged.condition}`,
          ExpressionAttributeValues: {
            ':unsub': 'unsubscribed',
            ':at': at.toISOString(),
            ':withdrawal': withdrawal,
            ':initial': history,
            ':append': [withdrawal],
            ...unchanged.values,
          },
        }),
      );
      await gateLedger(db, tableName, clubId, memberId, stop, at);
      return 'changed';
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  throw new Error('the member changed five times while unsubscribing');
}
