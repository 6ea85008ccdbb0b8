import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsTxt } from '../../lambdas/adapters/node-dns-txt.js';
import { createSesReadClient, SesEmailIdentities } from '../../lambdas/adapters/ses-email-identities.js';
import { checkSendingDomain } from '../../lambdas/app/sender-check.js';
import { LookupError } from '../../lambdas/core/errors.js';
import { DnsServer } from '../support/dns-server.js';
import { aClub } from '../unit/fixtures.js';

/**
 * The real adapters of the sender check: the SESv2 client against an HTTP stand-in that answers
 * GetEmailIdentity in SES's own JSON shape, and node:dns against a DNS server on UDP loopback.
 */

/** GetEmailIdentity answers by domain: [status, headers, body]. */
const identities = new Map<string, [number, Record<string, string>, unknown]>();
const requested: string[] = [];
let ses: Server;
let sesUrl: string;
const dns = new DnsServer();
let dnsServer: string;

const VERIFIED = {
  IdentityType: 'DOMAIN',
  FeedbackForwardingStatus: true,
  VerifiedForSendingStatus: true,
  VerificationStatus: 'SUCCESS',
  DkimAttributes: {
    SigningEnabled: true,
    Status: 'SUCCESS',
    Tokens: ['a1', 'b2', 'c3'],
    SigningAttributesOrigin: 'AWS_SES',
    CurrentSigningKeyLength: 'RSA_2048_BIT',
  },
  MailFromAttributes: {
    MailFromDomain: 'bounce.klubb.stadsbutiken.se',
    MailFromDomainStatus: 'SUCCESS',
    BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
  },
  ConfigurationSetName: 'club-planner',
  Policies: {},
  Tags: [],
  VerificationInfo: { LastCheckedTimestamp: 1_765_000_000, LastSuccessTimestamp: 1_765_000_000 },
};

beforeAll(async () => {
  identities.set('klubb.stadsbutiken.se', [200, {}, VERIFIED]);
  identities.set('pending.stadsbutiken.se', [
    200,
    {},
    {
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      VerificationStatus: 'FAILED',
      DkimAttributes: { SigningEnabled: true, Status: 'FAILED', Tokens: [] },
      VerificationInfo: { ErrorType: 'HOST_NOT_FOUND', LastCheckedTimestamp: 1_765_000_000 },
    },
  ]);
  identities.set('odd.stadsbutiken.se', [200, {}, { ...VERIFIED, VerificationStatus: 'SOMETHING_NEW' }]);
  identities.set('busy.stadsbutiken.se', [
    429,
    { 'x-amzn-errortype': 'TooManyRequestsException' },
    { message: 'Too many requests' },
  ]);
  ses = createServer((req, res) => {
    const domain = decodeURIComponent((req.url ?? '').replace(/^\/v2\/email\/identities\//, ''));
    requested.push(`${req.method} ${req.url}`);
    const [status, headers, body] = identities.get(domain) ?? [
      404,
      { 'x-amzn-errortype': 'NotFoundException' },
      { message: `Email identity ${domain} does not exist.` },
    ];
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = ses.address();
  sesUrl = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;

  dns.records.set('_dmarc.klubb.stadsbutiken.se', [['v=DMARC1; p=quarantine; ', 'rua=mailto:dmarc@stadsbutiken.se']]);
  dns.records.set('bounce.klubb.stadsbutiken.se', [
    ['v=spf1 include:amazonses.com ~all'],
    ['google-site-verification=x'],
  ]);
  dns.records.set('klubb.stadsbutiken.se', [['v=spf1 -all']]);
  dns.failing.add('_dmarc.broken.stadsbutiken.se');
  dnsServer = await dns.start();
});
afterAll(async () => {
  await new Promise<void>((resolve) => (ses ? ses.close(() => resolve()) : resolve()));
  await dns.stop();
});

const sesIdentities = () => new SesEmailIdentities(createSesReadClient({ endpoint: sesUrl }));
const resolver = () => new NodeDnsTxt({ servers: [dnsServer], timeoutMs: 500 });

describe('SesEmailIdentities (SESv2 GetEmailIdentity)', () => {
  it('reads SES verdict, Easy DKIM and the MAIL FROM domain of a verified identity', async () => {
    expect(await sesIdentities().status('klubb.stadsbutiken.se')).toEqual({
      found: true,
      verifiedForSending: true,
      verificationStatus: 'SUCCESS',
      dkim: { signingEnabled: true, status: 'SUCCESS' },
      mailFrom: {
        domain: 'bounce.klubb.stadsbutiken.se',
        status: 'SUCCESS',
        behaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      },
    });
    expect(requested).toContain('GET /v2/email/identities/klubb.stadsbutiken.se');
  });

  it('reads a failed identity with the error SES gives, and no MAIL FROM domain', async () => {
    expect(await sesIdentities().status('pending.stadsbutiken.se')).toEqual({
      found: true,
      verifiedForSending: false,
      verificationStatus: 'FAILED',
      dkim: { signingEnabled: true, status: 'FAILED' },
      verificationError: 'HOST_NOT_FOUND',
    });
  });

  it('says an identity SES does not know is not found', async () => {
    expect(await sesIdentities().status('unknown.stadsbutiken.se')).toEqual({ found: false });
  });

  it('throws a LookupError when SES keeps throttling, or answers in a shape it does not know', async () => {
    await expect(sesIdentities().status('busy.stadsbutiken.se')).rejects.toThrow(
      new LookupError('SES GetEmailIdentity for busy.stadsbutiken.se failed (TooManyRequestsException)'),
    );
    await expect(sesIdentities().status('odd.stadsbutiken.se')).rejects.toThrow(/answered in an unexpected shape/);
  });
});

describe('NodeDnsTxt (node:dns/promises)', () => {
  it('joins the character-strings of each TXT record, and keeps the records apart', async () => {
    expect(await resolver().txt('_dmarc.klubb.stadsbutiken.se')).toEqual([
      'v=DMARC1; p=quarantine; rua=mailto:dmarc@stadsbutiken.se',
    ]);
    expect([...(await resolver().txt('bounce.klubb.stadsbutiken.se'))].sort()).toEqual([
      'google-site-verification=x',
      'v=spf1 include:amazonses.com ~all',
    ]);
  });

  it('answers no records for a name that does not exist', async () => {
    expect(await resolver().txt('_dmarc.nowhere.stadsbutiken.se')).toEqual([]);
  });

  it('throws a LookupError when the server fails', async () => {
    await expect(resolver().txt('_dmarc.broken.stadsbutiken.se')).rejects.toThrow(
      /the DNS lookup of _dmarc\.broken\.stadsbutiken\.se TXT failed \(ESERVFAIL\)/,
    );
  });
});

describe('the sender check through the real adapters', () => {
  it('reports a verified domain with its DMARC policy and aligned SPF and DKIM', async () => {
    const report = await checkSendingDomain(
      {
        sendingDomains: { mode: 'configured', domains: [{ clubId: 'stadsbutiken', domain: 'klubb.stadsbutiken.se' }] },
        identities: sesIdentities(),
        dns: resolver(),
      },
      aClub({ clubId: 'stadsbutiken', senderEmail: 'klubb@klubb.stadsbutiken.se' }),
    );
    expect(report).toMatchObject({
      status: 'verified',
      canSend: true,
      dmarc: { found: true, name: '_dmarc.klubb.stadsbutiken.se', policy: 'quarantine' },
      alignment: { dkim: { aligned: true }, spf: { aligned: true, authorizesSes: true }, dmarcPasses: true },
      warnings: [],
    });
  });
});
