import type { Deps } from '../../app/deps.js';

/** What the console reads and calls: the same ports and use cases as the JSON API. */
export type ConsoleDeps = Pick<
  Deps,
  | 'clubs'
  | 'campaigns'
  | 'members'
  | 'purchases'
  | 'popularity'
  | 'models'
  | 'scheduler'
  | 'clock'
  | 'log'
  | 'deliveryStats'
  | 'accessTokens'
  | 'roles'
  | 'directory'
  | 'audit'
  | 'tokenKeys'
  | 'publicBaseUrl'
  | 'memberDirectory'
  | 'snapshots'
  | 'outcomes'
  | 'sendingDomains'
  | 'identities'
  | 'files'
  | 'importJobs'
  | 'importQueue'
  | 'surveys'
  | 'feedbackCases'
  | 'serviceContacts'
>;
