import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvRecords,
  csvTable,
  detectDelimiter,
  forEachCsvRecord,
  neutraliseCell,
  parseCsv,
  readCsv,
  toCsv,
} from '../../lambdas/core/csv.js';

describe('parseCsv', () => {
  it('reads a header and rows, trimming and lower-casing the column names', () => {
    const parsed = parseCsv(' Member_ID ,Product_Id\nm1,p1\nm2,p2\n');
    expect(parsed.header).toEqual(['member_id', 'product_id']);
    expect(parsed.headerLine).toBe(1);
    expect(parsed.rows).toEqual([
      { line: 2, fields: ['m1', 'p1'] },
      { line: 3, fields: ['m2', 'p2'] },
    ]);
    expect(parsed.errors).toEqual([]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const parsed = parseCsv('a,b,c\n"x, y","she said ""hi""","two\nlines"\n');
    expect(parsed.rows).toEqual([{ line: 2, fields: ['x, y', 'she said "hi"', 'two\nlines'] }]);
  });

  it('numbers each row by the physical line it starts on when a quoted field spans lines', () => {
    const parsed = parseCsv('a,b\n1,"first\nsecond"\n2,"one\r\ntwo\r\nthree"\n3,x\n');
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 4, 7]);
    expect(parsed.rows[1]?.fields).toEqual(['2', 'one\r\ntwo\r\nthree']);
  });

  it('reads CRLF line ends and drops a UTF-8 byte order mark', () => {
    const parsed = parseCsv('\uFEFFid,name\r\n1,"a\r\nb"\r\n2,c\r\n');
    expect(parsed.header).toEqual(['id', 'name']);
    expect(parsed.rows).toEqual([
      { line: 2, fields: ['1', 'a\r\nb'] },
      { line: 4, fields: ['2', 'c'] },
    ]);
  });

  it('treats a lone CR as a line end, inside quotes too', () => {
    expect(parseCsv('a,b\r1,2\r3,4').rows).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
    expect(parseCsv('a,b\n1,"x\ry"\n2,z\n').rows.map((row) => row.line)).toEqual([2, 4]);
  });

  it('keeps a damaged header as the header and reports it', () => {
    const parsed = parseCsv('"a"x,b\n1,2\n');
    expect(parsed.header).toEqual(['ax', 'b']);
    expect(parsed.rows).toEqual([{ line: 2, fields: ['1', '2'] }]);
    expect(parsed.errors).toEqual([{ line: 1, message: 'unexpected text after a closing quote' }]);
  });

  it('names the physical line of text after a closing quote when the row spans lines', () => {
    expect(parseCsv('a,b\n"1\n2"x,3\n').errors).toEqual([
      { line: 2, message: 'unexpected text after a closing quote on line 3' },
    ]);
  });

  it('skips blank lines and a trailing newline but still counts blank lines', () => {
    const parsed = parseCsv('\na,b\n\n1,2\n   \n\n3,4\n\n');
    expect(parsed.headerLine).toBe(2);
    expect(parsed.rows).toEqual([
      { line: 4, fields: ['1', '2'] },
      { line: 7, fields: ['3', '4'] },
    ]);
  });

  it('keeps a quoted empty field on its own line as a row, not a blank line', () => {
    expect(parseCsv('a\n""\n').rows).toEqual([{ line: 2, fields: [''] }]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,b,c\n,x,\n').rows).toEqual([{ line: 2, fields: ['', 'x', ''] }]);
  });

  it('reports an unterminated quote at the line where it opens, keeping the rows before it', () => {
    const parsed = parseCsv('a,b\n1,2\n3,"never closed\n4,5\n6,7\n');
    expect(parsed.rows).toEqual([{ line: 2, fields: ['1', '2'] }]);
    expect(parsed.errors).toEqual([
      { line: 3, message: 'unterminated quoted field; the rest of the file was not read' },
    ]);
  });

  it('rejects a row with text after a closing quote and keeps the rows around it', () => {
    const parsed = parseCsv('a,b\n1,2\n"3"x,4\n5,6\n');
    expect(parsed.rows).toEqual([
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['5', '6'] },
    ]);
    expect(parsed.errors).toEqual([{ line: 3, message: 'unexpected text after a closing quote' }]);
  });

  it('allows spaces after a closing quote and keeps a quote inside an unquoted field', () => {
    expect(parseCsv('a,b\n"x"  ,5" screen\n').rows).toEqual([{ line: 2, fields: ['x', '5" screen'] }]);
  });

  it('returns an empty header and no rows for empty text or a bare byte order mark', () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      expect(parseCsv(text)).toEqual({ header: [], headerLine: 1, rows: [], errors: [] });
    }
  });

  it('parses a 500,000-line file with every row, line number and field intact', () => {
    const lines = ['member_id,receipt_id,purchased_at,product_id'];
    for (let i = 0; i < 500_000; i++) lines.push(`m${i % 977},r${i},2025-06-01T10:00:00+02:00,"p,${i % 13}"`);
    const parsed = parseCsv(`${lines.join('\r\n')}\r\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(500_000);
    expect(parsed.rows[0]).toEqual({ line: 2, fields: ['m0', 'r0', '2025-06-01T10:00:00+02:00', 'p,0'] });
    expect(parsed.rows[499_999]).toEqual({
      line: 500_001,
      fields: ['m752', 'r499999', '2025-06-01T10:00:00+02:00', 'p,6'],
    });
    expect(
      parsed.rows.every(
        (row, index) => row.line === index + 2 && row.fields.length === 4 && row.fields[1] === `r${index}`,
      ),
    ).toBe(true);
  });
});

describe('readCsv', () => {
  it('yields records one at a time, header first, so a caller can stop early', () => {
    const seen: number[] = [];
    for (const read of readCsv('a\n1\n2\n3\n')) {
      seen.push(read.line);
      if (read.line === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('csvRecords', () => {
  it('maps each row to values by column name, whatever the column order and case', () => {
    const result = csvRecords(
      'Quantity,PRODUCT_ID,member_id\n2,p1,m1\n,p2,m2\n',
      ['member_id', 'product_id'],
      ['quantity'],
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.records).toEqual([
      { line: 2, values: { quantity: '2', product_id: 'p1', member_id: 'm1' } },
      { line: 3, values: { quantity: '', product_id: 'p2', member_id: 'm2' } },
    ]);
  });

  it('leaves out an optional column the file does not have', () => {
    const result = csvRecords('member_id\nm1\n', ['member_id'], ['quantity']);
    expect(result.records).toEqual([{ line: 2, values: { member_id: 'm1' } }]);
  });

  it('lists the columns it does not read, so a misspelt one can be reported', () => {
    const result = csvRecords('member_id,quantiy,note\nm1,2,x\n', ['member_id'], ['quantity']);
    expect(result.ignoredColumns).toEqual(['quantiy', 'note']);
    expect(result.records).toEqual([{ line: 2, values: { member_id: 'm1' } }]);
  });

  it('refuses a file that lacks a required column, naming the column', () => {
    const result = csvRecords('member_id,product_id\nm1,p1\n', ['member_id', 'receipt_id', 'product_id']);
    expect(result.fileErrors).toEqual([
      { line: 1, kind: 'missing-column', column: 'receipt_id', message: 'missing required column "receipt_id"' },
    ]);
    expect(result.records).toEqual([]);
  });

  it('refuses a file that names a column it reads twice', () => {
    const result = csvRecords('member_id,member_id\nm1,m2\n', ['member_id']);
    expect(result.fileErrors.map((error) => [error.kind, error.column])).toEqual([['repeated-column', 'member_id']]);
    expect(result.records).toEqual([]);
  });

  it('refuses an empty file as empty rather than as missing every column', () => {
    expect(csvRecords('\n', ['member_id']).fileErrors).toEqual([
      { line: 1, kind: 'empty-file', column: '', message: 'the file is empty' },
    ]);
  });

  it('reports a row with the wrong number of fields with its line and the counts, keeping the other rows', () => {
    const result = csvRecords('a,b\n1,2\n3\n4,5,6\n7,8\n', ['a', 'b']);
    expect(result.records.map((record) => record.line)).toEqual([2, 5]);
    expect(result.errors).toEqual([
      { line: 3, message: 'expected 2 fields, got 1' },
      { line: 4, message: 'expected 2 fields, got 3' },
    ]);
  });

  it('keeps a "__proto__" header as an ignored column and never as a key', () => {
    const result = csvRecords('__proto__,a\nx,1\n', ['a']);
    expect(result.ignoredColumns).toEqual(['__proto__']);
    expect(result.records[0]?.values).toEqual({ a: '1' });
    expect(Object.getPrototypeOf(result.records[0]?.values)).toBe(Object.prototype);
  });

  it('refuses "__proto__" as a column to read', () => {
    expect(() => csvRecords('a\n1\n', ['__proto__'])).toThrow(/__proto__/);
  });
});

describe('csvTable', () => {
  it('gives each column it reads its position in the row', () => {
    const table = csvTable('x,b,a\n1,2,3\n', ['a'], ['b']);
    expect([...table.columns]).toEqual([
      ['b', 1],
      ['a', 2],
    ]);
    expect(table.rows).toEqual([{ line: 2, fields: ['1', '2', '3'] }]);
  });
});

describe('toCsv', () => {
  it('quotes only the fields that need it and ends every line', () => {
    expect(
      toCsv(
        ['id', 'note'],
        [
          ['p1', 'plain'],
          ['p2', 'a, b'],
          ['p3', 'say "hi"'],
          ['p4', 'two\nlines'],
          [5, ' padded'],
        ],
      ),
    ).toBe('id,note\np1,plain\np2,"a, b"\np3,"say ""hi"""\np4,"two\nlines"\n5," padded"\n');
  });

  it('writes CRLF when asked', () => {
    expect(toCsv(['a', 'b'], [['1', '2']], { eol: '\r\n' })).toBe('a,b\r\n1,2\r\n');
  });

  it('quotes a lone empty field so it does not read back as a blank line', () => {
    expect(toCsv(['a'], [[''], ['x']])).toBe('a\n""\nx\n');
  });

  it('writes what parseCsv reads back unchanged when formulas are kept', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.record({
        header: fc.uniqueArray(name, { minLength: width, maxLength: width }),
        rows: fc.array(
          fc.array(fc.string({ unit: 'grapheme-composite', maxLength: 12 }), { minLength: width, maxLength: width }),
          {
            maxLength: 8,
          },
        ),
        eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
      }),
    );
    fc.assert(
      fc.property(table, ({ header, rows, eol }) => {
        const parsed = parseCsv(toCsv(header, rows, { eol, formulas: 'keep' }));
        expect(parsed.errors).toEqual([]);
        expect(parsed.header).toEqual(header);
        expect(parsed.rows.map((row) => row.fields)).toEqual(rows);
        // By default every cell reads back as itself, or neutralised.
        const safe = parseCsv(toCsv(header, rows, { eol }));
        expect(safe.rows.map((row) => row.fields)).toEqual(rows.map((row) => row.map(neutraliseCell)));
      }),
    );
  });
});

describe('CSV injection', () => {
  it.each([
    ['=', '=HYPERLINK("http://evil.example","click")'],
    ['+', '+1+cmd|" /C calc"!A0'],
    ['-', '-2+3+cmd|" /C calc"!A0'],
    ['@', '@SUM(1+1)*cmd|" /C calc"!A0'],
    ['a tab', '\t=1+1'],
    ['a carriage return', '\r=1+1'],
  ])('neutralises an exported cell starting with %s', (_, cell) => {
    const written = toCsv(['member_id', 'note'], [['m1', cell]]);
    const read = parseCsv(written).rows[0]?.fields[1] ?? '';
    expect(read).toBe(`'${cell}`);
    expect(read).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('leaves plain numbers, including negative ones, and ordinary text as they are', () => {
    for (const cell of ['-2.5', '+46', '42', '1e-3', 'milk', 'a=b', ' -1']) expect(neutraliseCell(cell)).toBe(cell);
  });

  it('neutralises the header and numbers written as text alike', () => {
    expect(toCsv(['=x'], [[-1], ['-1-1']])).toBe("'=x\n-1\n'-1-1\n");
  });
});

describe('semicolon-delimited input', () => {
  it('reads a file whose header is separated by semicolons, as spreadsheets with a decimal comma write it', () => {
    const parsed = parseCsv('member_id;product_id;quantity\nm1;p1;1,5\nm2;"a;b";2\n');
    expect(parsed.header).toEqual(['member_id', 'product_id', 'quantity']);
    expect(parsed.rows.map((r) => r.fields)).toEqual([
      ['m1', 'p1', '1,5'],
      ['m2', 'a;b', '2'],
    ]);
  });

  it('accepts a UTF-8 byte order mark and CRLF before a semicolon header', () => {
    expect(parseCsv('\uFEFFa;b\r\n1;2\r\n').rows).toEqual([{ line: 2, fields: ['1', '2'] }]);
  });

  it('decides from the header only, skipping blank lines before it', () => {
    expect(detectDelimiter('\n  \na;b\n1,5;2\n')).toBe(';');
    expect(detectDelimiter('a,b\nx;y;z,1\n')).toBe(',');
    expect(detectDelimiter('"a;b",c\n')).toBe(',');
    expect(detectDelimiter('single\n1;2;3\n')).toBe(',');
  });

  it('keeps tag lists inside a comma-delimited file as one field', () => {
    expect(parseCsv('id,contains\np,gluten;lactose\n').rows[0]?.fields).toEqual(['p', 'gluten;lactose']);
  });

  it('quotes a field holding a semicolon, so a one-column file reads back the same', () => {
    expect(toCsv(['tags'], [['gluten;nuts']])).toBe('tags\n"gluten;nuts"\n');
    expect(parseCsv(toCsv(['tags'], [['gluten;nuts']])).rows[0]?.fields).toEqual(['gluten;nuts']);
  });
});

describe('forEachCsvRecord', () => {
  const collect = (text: string) => {
    const rows: Array<{ line: number; fields: string[] }> = [];
    const errors: Array<{ line: number; message: string }> = [];
    forEachCsvRecord(
      text,
      (fields, line) => rows.push({ line, fields: [...fields] }),
      (e) => errors.push(e),
    );
    return { rows, errors };
  };
  const viaReadCsv = (text: string) => {
    const reads = [...readCsv(text)];
    return {
      rows: reads.filter((r) => r.error === undefined).map((r) => ({ line: r.line, fields: r.fields })),
      errors: reads.flatMap((r) => (r.error === undefined ? [] : [{ line: r.line, message: r.error }])),
    };
  };

  it('gives exactly the records readCsv gives, for any text without quotes', () => {
    const text = fc
      .tuple(
        fc.boolean(),
        fc.array(fc.constantFrom('a', 'b', ' ', '\t', ',', ';', '\n', '\r', '\r\n', 'x1'), { maxLength: 40 }),
      )
      .map(([bom, parts]) => (bom ? '\uFEFF' : '') + parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(collect(t)).toEqual(viaReadCsv(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives exactly the records readCsv gives, errors included, for text with quotes', () => {
    const text = fc
      .array(fc.constantFrom('a', '"', '""', ',', ';', '\n', '\r\n', ' '), { maxLength: 30 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(collect(t)).toEqual(viaReadCsv(t));
      }),
      { numRuns: 1000 },
    );
  });
});
