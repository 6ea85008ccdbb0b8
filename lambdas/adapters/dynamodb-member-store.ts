import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { EMPTY_LEDGER, Ledger, stopFor } from '../core/ledger.js';
import type { PlanShard } from '../core/member-slots.js';
import type { MemberSyncWrite } from '../core/member-sync.js';
import { type Deliverability, Member } from '../core/model.js';
import type { MemberPage, MemberState, MemberStore, PreferencesPatch } from '../core/ports.js';
import { EMPTY_PROFILE, type PurchaseProfile } from '../core/profile.js';
import { expiresAt } from '../core/retention.js';
import { isConditionalCheckFailed } from './dynamodb-client.js';
import { assignmentsIn } from './dynamodb-experiment-store.js';
import { Keys } from './dynamodb-keys.js';
import { gateLedger } from './dynamodb-ledger-gate.js';
import { planShard, queryShardMembers } from './dynamodb-member-slots.js';
import { createMember, syncMember, unsubscribeMember } from './dynamodb-member-writes.js';
import { batchGetAll, batchWriteAll } from './dynamodb-paging.js';
import { profileAttributes, profileOfItem } from './dynamodb-profile-item.js';

/** Members with their profile and ledger, all in the member's own partition. */
export class DynamoDbMemberStore implements MemberStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putMember(member: Member): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...Keys.member(member.clubId, member.memberId),
          ...Keys.memberShardIndex(member.clubId, member.memberId),
          type: 'member',
          ...member,
        },
      }),
    );
    const now = new Date();
    await gateLedger(this.db, this.tableName, member.clubId, member.memberId, stopFor(member, now), now);
  }

  async getMembers(clubId: string, memberIds: readonly string[]): Promise<Map<string, Member>> {
    const items = await batchGetAll(
      this.db,
      this.tableName,
      [...new Set(memberIds)].map((id) => Keys.member(clubId, id)),
      { consistent: true },
    );
    const members = items.map((item) => Member.parse(item));
    return new Map(members.map((m) => [m.memberId, m]));
  }

  createMember(member: Member): Promise<'created' | 'exists'> {
    return createMember(this.db, this.tableName, member);
  }

  syncMember(
    clubId: string,
    memberId: string,
    write: MemberSyncWrite,
    at: Date,
  ): Promise<'updated' | 'conflict' | 'not-found'> {
    return syncMember(this.db, this.tableName, clubId, memberId, write, at);
  }

  /** The profile expires with its receipts: the retention period after the member's last purchase. */
  async putProfile(clubId: string, memberId: string, profile: PurchaseProfile): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...Keys.profile(clubId, memberId),
          type: 'profile',
          ...profileAttributes(profile),
          expiresAt: expiresAt(profile.lastPurchaseAt ?? profile.asOf ?? new Date(), 'profile'),
        },
      }),
    );
  }

  async putProfiles(
    clubId: string,
    profiles: ReadonlyArray<{ memberId: string; profile: PurchaseProfile }>,
  ): Promise<void> {
    await batchWriteAll(
      this.db,
      this.tableName,
      profiles.map(({ memberId, profile }) => ({
        ...Keys.profile(clubId, memberId),
        type: 'profile',
        ...profileAttributes(profile),
        expiresAt: expiresAt(profile.lastPurchaseAt ?? profile.asOf ?? new Date(), 'profile'),
      })),
    );
  }

  /** One strongly consistent query returns the member, profile and ledger together. */
  async getState(clubId: string, memberId: string): Promise<MemberState | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': Keys.memberPartition(clubId, memberId) },
        ConsistentRead: true,
      }),
    );
    const items = result.Items ?? [];
    const member = items.find((i) => i.sk === 'MEMBER');
    if (!member) return undefined;
    const profile = items.find((i) => i.sk === 'PROFILE');
    const ledger = items.find((i) => i.sk === 'LEDGER');
    const assignments = assignmentsIn(items);
    return {
      member: Member.parse(member),
      profile: profile ? profileOfItem(profile) : EMPTY_PROFILE,
      ledger: ledger ? Ledger.parse(ledger) : EMPTY_LEDGER,
      ...(assignments.length > 0 ? { assignments } : {}),
    };
  }

  async listShard(
    clubId: string,
    shard: number | PlanShard,
    cursor: string | undefined,
    limit: number,
  ): Promise<MemberPage> {
    const page = await queryShardMembers(this.db, this.tableName, clubId, planShard(shard), cursor, limit);
    const members = page.items.map((i) => Member.parse(i));
    // One Query per member partition (member, ledger and profile sort together): DynamoDB rounds the
    // three items up to 4 KB once, where reading profile and ledger as two items rounds each of them up.
    const states = await Promise.all(
      members.map(async (listed) => {
        const result = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :ledger AND :profile',
            ExpressionAttributeValues: {
              ':pk': Keys.memberPartition(clubId, listed.memberId),
              ':ledger': 'LEDGER',
              ':profile': 'PROFILE',
            },
          }),
        );
        const items = result.Items ?? [];
        const member = items.find((i) => i.sk === 'MEMBER');
        const profile = items.find((i) => i.sk === 'PROFILE');
        const ledger = items.find((i) => i.sk === 'LEDGER');
        // The member's experiment arms sort between LEDGER and PROFILE: the same query reads them.
        const assignments = assignmentsIn(items);
        return {
          member: member ? Member.parse(member) : listed,
          profile: profile ? profileOfItem(profile) : EMPTY_PROFILE,
          ledger: ledger ? Ledger.parse(ledger) : EMPTY_LEDGER,
          ...(assignments.length > 0 ? { assignments } : {}),
        };
      }),
    );
    return { states, ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  unsubscribe(clubId: string, memberId: string, at: Date, source: string): Promise<'changed' | 'unchanged'> {
    return unsubscribeMember(this.db, this.tableName, clubId, memberId, at, source);
  }

  /**
   * One UpdateItem on the member item: every field of the patch, and the stamp of when and from
   * where, land together or not at all. Rejecting an inference appends it only if it is not there.
   */
  async updatePreferences(
    clubId: string,
    memberId: string,
    patch: PreferencesPatch,
    at: Date,
    via: string,
  ): Promise<'updated' | 'not-found'> {
    const sets: string[] = ['preferences.updatedAt = :updatedAt', 'preferences.updatedVia = :updatedVia'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':updatedAt': at.toISOString(), ':updatedVia': via };
    const names: Record<string, string> = {};
    const set = (field: string, value: unknown) => {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`preferences.#${field} = :${field}`);
    };
    if (patch.frequency !== undefined) set('frequency', patch.frequency);
    if (patch.topics !== undefined) set('topics', [...patch.topics]);
    if (patch.declaredRestrictions !== undefined) set('declaredRestrictions', [...patch.declaredRestrictions]);
    if (patch.nameDayMail !== undefined) set('nameDayMail', patch.nameDayMail);
    if (patch.unsubscribeConfirmation !== undefined) set('unsubscribeConfirmation', patch.unsubscribeConfirmation);
    if (patch.pausedUntil === null) removes.push('preferences.pausedUntil');
    else if (patch.pausedUntil !== undefined) set('pausedUntil', patch.pausedUntil);
    if (patch.language !== undefined) {
      // A language saved on the member's own page is theirs from now on: imports no longer change it.
      names['#language'] = 'language';
      values[':language'] = patch.language;
      sets.push('#language = :language', 'languageChosenAt = :updatedAt');
    }
    let condition = 'attribute_exists(pk)';
    if (patch.rejectInference !== undefined) {
      names['#rejected'] = 'rejectedInferences';
      values[':rejectedOne'] = [patch.rejectInference];
      values[':rejection'] = patch.rejectInference;
      values[':none'] = [];
      sets.push('preferences.#rejected = list_append(if_not_exists(preferences.#rejected, :none), :rejectedOne)');
      condition += ' AND NOT contains(preferences.#rejected, :rejection)';
    }
    if (patch.addFewer !== undefined) {
      // Added once: a second click (or a replayed post) leaves the list as it is.
      names['#fewer'] = 'fewer';
      values[':fewerOne'] = [patch.addFewer];
      values[':none'] = [];
      sets.push('preferences.#fewer = list_append(if_not_exists(preferences.#fewer, :none), :fewerOne)');
      values[':fewerKey'] = patch.addFewer;
      condition += ' AND (attribute_not_exists(preferences.#fewer) OR NOT contains(preferences.#fewer, :fewerKey))';
    }
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.member(clubId, memberId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      const member = Member.safeParse(result.Attributes);
      if (member.success) await gateLedger(this.db, this.tableName, clubId, memberId, stopFor(member.data, at), at);
      return 'updated';
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (patch.rejectInference === undefined && patch.addFewer === undefined) return 'not-found';
      // Either the member is gone or the inference was rejected (the theme lowered) before: the latter is done already.
      const existing = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: Keys.member(clubId, memberId),
          ConsistentRead: true,
          ProjectionExpression: 'pk',
        }),
      );
      if (!existing.Item) return 'not-found';
      const { rejectInference: _done, addFewer: _added, ...rest } = patch;
      return this.updatePreferences(clubId, memberId, rest, at, via);
    }
  }

  /**
   * What the send worker needs, and only that: the member and the ledger, whose sort keys are
   * neighbours ('LEDGER' < 'MEMBER'), in one query: half a read unit, eventually consistent. A stale
   * read cannot send to a member who just unsubscribed: that change also bumped the ledger
   * (LedgerStop), so the claim judged on the stale ledger fails its version check and is re-judged.
   */
  async getForSend(
    clubId: string,
    memberId: string,
    options: { consistent?: boolean } = {},
  ): Promise<{ member: Member; ledger: Ledger } | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :ledger AND :member',
        ExpressionAttributeValues: {
          ':pk': Keys.memberPartition(clubId, memberId),
          ':ledger': 'LEDGER',
          ':member': 'MEMBER',
        },
        ConsistentRead: options.consistent ?? false,
      }),
    );
    const items = result.Items ?? [];
    const member = items.find((i) => i.sk === 'MEMBER');
    if (!member) return undefined;
    const ledger = items.find((i) => i.sk === 'LEDGER');
    return { member: Member.parse(member), ledger: ledger ? Ledger.parse(ledger) : EMPTY_LEDGER };
  }

  /** Bounced or complained: only ever worse (a complaint outranks a bounce), never back to ok. */
  async markUndeliverable(
    clubId: string,
    memberId: string,
    deliverability: Exclude<Deliverability, 'ok'>,
    at: Date,
    detail: string,
  ): Promise<'changed' | 'unchanged'> {
    const worse: Record<Exclude<Deliverability, 'ok'>, Deliverability[]> = {
      undeliverable: ['ok'],
      bounced: ['ok', 'undeliverable'],
      complained: ['ok', 'undeliverable', 'bounced'],
    };
    const from = worse[deliverability];
    const fromValues = Object.fromEntries(from.map((d, i) => [`:from${i}`, d]));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.member(clubId, memberId),
          UpdateExpression: 'SET deliverability = :to, deliverabilityChangedAt = :at, deliverabilityDetail = :detail',
          ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(deliverability) OR deliverability IN (${Object.keys(fromValues).join(', ')}))`,
          ExpressionAttributeValues: {
            ':to': deliverability,
            ':at': at.toISOString(),
            ':detail': detail,
            ...fromValues,
          },
        }),
      );
      await gateLedger(this.db, this.tableName, clubId, memberId, { reason: deliverability, at: at.toISOString() }, at);
      return 'changed';
    } catch (error: unknown) {
      if (isConditionalCheckFailed(error)) return 'unchanged';
      throw error;
    }
  }

  /** Note one soft bounce (once per sendId) and return how many fell within the last `days`. */
  async recordSoftBounce(clubId: string, memberId: string, sendId: string, at: Date, days: number): Promise<number> {
    const key = Keys.member(clubId, memberId);
    // DynamoDB refuses to create a map and set a key in it in one expression: add to the map when
    // it exists, else create it with this bounce in it; whichever fails first, the other wins.
    const attempts = [
      {
        UpdateExpression: 'SET softBounces.#send = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_exists(softBounces)',
        ExpressionAttributeNames: { '#send': sendId },
        ExpressionAttributeValues: { ':at': at.getTime() },
      },
      {
        UpdateExpression: 'SET softBounces = :map',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(softBounces)',
        ExpressionAttributeValues: { ':map': { [sendId]: at.getTime() } },
      },
    ];
    for (let round = 0; round < 3; round++) {
      for (const attempt of attempts) {
        try {
          const result = await this.db.send(
            new UpdateCommand({ TableName: this.tableName, Key: key, ReturnValues: 'ALL_NEW', ...attempt }),
          );
          const bounces = SoftBounces.parse(result.Attributes ?? {}).softBounces;
          const since = at.getTime() - days * 24 * 3600 * 1000;
          return Object.values(bounces).filter((t) => t >= since).length;
        } catch (error: unknown) {
          if (!isConditionalCheckFailed(error)) throw error;
        }
      }
      const exists = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key, ProjectionExpression: 'pk', ConsistentRead: true }),
      );
      if (!exists.Item) return 0;
    }
    throw new Error('soft bounce could not be recorded after 3 rounds');
  }

  /** A click: the member is engaged (engagement.ts). Only moves forward in time. */
  async noteEngagement(clubId: string, memberId: string, at: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: Keys.member(clubId, memberId),
          UpdateExpression: 'SET lastEngagedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastEngagedAt) OR lastEngagedAt < :at)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    } catch (error: unknown) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}

const SoftBounces = z.object({ softBounces: z.record(z.string(), z.number()).default({}) });
