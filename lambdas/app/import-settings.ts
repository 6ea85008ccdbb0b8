import { CHUNK_BYTES, GROUP_MEMBERS, type ImportMessage, type ImportStep } from '../core/import-job.js';

/** How import jobs cut their work; tests make the pieces small so a small file still has several. */
export interface ImportSettings {
  /** Bytes of file per chunk (member bucket). */
  readonly chunkBytes: number;
  /** Members per group inside a chunk: one plan each. */
  readonly groupMembers: number;
  /** Members read, and receipts partitions queried, at once. */
  readonly readConcurrency: number;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = {
  chunkBytes: CHUNK_BYTES,
  groupMembers: GROUP_MEMBERS,
  readConcurrency: 16,
};

/** Tests only: stop an import worker after a step, as a crash would. */
export type ImportFaults = (step: ImportStep, message: ImportMessage) => Promise<void>;
