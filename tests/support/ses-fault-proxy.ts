import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * 'reject': SES refuses this message for good (its content). 'unverified': SES refuses the sender,
 * whose domain is not verified (the message SES gives, naming the identity).
 * 'lost-answer': SES takes the mail but the answer never reaches us (a 500 after forwarding), the
 * case where the worker must not send again.
 */
export type SesMode = 'ok' | 'throttle' | 'paused' | 'reject' | 'unverified' | 'lost-answer';

/**
 * A real HTTP stand-in in front of the local SES that answers as SES does when it throttles
 * (429 TooManyRequestsException) or when the account is paused (400 SendingPausedException), so the
 * real SESv2 client and our error mapping are exercised. It records every send request it sees.
 */
export class SesFaultProxy {
  mode: SesMode = 'ok';
  target = '';
  /** Every SendEmail request: when, and what SES answered. */
  readonly requests: Array<{ at: number; answered: SesMode }> = [];
  private server: Server | undefined;
  /** Called with SES's answer for each forwarded request, e.g. to publish the SEND event SES would. */
  onForwarded: ((request: string, answer: string) => void) | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address !== 'object') throw new Error('proxy has no port');
    return `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const body = Buffer.concat(chunks);
    const mode = this.mode;
    this.requests.push({ at: performance.now(), answered: mode });
    if (mode === 'throttle') return this.error(res, 429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
    if (mode === 'paused') return this.error(res, 400, 'SendingPausedException', 'Sending is paused for this account.');
    if (mode === 'reject') {
      return this.error(res, 400, 'MessageRejected', "The message can't be sent because it contains invalid content.");
    }
    if (mode === 'unverified') {
      const from = /"FromEmailAddress":"[^"]*?<?([^"<>]+@[^"<>]+)>?"/.exec(body.toString('utf8'))?.[1] ?? 'unknown';
      const message = `Email address is not verified. The following identities failed the check in region EU-NORTH-1: ${from}`;
      return this.error(res, 400, 'MessageRejected', message);
    }
    const upstream = await fetch(`${this.target}${req.url ?? '/'}`, {
      method: req.method ?? 'POST',
      headers: Object.fromEntries(
        Object.entries(req.headers).flatMap(([name, value]) =>
          name === 'host' || name === 'content-length' || value === undefined
            ? []
            : [[name, Array.isArray(value) ? value.join(', ') : value]],
        ),
      ),
      body,
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    this.onForwarded?.(body.toString('utf8'), answer.toString('utf8'));
    if (mode === 'lost-answer')
      return this.error(res, 500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(answer);
  }

  private error(res: ServerResponse, status: number, type: string, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ message }));
  }
}
