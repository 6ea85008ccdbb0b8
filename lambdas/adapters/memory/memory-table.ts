import type { SavedAudience } from '../../core/audience.js';
import type { Automation } from '../../core/automation.js';
import type { Decision } from '../../core/decision.js';
import type { Assignment, Experiment } from '../../core/experiment.js';
import type { ExperimentCount } from '../../core/experiment-figures.js';
import type { ExperimentPrediction } from '../../core/experiment-ports.js';
import type { Ledger } from '../../core/ledger.js';
import type { Campaign, Club, Member, Offer, Product } from '../../core/model.js';
import type { Delivery, Receipt } from '../../core/ports.js';
import type { PurchaseProfile } from '../../core/profile.js';
import type { SurveyResponse } from '../../core/survey-response.js';
import type { Theme } from '../../core/theme-library.js';

/** One key for a tuple of ids, with no way for one id's text to run into the next. */
export const keyOf = (...parts: readonly string[]): string => JSON.stringify(parts);

/** A deep copy, as a database hands back: a caller changing what it read never changes what is stored. */
export const copy = <T>(value: T): T => structuredClone(value);

/** A mail's send record beside its decision (what SEND#<member> holds in the table). */
export interface SendRecord {
  readonly delivery: Delivery;
  readonly recipientHash?: string;
  /** Campaigns whose pending fold the mail carried (ADR 0054). */
  readonly lateFolds?: readonly string[];
}

/** A survey response (its `version` is the store's), and the member's reason kept beside it. */
export interface ResponseRecord {
  readonly response: SurveyResponse;
  readonly comment?: string;
}

/**
 * The data the in-memory adapters share, as the one DynamoDB table is shared by theirs: a member's
 * partition (member, profile, ledger, survey responses) is read by several ports, and erasing a
 * member (MemberDataStore) deletes from all of them. Build one per test (or per `memoryDeps()`).
 */
export class MemoryTable {
  readonly clubs = new Map<string, Club>();
  /** By keyOf(club, product id). */
  readonly products = new Map<string, Product>();
  /** By keyOf(club, offer id). */
  readonly offers = new Map<string, Offer>();
  /** By keyOf(club, theme id). */
  readonly themes = new Map<string, Theme>();
  /** By keyOf(club, audience id). */
  readonly audiences = new Map<string, SavedAudience>();
  /** By keyOf(club, automation id). */
  readonly automations = new Map<string, Automation>();
  /** The club's policy experiment and the simulator's prediction, by club id. */
  readonly experiments = new Map<string, Experiment>();
  readonly predictions = new Map<string, ExperimentPrediction>();
  readonly experimentCounts = new Map<string, ExperimentCount>();
  /** By keyOf(club, member id): the member's partition. */
  readonly members = new Map<string, Member>();
  readonly profiles = new Map<string, PurchaseProfile>();
  readonly ledgers = new Map<string, Ledger>();
  /** The member's experiment arms by experiment id (in the member's partition, erased with them). */
  readonly arms = new Map<string, Map<string, Assignment>>();
  /** Soft bounces per sendId, epoch ms. */
  readonly softBounces = new Map<string, Map<string, number>>();
  /** Survey responses by campaign id. */
  readonly responses = new Map<string, Map<string, ResponseRecord>>();
  /** Receipts by receipt id, under keyOf(club, member id). */
  readonly receipts = new Map<string, Map<string, Receipt>>();
  /** By keyOf(club, campaign id). */
  readonly campaigns = new Map<string, Campaign>();
  /** Decisions and send records by member id, under keyOf(club, campaign id). */
  readonly decisions = new Map<string, Map<string, { decision: Decision; decidedAt: string }>>();
  readonly sends = new Map<string, Map<string, SendRecord>>();

  /** The entries of a map keyed by keyOf whose leading parts are `prefix`. */
  static under<V>(map: ReadonlyMap<string, V>, ...prefix: readonly string[]): V[] {
    const start = JSON.stringify(prefix).slice(0, -1);
    return [...map].filter(([key]) => key.startsWith(`${start},`)).map(([, value]) => value);
  }
}
