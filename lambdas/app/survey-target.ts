import type { Ledger } from '../core/ledger.js';
import type { Campaign, Club, Member } from '../core/model.js';
import type { PurchaseProfile } from '../core/profile.js';
import type { Deps } from './deps.js';

/** What recording a survey answer and following it up needs. */
export type SurveyDeps = Pick<
  Deps,
  'surveys' | 'feedbackCases' | 'serviceContacts' | 'caseAlerts' | 'clock' | 'log' | 'publicBaseUrl'
>;

/** The survey a signed link names, and the member answering it, as the page found them. */
export interface SurveyTarget {
  readonly club: Club;
  readonly campaign: Campaign;
  readonly member: Member;
  readonly profile: PurchaseProfile;
  readonly ledger: Ledger;
}
