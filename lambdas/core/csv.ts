/**
 * A small RFC 4180 CSV reader and writer. Pure: text in, rows out.
 *
 * Reading is lenient where files from spreadsheets and shop systems commonly differ (CRLF, LF or
 * a lone CR between lines, a UTF-8 byte order mark, a trailing newline, blank lines, spaces after
 * a closing quote, and `;` between fields, as spreadsheets write CSV where the decimal mark is a
 * comma: the header line decides) and strict where guessing would silently change data: text after a closing
 * quote rejects the row, and an unterminated quote stops the reading with an error at the line
 * where the quote opened. A quote inside an unquoted field is kept as an ordinary character.
 */

export interface CsvRow {
  /** Physical line where the row starts, 1-based (the header is line 1 unless blank lines precede it). */
  readonly line: number;
  readonly fields: string[];
}

export interface CsvError {
  readonly line: number;
  readonly message: string;
}

/**
 * One record as read. When `error` is set the record could not be read cleanly and its fields
 * should not be used; an unterminated quote ends the reading with such a record and no fields.
 */
export interface CsvRead extends CsvRow {
  readonly error?: string;
}

const COMMA = 44;
const SEMICOLON = 59;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BOM = 0xfeff;
const BLANK = /^[ \t]*$/;

/** Line breaks in text[from, to): CRLF, LF and a lone CR each count once. */
function countLineBreaks(text: string, from: number, to: number): number {
  let breaks = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) breaks += 1;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) breaks += 1;
  }
  return breaks;
}

export type CsvDelimiter = ',' | ';';

/**
 * The field delimiter of CSV text: `;` when the first non-blank line (the header) has more
 * semicolons than commas outside quotes, as spreadsheets in Swedish or Danish write CSV; else `,`.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const length = text.length;
  let pos = text.charCodeAt(0) === BOM ? 1 : 0;
  let commas = 0;
  let semicolons = 0;
  let content = false;
  let quoted = false;
  for (; pos < length; pos += 1) {
    const c = text.charCodeAt(pos);
    if (c === QUOTE) {
      quoted = !quoted;
      content = true;
    } else if (quoted) continue;
    else if (c === COMMA) commas += 1;
    else if (c === SEMICOLON) semicolons += 1;
    else if (c === LF || c === CR) {
      if (content || commas > 0 || semicolons > 0) break;
    } else if (c !== SPACE && c !== TAB) content = true;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Read CSV text one record at a time, the header first, skipping blank lines (empty, or only
 * spaces and tabs). Nothing is kept between records, so a caller that folds rows as they come
 * never holds the whole table. The delimiter is detected from the header unless given.
 */
export function* readCsv(
  text: string,
  delimiter: CsvDelimiter = detectDelimiter(text),
): Generator<CsvRead, void, undefined> {
  const SEP = delimiter === ';' ? SEMICOLON : COMMA;
  const length = text.length;
  let pos = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;

  while (pos < length) {
    const startLine = line;
    const fields: string[] = [];
    let quoted = false;
    let error: string | undefined;

    for (;;) {
      if (text.charCodeAt(pos) === QUOTE) {
        quoted = true;
        const open = pos;
        pos += 1;
        let start = pos;
        let value = '';
        for (;;) {
          const close = text.indexOf('"', pos);
          if (close === -1) {
            yield { line, fields: [], error: 'unterminated quoted field; the rest of the file was not read' };
            return;
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            // A doubled quote: keep one, carry on inside the field.
            value += text.slice(start, close + 1);
            pos = close + 2;
            start = pos;
            continue;
          }
          value += text.slice(start, close);
          pos = close + 1;
          break;
        }
        line += countLineBreaks(text, open, pos);
        // Spaces or tabs after the closing quote are dropped; anything else is an error.
        while (pos < length) {
          const c = text.charCodeAt(pos);
          if (c !== SPACE && c !== TAB) break;
          pos += 1;
        }
        const junk = pos;
        while (pos < length) {
          const c = text.charCodeAt(pos);
          if (c === SEP || c === LF || c === CR) break;
          pos += 1;
        }
        if (pos > junk) {
          error ??= `unexpected text after a closing quote${line === startLine ? '' : ` on line ${line}`}`;
          value += text.slice(junk, pos);
        }
        fields.push(value);
      } else {
        const start = pos;
        while (pos < length) {
          const c = text.charCodeAt(pos);
          if (c === SEP || c === LF || c === CR) break;
          pos += 1;
        }
        fields.push(text.slice(start, pos));
      }

      if (pos >= length) break;
      const c = text.charCodeAt(pos);
      if (c === SEP) {
        pos += 1;
        continue;
      }
      pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      line += 1;
      break;
    }

    const only = fields.length === 1 ? fields[0] : undefined;
    if (!quoted && only !== undefined && BLANK.test(only)) continue;
    yield error === undefined ? { line: startLine, fields } : { line: startLine, fields, error };
  }
}

/**
 * Every record `readCsv` would yield, through callbacks: `row` gets the fields of each readable
 * record (the header first) in an array reused between calls, so copy it to keep it; `error` gets
 * each record `readCsv` reports as unreadable. Text without a quote character, the usual shape of a
 * large export, is split with `indexOf` and no object per row; anything else goes through `readCsv`.
 */
export function forEachCsvRecord(
  text: string,
  row: (fields: readonly string[], line: number) => void,
  error: (problem: CsvError) => void,
  delimiter: CsvDelimiter = detectDelimiter(text),
): void {
  if (text.includes('"')) {
    for (const read of readCsv(text, delimiter)) {
      if (read.error === undefined) row(read.fields, read.line);
      else error({ line: read.line, message: read.error });
    }
    return;
  }
  const length = text.length;
  let pos = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  let nextLf = -1;
  let nextCr = -1;
  const fields: string[] = [];
  while (pos < length) {
    if (nextLf < pos) nextLf = nextBreak(text, '\n', pos);
    if (nextCr < pos) nextCr = nextBreak(text, '\r', pos);
    const end = Math.min(nextLf, nextCr);
    fields.length = 0;
    let start = pos;
    for (;;) {
      const sep = text.indexOf(delimiter, start);
      if (sep === -1 || sep >= end) {
        fields.push(text.slice(start, end));
        break;
      }
      fields.push(text.slice(start, sep));
      start = sep + 1;
    }
    const only = fields.length === 1 ? fields[0] : undefined;
    if (only === undefined || !BLANK.test(only)) row(fields, line);
    if (end >= length) break;
    pos = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    line += 1;
  }
}

/** The next `char` at or after `from`, or the text's length when there is none. */
function nextBreak(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

export interface ParsedCsv {
  /** Column names, trimmed and lower-cased. Empty when the text holds no row at all. */
  readonly header: string[];
  /** Physical line of the header (1 unless blank lines precede it). */
  readonly headerLine: number;
  readonly rows: CsvRow[];
  /** Rows that could not be read, in line order. They are left out of `rows`; every other row is kept. */
  readonly errors: CsvError[];
}

const normalize = (name: string) => name.trim().toLowerCase();

/**
 * Parse CSV text into a header and rows, each row carrying the physical line it starts on. A
 * damaged header is still the header (and an error): reading a data row as one would only confuse.
 */
export function parseCsv(text: string): ParsedCsv {
  let header: string[] | undefined;
  let headerLine = 1;
  const rows: CsvRow[] = [];
  const errors: CsvError[] = [];
  for (const read of readCsv(text)) {
    if (read.error !== undefined) errors.push({ line: read.line, message: read.error });
    if (header === undefined && read.fields.length > 0) {
      header = read.fields.map(normalize);
      headerLine = read.line;
    } else if (read.error === undefined) {
      rows.push({ line: read.line, fields: read.fields });
    }
  }
  return { header: header ?? [], headerLine, rows, errors };
}

export interface CsvFileError {
  readonly line: number;
  readonly kind: 'empty-file' | 'missing-column' | 'repeated-column';
  /** The column at fault, or "" when the problem is not about one column (an empty file). */
  readonly column: string;
  readonly message: string;
}

export interface CsvHeaderCheck {
  /** Where each required or optional column sits in a row, for those the header has. */
  readonly columns: ReadonlyMap<string, number>;
  /** Problems with the file as a whole: no header, a required column missing, a column named twice. */
  readonly fileErrors: CsvFileError[];
  /** Header columns that are neither required nor optional: not read, worth a warning (a typo?). */
  readonly ignoredColumns: string[];
}

/** Check a header against the columns a caller needs. Names are compared trimmed and lower-cased. */
export function checkCsvHeader(
  header: readonly string[],
  headerLine: number,
  required: readonly string[],
  optional: readonly string[] = [],
  /** Columns whose name starts with one of these are read too (a member file's `attr.<name>`). */
  prefixes: readonly string[] = [],
): CsvHeaderCheck {
  const named = new Set([...required, ...optional].map(normalize));
  const wanted = {
    has: (name: string) => named.has(name) || prefixes.some((p) => name.startsWith(p) && name.length > p.length),
  };
  const columns = new Map<string, number>();
  const fileErrors: CsvFileError[] = [];
  const ignoredColumns: string[] = [];
  if (header.length === 0) {
    fileErrors.push({ line: headerLine, kind: 'empty-file', column: '', message: 'the file is empty' });
    return { columns, fileErrors, ignoredColumns };
  }
  const seen = new Set<string>();
  header.forEach((raw, index) => {
    const name = normalize(raw);
    if (seen.has(name)) {
      if (wanted.has(name)) {
        fileErrors.push({
          line: headerLine,
          kind: 'repeated-column',
          column: name,
          message: `column "${name}" appears more than once`,
        });
      }
      return;
    }
    seen.add(name);
    if (wanted.has(name)) columns.set(name, index);
    else if (name !== '') ignoredColumns.push(name);
  });
  for (const name of required.map(normalize)) {
    if (!seen.has(name)) {
      fileErrors.push({
        line: headerLine,
        kind: 'missing-column',
        column: name,
        message: `missing required column "${name}"`,
      });
    }
  }
  return { columns, fileErrors, ignoredColumns };
}

/** The message for a row whose field count does not match the header's. */
export function fieldCountError(line: number, expected: number, got: number): CsvError {
  return { line, message: `expected ${expected} fields, got ${got}` };
}

export interface CsvTable extends CsvHeaderCheck {
  readonly header: string[];
  readonly headerLine: number;
  /** Rows with as many fields as the header. Empty when `fileErrors` is not. */
  readonly rows: CsvRow[];
  /** Rows that were left out, in line order: unreadable, or with the wrong number of fields. */
  readonly errors: CsvError[];
}

/**
 * Parse CSV text and check its header. A missing required column refuses the file; a row with
 * the wrong number of fields is reported and left out while every other row is kept.
 */
export function csvTable(text: string, required: readonly string[], optional: readonly string[] = []): CsvTable {
  const { header, headerLine, rows, errors } = parseCsv(text);
  const check = checkCsvHeader(header, headerLine, required, optional);
  if (check.fileErrors.length > 0) return { header, headerLine, ...check, rows: [], errors };
  const kept: CsvRow[] = [];
  const rowErrors = [...errors];
  for (const row of rows) {
    if (row.fields.length === header.length) kept.push(row);
    else rowErrors.push(fieldCountError(row.line, header.length, row.fields.length));
  }
  rowErrors.sort((a, b) => a.line - b.line);
  return { header, headerLine, ...check, rows: kept, errors: rowErrors };
}

export interface CsvRecord {
  readonly line: number;
  /** Values by column name, for the required and optional columns present in the file. */
  readonly values: Record<string, string>;
}

export interface CsvRecords extends Omit<CsvTable, 'rows' | 'columns'> {
  /** Empty when `fileErrors` is not: a file without its columns is not read at all. */
  readonly records: CsvRecord[];
}

/** Like `csvTable`, with each row as values keyed by column name. */
export function csvRecords(text: string, required: readonly string[], optional: readonly string[] = []): CsvRecords {
  // Values land in plain objects keyed by these names, where "__proto__" would set the prototype.
  if ([...required, ...optional].some((name) => normalize(name) === '__proto__')) {
    throw new Error('csvRecords: "__proto__" cannot be a column name');
  }
  const { rows, columns, ...table } = csvTable(text, required, optional);
  const entries = [...columns];
  const records = rows.map(({ line, fields }): CsvRecord => {
    const values: Record<string, string> = {};
    for (const [name, index] of entries) values[name] = fields[index] ?? '';
    return { line, values };
  });
  return { ...table, records };
}

const NEEDS_QUOTES = /[",;\r\n]|^[ \t]|[ \t]$/;
/** What spreadsheets read as the start of a formula (OWASP, "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell that a spreadsheet would run as a formula, one starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return, gets a leading `'` so it is shown as the text it is. A plain number such as
 * `-2.5` is left as it is: a spreadsheet reads it as a number, never as a formula. For every CSV
 * export a person may open in a spreadsheet.
 */
export function neutraliseCell(value: string): string {
  const c = value.charCodeAt(0);
  // = + - @ tab CR: only then is a regular expression worth running.
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return value;
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

export interface CsvWriteOptions {
  /** Line ending, LF by default, after every line including the last. */
  readonly eol?: '\n' | '\r\n';
  /**
   * `neutralise` (the default) passes every cell through `neutraliseCell`; `keep` writes cells as they
   * are, only for files no spreadsheet will open (test data, machine-to-machine input).
   */
  readonly formulas?: 'neutralise' | 'keep';
}

function csvField(value: string | number, alone: boolean, neutralise: boolean): string {
  const raw = typeof value === 'string' ? value : String(value);
  const text = neutralise ? neutraliseCell(raw) : raw;
  // A lone empty field would read back as a blank line, which readers skip.
  if (NEEDS_QUOTES.test(text) || (alone && text === '')) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/**
 * Write rows as CSV, quoting only fields that need it (a comma, semicolon, quote or line break, or
 * leading or trailing whitespace), with cells that would start a formula neutralised.
 */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  options: CsvWriteOptions = {},
): string {
  const eol = options.eol ?? '\n';
  let out = csvLine(header, options) + eol;
  for (const row of rows) out += csvLine(row, options) + eol;
  return out;
}

/** One row as `toCsv` writes it, without the line ending: for a writer that builds its file line by line. */
export function csvLine(row: ReadonlyArray<string | number>, options: CsvWriteOptions = {}): string {
  const neutralise = options.formulas !== 'keep';
  const alone = row.length === 1;
  let out = '';
  for (let i = 0; i < row.length; i += 1) {
    if (i > 0) out += ',';
    out += csvField(row[i] ?? '', alone, neutralise);
  }
  return out;
}
