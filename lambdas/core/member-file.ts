/**
 * Member files for an import job: CSV with one member per row, or JSON lines with one member record
 * (the API's shape) per line. Each line is checked alone; a bad one is rejected with its line and
 * field, every good one beside it is kept. Pure, fed block by block like the purchase readers.
 */
import { csvBlockReader } from './csv-stream.js';
import { describe, messages, show } from './field-messages.js';
import type { Rejection } from './ingest-types.js';
import { MemberRecord } from './member-sync.js';

export const MEMBER_CSV_REQUIRED = [
  'member_id',
  'email',
  'first_name',
  'language',
  'joined_at',
  'consent_marketing',
  'consent_text_version',
  'consent_at',
  'consent_source',
  'consent_legal_basis',
] as const;
export const MEMBER_CSV_OPTIONAL = [
  'time_zone',
  'birth_date',
  'subscription',
  'frequency',
  'topics',
  'declared_restrictions',
  'name_day_mail',
] as const;

/** The record field each CSV column fills, so a problem is reported under the column's name. */
const COLUMN_OF: Readonly<Record<string, string>> = {
  memberId: 'member_id',
  email: 'email',
  firstName: 'first_name',
  language: 'language',
  timeZone: 'time_zone',
  birthDate: 'birth_date',
  joinedAt: 'joined_at',
  subscription: 'subscription',
  'consent.marketing': 'consent_marketing',
  'consent.textVersion': 'consent_text_version',
  'consent.at': 'consent_at',
  'consent.source': 'consent_source',
  'consent.legalBasis': 'consent_legal_basis',
  'preferences.frequency': 'frequency',
  'preferences.topics': 'topics',
  'preferences.declaredRestrictions': 'declared_restrictions',
  'preferences.nameDayMail': 'name_day_mail',
};

const YES = new Set(['true', 'yes', 'ja', '1', 'y']);
const NO = new Set(['false', 'no', 'nej', '0', 'n']);

/** A yes/no cell as a boolean; other text stays text, so the schema names the column. */
function flag(cell: string): boolean | string {
  const value = cell.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return cell;
}

const list = (cell: string) =>
  cell
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');

export interface MemberLineSink {
  accept(line: number, record: MemberRecord): void;
  reject(rejection: Rejection): void;
}

export interface MemberFileReader {
  push(block: string): void;
  end(): { fileRejected: boolean; ignoredColumns: string[] };
}

function check(line: number, raw: unknown, sink: MemberLineSink, column: (path: string) => string): void {
  const parsed = MemberRecord.safeParse(raw, { error: messages });
  if (parsed.success) {
    sink.accept(line, parsed.data);
    return;
  }
  const issue = parsed.error.issues[0];
  if (!issue) {
    sink.reject({ line, field: '', message: 'invalid member' });
    return;
  }
  const { field, message } = describe(issue, raw);
  sink.reject({ line, field: column(field), message });
}

/** Columns `attr.<name>` carry the club's declared attributes (core/attributes.ts); an empty cell changes nothing. */
export const ATTRIBUTE_COLUMN_PREFIX = 'attr.';

/** The CSV column a record path came from: `preferences.topics[1]` → `topics`, `attributes.region` → `attr.region`. */
export function csvColumn(path: string): string {
  const base = path.replace(/\[\d+\]$/, '');
  if (base.startsWith('attributes.')) return `${ATTRIBUTE_COLUMN_PREFIX}${base.slice('attributes.'.length)}`;
  return COLUMN_OF[base] ?? path;
}

export function memberFileReader(format: 'csv' | 'ndjson', sink: MemberLineSink): MemberFileReader {
  if (format === 'csv') {
    return csvBlockReader(
      MEMBER_CSV_REQUIRED,
      MEMBER_CSV_OPTIONAL,
      (columns) => (line, fields) => {
        const cell = (name: string): string | undefined => {
          const at = columns.get(name);
          const value = at === undefined ? undefined : fields[at]?.trim();
          return value === '' ? undefined : value;
        };
        /** `{ [key]: value(cell) }`, or nothing when the cell is absent or empty. */
        const optional = (name: string, key: string, value: (cell: string) => unknown = (v) => v) => {
          const found = cell(name);
          return found === undefined ? {} : { [key]: value(found) };
        };
        const marketing = cell('consent_marketing');
        // Text as written: the chunk step reads it as the attribute's declared type (core/attributes.ts).
        const attributes: Record<string, string> = Object.create(null);
        for (const [column] of columns) {
          const value = column.startsWith(ATTRIBUTE_COLUMN_PREFIX) ? cell(column) : undefined;
          if (value !== undefined) attributes[column.slice(ATTRIBUTE_COLUMN_PREFIX.length)] = value;
        }
        const record = {
          memberId: cell('member_id'),
          email: cell('email'),
          firstName: cell('first_name'),
          language: cell('language'),
          joinedAt: cell('joined_at'),
          ...optional('time_zone', 'timeZone'),
          ...optional('birth_date', 'birthDate'),
          ...optional('subscription', 'subscription'),
          consent: {
            marketing: marketing === undefined ? undefined : flag(marketing),
            textVersion: cell('consent_text_version'),
            at: cell('consent_at'),
            source: cell('consent_source'),
            legalBasis: cell('consent_legal_basis'),
          },
          preferences: {
            ...optional('frequency', 'frequency'),
            ...optional('topics', 'topics', list),
            ...optional('declared_restrictions', 'declaredRestrictions', list),
            ...optional('name_day_mail', 'nameDayMail', flag),
          },
          ...(Object.keys(attributes).length > 0 ? { attributes: { ...attributes } } : {}),
        };
        check(line, record, sink, csvColumn);
      },
      (rejection) => sink.reject(rejection),
      [ATTRIBUTE_COLUMN_PREFIX],
    );
  }
  let line = 0;
  let blank = true;
  return {
    push(block) {
      let start = line === 0 && block.charCodeAt(0) === 0xfeff ? 1 : 0;
      while (start < block.length) {
        const newline = block.indexOf('\n', start);
        const end = newline === -1 ? block.length : newline;
        line += 1;
        const content = block.slice(start, end).trim();
        start = end + 1;
        if (content === '') continue;
        blank = false;
        let data: unknown;
        try {
          data = JSON.parse(content);
        } catch {
          sink.reject({ line, field: '', message: 'not valid JSON' });
          continue;
        }
        if (typeof data !== 'object' || data === null || Array.isArray(data)) {
          const got = Array.isArray(data) ? 'a list' : show(data);
          sink.reject({ line, field: '', message: `expected a JSON object, got ${got}` });
          continue;
        }
        check(line, data, sink, (path) => path);
      }
    },
    end() {
      if (blank) {
        sink.reject({ line: 1, field: '', message: 'the file is empty' });
        return { fileRejected: true, ignoredColumns: [] };
      }
      return { fileRejected: false, ignoredColumns: [] };
    },
  };
}
