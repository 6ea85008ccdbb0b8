import { caseIdFor, FeedbackCase } from '../../core/feedback-case.js';
import type { CaseQuery, FeedbackCases, ServiceContacts } from '../../core/feedback-ports.js';
import { EMPTY_LEDGER } from '../../core/ledger.js';
import { copy, keyOf, MemoryTable } from './memory-table.js';

/**
 * Follow-up cases in a Map: the in-memory twin of DynamoDbFeedbackCases. A case's `version` is the
 * store's, as there: 1 when created, one more with each replace.
 */
export class MemoryFeedbackCases implements FeedbackCases {
  private readonly cases = new Map<string, { feedbackCase: FeedbackCase }>();

  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async create(feedbackCase: FeedbackCase): Promise<'created' | 'exists'> {
    const key = keyOf(feedbackCase.clubId, feedbackCase.caseId);
    if (this.cases.has(key)) return 'exists';
    this.cases.set(key, { feedbackCase: FeedbackCase.parse({ ...feedbackCase, version: 1 }) });
    return 'created';
  }

  async get(clubId: string, caseId: string): Promise<FeedbackCase | undefined> {
    const stored = this.cases.get(keyOf(clubId, caseId));
    return stored && copy(stored.feedbackCase);
  }

  async replace(feedbackCase: FeedbackCase, expectedVersion: number): Promise<'replaced' | 'changed'> {
    const key = keyOf(feedbackCase.clubId, feedbackCase.caseId);
    if (this.cases.get(key)?.feedbackCase.version !== expectedVersion) return 'changed';
    this.cases.set(key, { feedbackCase: FeedbackCase.parse({ ...feedbackCase, version: expectedVersion + 1 }) });
    return 'replaced';
  }

  async list(clubId: string, query: CaseQuery): Promise<FeedbackCase[]> {
    const overdueAt = query.overdueAt?.getTime();
    return copy(MemoryTable.under(this.cases, clubId).map((s) => s.feedbackCase))
      .filter((c) => (query.state ? c.state === query.state : true))
      .filter((c) => (overdueAt === undefined ? true : c.state === 'open' && Date.parse(c.dueAt) <= overdueAt))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  async overdue(now: Date, limit: number): Promise<FeedbackCase[]> {
    return copy([...this.cases.values()].map((s) => s.feedbackCase))
      .filter((c) => c.state === 'open' && Date.parse(c.dueAt) <= now.getTime())
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .slice(0, limit);
  }

  async ofMember(clubId: string, memberId: string): Promise<FeedbackCase[]> {
    return this.caseIdsOf(clubId, memberId).flatMap((caseId) => {
      const stored = this.cases.get(keyOf(clubId, caseId));
      return stored ? [copy(stored.feedbackCase)] : [];
    });
  }

  async eraseMember(clubId: string, memberId: string): Promise<number> {
    const ids = this.caseIdsOf(clubId, memberId);
    for (const caseId of ids) this.cases.delete(keyOf(clubId, caseId));
    return ids.length;
  }

  /** The case ids the member's survey responses may have opened: one per survey answered. */
  private caseIdsOf(clubId: string, memberId: string): string[] {
    const campaigns = [...(this.table.responses.get(keyOf(clubId, memberId))?.keys() ?? [])];
    return campaigns.map((campaignId) => caseIdFor(clubId, campaignId, memberId));
  }
}

/** A complaint or service case, noted on the member's ledger: the in-memory twin of DynamoDbServiceContacts. */
export class MemoryServiceContacts implements ServiceContacts {
  constructor(private readonly table: MemoryTable = new MemoryTable()) {}

  async record(clubId: string, memberId: string, at: Date): Promise<'recorded' | 'not-found'> {
    const key = keyOf(clubId, memberId);
    if (!this.table.members.has(key)) return 'not-found';
    const ledger = this.table.ledgers.get(key) ?? EMPTY_LEDGER;
    // A later one already noted stays: the hold runs from that.
    if (ledger.serviceCaseAt !== undefined && ledger.serviceCaseAt >= at.getTime()) return 'recorded';
    this.table.ledgers.set(key, { ...ledger, version: ledger.version + 1, serviceCaseAt: at.getTime() });
    return 'recorded';
  }
}
