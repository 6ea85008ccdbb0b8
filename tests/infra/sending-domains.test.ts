import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAIL_FROM_SPF } from '../../lib/constructs/sending-domains.js';
import {
  actionsOf,
  EVERYTHING,
  environmentOf,
  resourceNamed,
  resourcesOf,
  statementsOfRole,
  templateOf,
} from './synth.js';

const Identity = z.object({
  EmailIdentity: z.string(),
  DkimAttributes: z.object({ SigningEnabled: z.literal(true) }),
  DkimSigningAttributes: z.object({ NextSigningKeyLength: z.literal('RSA_2048_BIT') }),
  MailFromAttributes: z.object({ MailFromDomain: z.string(), BehaviorOnMxFailure: z.string() }),
  ConfigurationSetAttributes: z.object({ ConfigurationSetName: z.unknown() }),
});

const domains = EVERYTHING.sendingDomains;

describe('sending domains (context sendingDomains)', () => {
  let template: Template;
  beforeAll(() => {
    template = templateOf({ sendingDomains: JSON.stringify(domains) });
  });

  it('creates one SES identity per domain with 2048-bit Easy DKIM, a MAIL FROM subdomain and the configuration set', () => {
    const [configurationSetId] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    const identities = Object.values(resourcesOf(template, 'AWS::SES::EmailIdentity')).map((resource) =>
      Identity.parse(resource.Properties),
    );
    expect(identities.map((identity) => identity.EmailIdentity).sort()).toEqual([
      'boghandlen.dk',
      'klubb.stadsbutiken.se',
    ]);
    const byDomain = new Map(identities.map((identity) => [identity.EmailIdentity, identity]));
    expect(byDomain.get('klubb.stadsbutiken.se')?.MailFromAttributes).toEqual({
      MailFromDomain: 'bounce.klubb.stadsbutiken.se',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    expect(byDomain.get('boghandlen.dk')?.MailFromAttributes.MailFromDomain).toBe('mail.boghandlen.dk');
    for (const identity of identities) {
      expect(identity.ConfigurationSetAttributes.ConfigurationSetName).toEqual({ Ref: configurationSetId });
    }
  });

  it('lets api and sendMail send only from the configured identities, through the configuration set', () => {
    const identityIds = Object.keys(resourcesOf(template, 'AWS::SES::EmailIdentity')).sort();
    const [configurationSetId] = resourceNamed(template, 'AWS::SES::ConfigurationSet', 'Mail');
    for (const fn of ['Api', 'SendMail']) {
      const send = statementsOfRole(template, `Functions${fn}Role`).filter((statement) =>
        actionsOf(statement).includes('ses:SendEmail'),
      );
      expect(send, fn).toHaveLength(1);
      expect(actionsOf(send[0] ?? { Effect: '', Action: [], Resource: [] }).sort()).toEqual([
        'ses:SendEmail',
        'ses:SendRawEmail',
      ]);
      const resources = z
        .array(z.unknown())
        .parse(send[0]?.Resource)
        .map((resource) => JSON.stringify(resource));
      expect(resources, fn).toHaveLength(identityIds.length + 1);
      for (const identityId of identityIds) {
        expect(resources.some((r) => r.includes(':identity/') && r.includes(`{"Ref":"${identityId}"}`))).toBe(true);
      }
      expect(resources.some((r) => r.includes(':configuration-set/') && r.includes(configurationSetId))).toBe(true);
      expect(resources.join()).not.toMatch(/identity\/\*/);
    }
    for (const fn of ['PlanCampaign', 'PlanShard', 'SesEvents']) {
      expect(JSON.stringify(statementsOfRole(template, `Functions${fn}Role`)), fn).not.toContain('ses:Send');
    }
  });

  it('lets the api function read the status of the configured identities, for the sender check', () => {
    const identityIds = Object.keys(resourcesOf(template, 'AWS::SES::EmailIdentity'));
    const read = statementsOfRole(template, 'FunctionsApiRole').filter((statement) =>
      actionsOf(statement).includes('ses:GetEmailIdentity'),
    );
    expect(read).toHaveLength(1);
    expect(actionsOf(read[0] ?? { Effect: '', Action: [], Resource: [] })).toEqual(['ses:GetEmailIdentity']);
    const resources = JSON.stringify(read[0]?.Resource);
    for (const identityId of identityIds) expect(resources).toContain(`{"Ref":"${identityId}"}`);
    expect(resources).not.toContain('*');
    expect(JSON.stringify(statementsOfRole(template, 'FunctionsSendMailRole'))).not.toContain('GetEmailIdentity');
  });

  it('passes the same sending domains as SENDING_DOMAINS to api and sendMail only', () => {
    for (const fn of ['Api', 'SendMail']) {
      expect(JSON.parse(z.string().parse(environmentOf(template, `Functions${fn}`).SENDING_DOMAINS))).toEqual(domains);
    }
    for (const fn of ['PlanCampaign', 'PlanShard', 'SesEvents']) {
      expect(environmentOf(template, `Functions${fn}`)).not.toHaveProperty('SENDING_DOMAINS');
    }
  });

  it('creates the DKIM, MAIL FROM and DMARC records in the hosted zone it is given, and none for other domains', () => {
    const records = Object.values(resourcesOf(template, 'AWS::Route53::RecordSet')).map((resource) =>
      z
        .object({
          HostedZoneId: z.string(),
          Name: z.unknown(),
          Type: z.string(),
          ResourceRecords: z.array(z.unknown()),
        })
        .parse(resource.Properties),
    );
    expect(records.every((record) => record.HostedZoneId === 'Z0123456789ABCDEFGHIJ')).toBe(true);
    expect(records.map((record) => record.Type).sort()).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT', 'TXT']);
    const named = (type: string, name: string) =>
      records.filter((record) => record.Type === type && JSON.stringify(record.Name) === JSON.stringify(name));
    expect(named('TXT', 'bounce.klubb.stadsbutiken.se.')[0]?.ResourceRecords).toEqual([`"${MAIL_FROM_SPF}"`]);
    expect(named('TXT', '_dmarc.klubb.stadsbutiken.se.')[0]?.ResourceRecords).toEqual([
      '"v=DMARC1; p=none; rua=mailto:dmarc@stadsbutiken.se"',
    ]);
    expect(named('MX', 'bounce.klubb.stadsbutiken.se.')[0]?.ResourceRecords).toEqual([
      { 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] },
    ]);
    expect(JSON.stringify(records)).not.toContain('boghandlen');
  });

  it('outputs the records to publish for every domain: three DKIM CNAMEs, MAIL FROM MX and SPF, and a DMARC to start with', () => {
    const outputs = template.findOutputs('*');
    expect(JSON.stringify(outputs.SendingDomainBoghandlenDkDkim?.Value)).toMatch(/CNAME.*\|.*CNAME.*\|.*CNAME/);
    expect(JSON.stringify(outputs.SendingDomainBoghandlenDkMailFromMx?.Value)).toContain(
      'mail.boghandlen.dk MX 10 feedback-smtp.',
    );
    expect(outputs.SendingDomainBoghandlenDkMailFromSpf?.Value).toBe(`mail.boghandlen.dk TXT "${MAIL_FROM_SPF}"`);
    expect(outputs.SendingDomainBoghandlenDkDmarc?.Value).toBe(
      '_dmarc.boghandlen.dk TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@boghandlen.dk"',
    );
    expect(outputs.SendingDomainKlubbStadsbutikenSeDmarc?.Value).toContain('rua=mailto:dmarc@stadsbutiken.se');
  });

  it('refuses at synth a list of sending domains too long for the functions environment', () => {
    const many = Array.from({ length: 40 }, (_, index) => ({
      clubId: `club-${index}`,
      domain: `klubb.club-number-${index}.example.se`,
      dmarcRua: `dmarc-reports@club-number-${index}.example.se`,
    }));
    expect(() => templateOf({ sendingDomains: many })).toThrow(/sendingDomains is \d+ characters of JSON.*4 KB/);
  });

  it('creates no identity, record or send permission when no sending domain is configured', () => {
    const none = templateOf();
    none.resourceCountIs('AWS::SES::EmailIdentity', 0);
    none.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(JSON.stringify(resourcesOf(none, 'AWS::IAM::Policy'))).not.toContain('ses:Send');
    expect(environmentOf(none, 'FunctionsApi').SENDING_DOMAINS).toBe('[]');
  });
});
