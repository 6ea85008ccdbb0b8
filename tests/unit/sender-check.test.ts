import { describe, expect, it } from 'vitest';
import { LocalDnsTxt } from '../../lambdas/adapters/local-dns-txt.js';
import { LocalEmailIdentities } from '../../lambdas/adapters/local-email-identities.js';
import { localFixtureRecords, localIdentityEntries } from '../../lambdas/adapters/local-sending-fixtures.js';
import { checkSendingDomain, type SenderCheckDeps, senderNotReady } from '../../lambdas/app/sender-check.js';
import { dmarcAt, dmarcNames, parseDmarc } from '../../lambdas/core/dmarc.js';
import { LookupError } from '../../lambdas/core/errors.js';
import type { SendingDomains } from '../../lambdas/core/sending-domains.js';
import type { DnsTxt } from '../../lambdas/core/sending-identity.js';
import { aClub } from './fixtures.js';

/** One club per documented fixture domain (lambdas/adapters/local-sending-fixtures.ts). */
const DOMAINS: SendingDomains = [
  'verified',
  'pending',
  'failed',
  'no-dmarc',
  'misaligned',
  'strict',
  'stadsbutiken',
].map((name) => ({ clubId: `club-${name}`, domain: `${name}.example` }));

function deps(overrides: Partial<SenderCheckDeps> = {}): SenderCheckDeps {
  return {
    sendingDomains: { mode: 'configured', domains: DOMAINS },
    identities: new LocalEmailIdentities(localIdentityEntries(DOMAINS)),
    dns: new LocalDnsTxt(localFixtureRecords()),
    ...overrides,
  };
}

const clubOn = (name: string) => aClub({ clubId: `club-${name}`, senderEmail: `klubb@${name}.example` });

describe('the sender check, through the SES identity and DNS ports', () => {
  it('reports a verified domain with its DMARC policy, and SPF and DKIM aligned', async () => {
    const report = await checkSendingDomain(deps(), clubOn('verified'));
    expect(report).toMatchObject({
      domain: 'verified.example',
      checked: 'configured',
      status: 'verified',
      canSend: true,
      identity: {
        found: true,
        verifiedForSending: true,
        verificationStatus: 'SUCCESS',
        dkim: { signingEnabled: true, status: 'SUCCESS' },
        mailFrom: { domain: 'bounce.verified.example', status: 'SUCCESS', behaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
      },
      dmarc: { found: true, name: '_dmarc.verified.example', policy: 'reject', appliedPolicy: 'reject', pct: 100 },
      alignment: {
        dkim: { domain: 'verified.example', mode: 'relaxed', aligned: true },
        spf: {
          domain: 'bounce.verified.example',
          aligned: true,
          record: 'v=spf1 include:amazonses.com ~all',
          authorizesSes: true,
        },
        dmarcPasses: true,
      },
      warnings: [],
    });
    expect(report.reason).toBeUndefined();
  });

  it('reports a pending domain as unable to send, saying which records to publish', async () => {
    const report = await checkSendingDomain(deps(), clubOn('pending'));
    expect(report).toMatchObject({ status: 'pending', canSend: false, identity: { verifiedForSending: false } });
    expect(report.reason).toMatch(
      /^SES has not verified pending\.example yet \(DKIM PENDING\): publish the three DKIM/,
    );
    // Until DKIM and the MAIL FROM MX are found, SES authenticates with its own domain only.
    expect(report.alignment).toMatchObject({
      dkim: { domain: 'amazonses.com', aligned: false },
      spf: { domain: 'amazonses.com', aligned: false },
      dmarcPasses: false,
    });
  });

  it('reports a failed domain with SES error type', async () => {
    const report = await checkSendingDomain(deps(), clubOn('failed'));
    expect(report).toMatchObject({ status: 'failed', canSend: false });
    expect(report.reason).toMatch(/could not verify failed\.example \(DKIM FAILED, HOST_NOT_FOUND\)/);
    expect(report.dmarc).toEqual({ found: false });
    expect(report.warnings.join('\n')).toMatch(/No DMARC record at _dmarc\.failed\.example/);
    expect(report.warnings.join('\n')).toMatch(/bounce\.failed\.example has no SPF record/);
  });

  it('reports a verified domain without DMARC: it may send, with the bulk-sender rule it breaks', async () => {
    const report = await checkSendingDomain(deps(), clubOn('no-dmarc'));
    expect(report).toMatchObject({ status: 'verified', canSend: true, dmarc: { found: false } });
    expect(report.warnings).toEqual([
      "No DMARC record at _dmarc.no-dmarc.example: Gmail and Yahoo require one from bulk senders; publish the stack's Dmarc output (p=none to start).",
    ]);
  });

  it('reports a misaligned domain: DKIM signing off and no MAIL FROM, so DMARC fails under its strict policy', async () => {
    const report = await checkSendingDomain(deps(), clubOn('misaligned'));
    expect(report).toMatchObject({
      status: 'verified',
      canSend: true,
      dmarc: { found: true, policy: 'quarantine' },
      alignment: {
        dkim: { domain: 'amazonses.com', mode: 'strict', aligned: false },
        spf: { domain: 'amazonses.com', mode: 'strict', aligned: false },
        dmarcPasses: false,
      },
    });
    const warnings = report.warnings.join('\n');
    expect(warnings).toMatch(/DKIM is not aligned: signing with misaligned\.example's own key is turned off/);
    expect(warnings).toMatch(/SPF is not aligned: mail leaves with SES's own MAIL FROM domain/);
    expect(warnings).toMatch(/DMARC fails for this sender/);
  });

  it('reports SPF misaligned under strict alignment while DKIM carries DMARC', async () => {
    const report = await checkSendingDomain(deps(), clubOn('strict'));
    expect(report.alignment).toMatchObject({
      dkim: { domain: 'strict.example', mode: 'strict', aligned: true },
      spf: { domain: 'bounce.strict.example', mode: 'strict', aligned: false },
      dmarcPasses: true,
    });
    expect(report.warnings).toEqual([expect.stringMatching(/strict SPF alignment \(aspf=s\)/)]);
  });

  it('reports a domain SES has no identity for', async () => {
    const identities = new LocalEmailIdentities(localIdentityEntries(DOMAINS, { 'verified.example': 'no-identity' }));
    const report = await checkSendingDomain(deps({ identities }), clubOn('verified'));
    expect(report).toMatchObject({ status: 'no-identity', canSend: false, identity: { found: false } });
    expect(report.reason).toMatch(/deploy the stack with verified\.example in its sendingDomains/);
  });

  it('keeps a verified domain sending through a temporary failure, with a warning', async () => {
    const identities = new LocalEmailIdentities(
      localIdentityEntries(DOMAINS, { 'verified.example': 'temporary-failure' }),
    );
    const report = await checkSendingDomain(deps({ identities }), clubOn('verified'));
    expect(report).toMatchObject({ status: 'verified', canSend: true });
    expect(report.warnings).toEqual([expect.stringMatching(/cannot check verified\.example's DKIM records right now/)]);
  });

  it('looks nothing up for a sender on another club domain', async () => {
    const looked: string[] = [];
    const dns: DnsTxt = {
      txt: async (name) => {
        looked.push(name);
        return [];
      },
    };
    const report = await checkSendingDomain(
      deps({ dns }),
      aClub({ clubId: 'club-verified', senderEmail: 'x@pending.example' }),
    );
    expect(report).toMatchObject({ status: 'not-assigned', canSend: false, identity: null, alignment: null });
    expect(report.reason).toBe('pending.example is a sending domain of another club');
    expect(looked).toEqual([]);
  });

  it('finds the DMARC record on a parent domain and applies its subdomain policy', async () => {
    const domains = [{ clubId: 'club-news', domain: 'news.parent.example' }];
    const report = await checkSendingDomain(
      {
        sendingDomains: { mode: 'configured', domains },
        identities: new LocalEmailIdentities(localIdentityEntries(domains)),
        dns: new LocalDnsTxt([
          ['_dmarc.parent.example', ['v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@parent.example']],
        ]),
      },
      aClub({ clubId: 'club-news', senderEmail: 'hej@news.parent.example' }),
    );
    expect(report.dmarc).toMatchObject({
      found: true,
      name: '_dmarc.parent.example',
      policy: 'reject',
      appliedPolicy: 'quarantine',
    });
  });

  it('says when a DNS lookup failed instead of reporting no record', async () => {
    const dns: DnsTxt = {
      txt: async (name) => {
        throw new LookupError(`the DNS lookup of ${name} TXT failed (ESERVFAIL)`);
      },
    };
    const report = await checkSendingDomain(deps({ dns }), clubOn('verified'));
    expect(report.dmarc).toEqual({
      found: false,
      problem: 'the DNS lookup of _dmarc.verified.example TXT failed (ESERVFAIL)',
    });
    expect(report.warnings.join('\n')).toMatch(/could not be looked up/);
    expect(report.canSend).toBe(true);
  });

  it('refuses to schedule while the domain is not verified, naming senderEmail', async () => {
    expect(await senderNotReady(deps(), clubOn('verified'))).toBeUndefined();
    expect(await senderNotReady(deps(), clubOn('pending'))).toMatch(
      /^senderEmail: SES has not verified pending\.example/,
    );
    expect(await senderNotReady(deps(), aClub({ clubId: 'club-pending', senderEmail: 'x@gmail.com' }))).toMatch(
      /^senderEmail: gmail\.com is not a sending domain of club club-pending/,
    );
    expect(await senderNotReady({ ...deps(), sendingDomains: { mode: 'any' } }, clubOn('pending'))).toBeUndefined();
  });
});

describe('DMARC records', () => {
  it('reads the policy, percentage, alignment modes and report addresses', () => {
    const parsed = parseDmarc(
      'v=DMARC1; p=Quarantine; sp=reject; pct=25; adkim=s; aspf=r; rua=mailto:a@x.se, mailto:b@x.se',
    );
    expect(parsed).toEqual({
      ok: true,
      record: {
        text: 'v=DMARC1; p=Quarantine; sp=reject; pct=25; adkim=s; aspf=r; rua=mailto:a@x.se, mailto:b@x.se',
        policy: 'quarantine',
        subdomainPolicy: 'reject',
        pct: 25,
        adkim: 'strict',
        aspf: 'relaxed',
        rua: ['mailto:a@x.se', 'mailto:b@x.se'],
      },
    });
  });

  it('takes a record without p but with rua as p=none, and refuses an unknown policy', () => {
    expect(parseDmarc('v=DMARC1; rua=mailto:a@x.se')).toMatchObject({ ok: true, record: { policy: 'none' } });
    expect(parseDmarc('v=DMARC1; p=block')).toEqual({ ok: false, problem: 'has an unknown policy p=block' });
    expect(parseDmarc('v=spf1 -all')).toEqual({ ok: false, problem: 'does not start with v=DMARC1' });
  });

  it('ignores other TXT records at the name, and treats two DMARC records as invalid', () => {
    expect(dmarcAt(['google-site-verification=abc', 'v=DMARC1; p=none'])).toMatchObject({ kind: 'record' });
    expect(dmarcAt(['v=DMARC1; p=none', 'v=DMARC1; p=reject'])).toMatchObject({
      kind: 'invalid',
      problem: 'is published twice',
    });
    expect(dmarcAt([])).toEqual({ kind: 'none' });
  });

  it('walks from the From domain up to its last two labels', () => {
    expect(dmarcNames('klubb.stadsbutiken.se')).toEqual(['_dmarc.klubb.stadsbutiken.se', '_dmarc.stadsbutiken.se']);
    expect(dmarcNames('stadsbutiken.se')).toEqual(['_dmarc.stadsbutiken.se']);
  });
});
