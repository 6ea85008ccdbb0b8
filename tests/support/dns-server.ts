import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

const TXT = 16;
const NXDOMAIN = 3;
const SERVFAIL = 2;

/**
 * A tiny authoritative DNS server on UDP loopback that answers TXT questions from a table, so the
 * node:dns adapter is tested through a real resolver (c-ares) and the real wire format (RFC 1035).
 * A record is a list of character-strings (each under 256 bytes), as a TXT record holds them.
 * Names in `failing` get SERVFAIL; names it does not know get NXDOMAIN; known names asked for
 * another type get an empty answer (NODATA).
 */
export class DnsServer {
  readonly records = new Map<string, string[][]>();
  readonly failing = new Set<string>();
  private socket: Socket | undefined;

  async start(): Promise<string> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (query, from) => {
      const answer = this.answer(query);
      if (answer) socket.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const address: AddressInfo = socket.address();
    return `127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }

  private answer(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    // The question: labels up to a zero byte, then type and class.
    const labels: string[] = [];
    let at = 12;
    while (at < query.length && query[at] !== 0) {
      const length = query[at] ?? 0;
      labels.push(query.subarray(at + 1, at + 1 + length).toString('ascii'));
      at += 1 + length;
    }
    const questionEnd = at + 5;
    if (questionEnd > query.length) return undefined;
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(at + 1);
    const records = this.records.get(name);
    const rcode = this.failing.has(name) ? SERVFAIL : records ? 0 : NXDOMAIN;
    const answers = rcode === 0 && type === TXT ? (records ?? []) : [];

    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the query's id
    const recursionDesired = (query.readUInt16BE(2) >> 8) & 0x01;
    header.writeUInt16BE(0x8000 | 0x0400 | (recursionDesired << 8) | 0x0080 | rcode, 2); // QR, AA, RD, RA
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const question = query.subarray(12, questionEnd);
    const resourceRecords = answers.map((strings) => {
      const rdata = Buffer.concat(
        strings.map((text) => {
          const bytes = Buffer.from(text, 'utf8');
          return Buffer.concat([Buffer.from([bytes.length]), bytes]);
        }),
      );
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      fixed.writeUInt16BE(TXT, 2);
      fixed.writeUInt16BE(1, 4); // IN
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([fixed, rdata]);
    });
    return Buffer.concat([header, question, ...resourceRecords]);
  }
}
