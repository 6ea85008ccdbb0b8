/** Cutting a file that arrives as a stream into blocks of whole records. Pure. */

const QUOTE_CHAR = 34;
const NEWLINE = 10;

/**
 * Cuts decoded text, as it arrives, into blocks that end with a line break outside any quoted CSV
 * field, so each block holds whole records. It holds at most one block (about `blockChars`), or
 * `maxChars` when a quote never closes (the reader then reports the unterminated quote).
 */
export class BlockCutter {
  private buffer = '';

  constructor(
    private readonly csv: boolean,
    private readonly blockChars = 1 << 20,
    private readonly maxChars = 64 << 20,
  ) {}

  push(text: string): string[] {
    this.buffer += text;
    if (this.buffer.length < this.blockChars) return [];
    let cut = -1;
    let quotes = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c === QUOTE_CHAR && this.csv) quotes += 1;
      else if (c === NEWLINE && quotes % 2 === 0) cut = i;
    }
    if (cut < 0) {
      if (this.buffer.length < this.maxChars) return [];
      cut = this.buffer.length - 1;
    }
    const block = this.buffer.slice(0, cut + 1);
    this.buffer = this.buffer.slice(cut + 1);
    return [block];
  }

  end(): string[] {
    const rest = this.buffer;
    this.buffer = '';
    return rest === '' ? [] : [rest];
  }
}

/** Line breaks in a block: LF, CRLF and a lone CR each count once, as readCsv counts them. */
export function countLines(block: string): number {
  let breaks = 0;
  for (let i = 0; i < block.length; i++) {
    const c = block.charCodeAt(i);
    if (c === 10) breaks += 1;
    else if (c === 13 && block.charCodeAt(i + 1) !== 10) breaks += 1;
  }
  return breaks;
}
