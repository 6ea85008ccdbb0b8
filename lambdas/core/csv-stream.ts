/**
 * A CSV file fed block by block (blocks of whole records, see block-cutter.ts): the header is checked
 * once and names the delimiter (`,` or `;`) for every block, line numbers run on across blocks, and
 * each row reaches the caller with its columns. Pure.
 */
import { countLines } from './block-cutter.js';
import {
  type CsvDelimiter,
  type CsvFileError,
  checkCsvHeader,
  detectDelimiter,
  fieldCountError,
  readCsv,
} from './csv.js';
import type { Rejection } from './ingest-types.js';

export interface CsvBlockReader {
  push(block: string): void;
  /** After the last block: whether the file as a whole was refused, and the columns that were not read. */
  end(): { fileRejected: boolean; ignoredColumns: string[] };
}

export function fileRejection(error: CsvFileError): Rejection {
  switch (error.kind) {
    case 'empty-file':
      return { line: error.line, field: '', message: 'the file is empty' };
    case 'missing-column':
      return { line: error.line, field: error.column, message: 'missing required column' };
    case 'repeated-column':
      return { line: error.line, field: error.column, message: 'column appears more than once' };
  }
}

/**
 * `start(columns)` is called once with the header's column positions and returns the row handler;
 * rows that cannot be read, or have another number of fields than the header, are rejected here.
 */
export function csvBlockReader(
  required: readonly string[],
  optional: readonly string[],
  start: (columns: ReadonlyMap<string, number>) => (line: number, fields: readonly string[]) => void,
  reject: (rejection: Rejection) => void,
  /** Columns starting with one of these are read as well as the named ones (csv.ts checkCsvHeader). */
  prefixes: readonly string[] = [],
): CsvBlockReader {
  let lineOffset = 0;
  let row: ((line: number, fields: readonly string[]) => void) | undefined;
  let width = 0;
  let refused = false;
  let sawHeader = false;
  let ignored: string[] = [];
  // Told by the header, in the first block: the later blocks start with data rows.
  let delimiter: CsvDelimiter | undefined;
  return {
    push(block) {
      if (refused) return;
      delimiter ??= detectDelimiter(block);
      for (const read of readCsv(block, delimiter)) {
        const line = read.line + lineOffset;
        if (!row) {
          sawHeader = true;
          if (read.error !== undefined) {
            reject({ line, field: '', message: read.error });
            // An unterminated quote in the header: nothing else was read.
            if (read.fields.length === 0) {
              refused = true;
              return;
            }
          }
          const { columns, fileErrors, ignoredColumns } = checkCsvHeader(
            read.fields,
            line,
            required,
            optional,
            prefixes,
          );
          ignored = ignoredColumns;
          if (fileErrors.length > 0) {
            for (const error of fileErrors) reject(fileRejection(error));
            refused = true;
            return;
          }
          width = read.fields.length;
          row = start(columns);
          continue;
        }
        if (read.error !== undefined) reject({ line, field: '', message: read.error });
        else if (read.fields.length !== width)
          reject({ field: '', ...fieldCountError(line, width, read.fields.length) });
        else row(line, read.fields);
      }
      // Each block ends right after a line break, so the next starts on the following line.
      lineOffset += countLines(block);
    },
    end() {
      if (!sawHeader) {
        for (const error of checkCsvHeader([], 1, required, optional).fileErrors) reject(fileRejection(error));
        return { fileRejected: true, ignoredColumns: [] };
      }
      return { fileRejected: refused, ignoredColumns: ignored };
    },
  };
}
