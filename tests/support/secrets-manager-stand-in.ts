import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A few secrets behind Secrets Manager's own JSON protocol (GetSecretValue only), for the real SDK
 * client through Powertools Parameters (AWS_ENDPOINT_URL_SECRETS_MANAGER points at it). There is no
 * Secrets Manager emulator among the local stand-ins; this is the least that answers the real call.
 */
export class SecretsManagerStandIn {
  readonly secrets = new Map<string, string>();
  /** How many GetSecretValue calls reached it: proof of the cache and of its maximum age. */
  reads = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const input: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        const id = typeof input === 'object' && input && 'SecretId' in input ? String(input.SecretId) : '';
        const value = this.secrets.get(id);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: `no secret ${id}` }));
          return;
        }
        this.reads += 1;
        res.end(JSON.stringify({ ARN: id, Name: id, SecretString: value, VersionId: `v${this.reads}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address !== 'object') throw new Error('no port');
    return `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
