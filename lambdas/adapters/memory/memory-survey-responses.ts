import type { NpsRow, StoredNpsDay, StoredResponse, SurveyResponses } from '../../core/feedback-ports.js';
import { dayOf, type NpsDayCounts } from '../../core/nps-days.js';
import { SurveyResponse } from '../../core/survey-response.js';
import { copy, keyOf, MemoryTable, type ResponseRecord } from './memory-table.js';

/**
 * Survey responses in the members' partitions of the shared table (erasing a member takes them), the
 * club's NPS rows and topic entries in Maps here: the in-memory twin of DynamoDbSurveyResponses.
 */
export class MemorySurveyResponses implements SurveyResponses {
  /** NPS rows under keyOf(club, answeredAt, campaign, member), the table's sort key. */
  private readonly rows = new Map<string, NpsRow>();
  /** Topic entries' times under keyOf(club, topic, member, campaign). */
  private readonly topics = new Map<string, { memberId: string; at: string }>();
  /** Days of the NPS roll-up under keyOf(club, day). */
  private readonly days = new Map<string, StoredNpsDay>();

  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async get(clubId: string, campaignId: string, memberId: string): Promise<StoredResponse | undefined> {
    const record = this.table.responses.get(keyOf(clubId, memberId))?.get(campaignId);
    return record && stored(record);
  }

  async save(response: SurveyResponse, expectedVersion: number): Promise<'saved' | 'changed'> {
    const { clubId, campaignId, memberId } = response;
    const key = keyOf(clubId, memberId);
    const mine = this.table.responses.get(key) ?? new Map<string, ResponseRecord>();
    const existing = mine.get(campaignId);
    if ((existing?.response.version ?? 0) !== expectedVersion) return 'changed';
    const saved = SurveyResponse.parse({ ...response, version: expectedVersion + 1 });
    mine.set(campaignId, { ...existing, response: saved });
    this.table.responses.set(key, mine);
    const row = keyOf(clubId, response.answeredAt, campaignId, memberId);
    if (response.automated) this.rows.delete(row);
    else {
      this.rows.set(row, {
        at: Date.parse(response.answeredAt),
        score: response.score,
        segments: { ...response.segments },
        campaignId,
        memberId,
      });
    }
    this.markDay(clubId, dayOf(Date.parse(response.answeredAt)));
    return 'saved';
  }

  private markDay(clubId: string, day: string): void {
    const key = keyOf(clubId, day);
    const stored = this.days.get(key);
    this.days.set(key, { ...(stored ?? { day }), changes: (stored?.changes ?? 0) + 1 });
  }

  async npsDays(clubId: string, fromDay: string, toDay: string): Promise<StoredNpsDay[]> {
    return copy(
      MemoryTable.under(this.days, clubId)
        .filter((d) => d.day >= fromDay && d.day <= toDay)
        .sort((a, b) => a.day.localeCompare(b.day)),
    );
  }

  async putNpsDay(clubId: string, counts: NpsDayCounts, changes: number): Promise<'saved' | 'changed'> {
    const key = keyOf(clubId, counts.day);
    if ((this.days.get(key)?.changes ?? 0) !== changes || (changes === 0 && this.days.has(key))) return 'changed';
    this.days.set(key, copy({ day: counts.day, changes, counted: changes, counts }));
    return 'saved';
  }

  async saveComment(
    response: SurveyResponse,
    comment: string,
    previousTopics: readonly string[],
    now: Date,
  ): Promise<void> {
    const { clubId, campaignId, memberId } = response;
    for (const topic of previousTopics.filter((t) => !response.topics.includes(t)))
      this.topics.delete(keyOf(clubId, topic, memberId, campaignId));
    for (const topic of response.topics)
      this.topics.set(keyOf(clubId, topic, memberId, campaignId), { memberId, at: now.toISOString() });
    const mine = this.table.responses.get(keyOf(clubId, memberId));
    const existing = mine?.get(campaignId);
    if (!mine || !existing) return;
    const { comment: _old, ...rest } = existing;
    mine.set(campaignId, comment.trim() === '' ? rest : { ...rest, comment });
  }

  async answers(clubId: string, from: Date, to: Date): Promise<NpsRow[]> {
    return copy(
      MemoryTable.under(this.rows, clubId)
        .filter((row) => row.at > from.getTime() && row.at <= to.getTime())
        .sort((a, b) => a.at - b.at),
    );
  }

  async topicAudience(clubId: string, topic: string, since: Date): Promise<Set<string>> {
    return new Set(
      MemoryTable.under(this.topics, clubId, topic)
        .filter((entry) => Date.parse(entry.at) >= since.getTime())
        .map((entry) => entry.memberId),
    );
  }

  async ofMember(clubId: string, memberId: string): Promise<StoredResponse[]> {
    return [...(this.table.responses.get(keyOf(clubId, memberId))?.values() ?? [])].map(stored);
  }

  async eraseMember(clubId: string, memberId: string): Promise<number> {
    let erased = 0;
    for (const { response } of this.table.responses.get(keyOf(clubId, memberId))?.values() ?? []) {
      erased += 1;
      this.rows.delete(keyOf(clubId, response.answeredAt, response.campaignId, memberId));
      this.markDay(clubId, dayOf(Date.parse(response.answeredAt)));
      for (const topic of response.topics) {
        this.topics.delete(keyOf(clubId, topic, memberId, response.campaignId));
        erased += 1;
      }
    }
    return erased;
  }
}

function stored(record: ResponseRecord): StoredResponse {
  return copy({ response: record.response, ...(record.comment === undefined ? {} : { comment: record.comment }) });
}
