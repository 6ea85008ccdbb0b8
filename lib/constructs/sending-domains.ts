import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import {
  DEFAULT_MAIL_FROM_SUBDOMAIN,
  type SendingDomain,
  type SendingDomains as SendingDomainList,
} from '../../lambdas/core/sending-domains.js';

/** Mailbox providers' SPF record for SES's MAIL FROM (the SES developer guide's value). */
export const MAIL_FROM_SPF = 'v=spf1 include:amazonses.com ~all';

/** The DMARC record to start with: monitor only, reports to `rua` (README: moving to quarantine). */
export function recommendedDmarc(domain: SendingDomain): string {
  return `v=DMARC1; p=none; rua=mailto:${domain.dmarcRua ?? `dmarc-reports@${domain.domain}`}`;
}

export interface SendingDomainsProps {
  readonly domains: SendingDomainList;
  /** Attached to every identity as its default configuration set. */
  readonly configurationSet: ses.IConfigurationSet;
}

/** One club's verified sending domain. */
export interface ClubSendingIdentity {
  readonly config: SendingDomain;
  readonly identity: ses.EmailIdentity;
  readonly mailFromDomain: string;
}

/**
 * An SES domain identity per configured sending domain (issue 21): Easy DKIM with 2048-bit keys, a
 * custom MAIL FROM subdomain (so SPF aligns with the From domain too), and the configuration set as
 * default. The stack outputs the DNS records to publish; with a hosted zone it creates them in Route 53.
 * When the MAIL FROM MX record is missing SES falls back to amazonses.com rather than rejecting the mail:
 * DMARC still passes through the aligned DKIM signature, and no campaign mail is dropped.
 */
export class SendingDomains extends Construct {
  readonly identities: readonly ClubSendingIdentity[];

  constructor(scope: Construct, id: string, props: SendingDomainsProps) {
    super(scope, id);
    this.identities = props.domains.map((config) => this.sendingDomain(config, props.configurationSet));
  }

  /** The identity ARNs the send permission is limited to. */
  get identityArns(): string[] {
    return this.identities.map((entry) => entry.identity.emailIdentityArn);
  }

  /** Lets `grantee` read each identity's verification, DKIM and MAIL FROM status (the sender check). */
  grantReadStatus(grantee: iam.IGrantable): iam.Grant | undefined {
    if (this.identities.length === 0) return undefined;
    return iam.Grant.addToPrincipal({ grantee, actions: ['ses:GetEmailIdentity'], resourceArns: this.identityArns });
  }

  private sendingDomain(config: SendingDomain, configurationSet: ses.IConfigurationSet): ClubSendingIdentity {
    const scope = new Construct(this, config.domain);
    const mailFromDomain = `${config.mailFromSubdomain ?? DEFAULT_MAIL_FROM_SUBDOMAIN}.${config.domain}`;
    const identity = new ses.EmailIdentity(scope, 'Identity', {
      identity: ses.Identity.domain(config.domain),
      configurationSet,
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain,
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
    const mailFromMx = `10 feedback-smtp.${Stack.of(this).region}.amazonses.com`;
    const dmarc = recommendedDmarc(config);
    if (config.hostedZoneId) this.publish(scope, config, config.hostedZoneId, identity, mailFromDomain, dmarc);

    const outputId = `SendingDomain${pascalCase(config.domain)}`;
    const description = (what: string) => `${config.domain} (club ${config.clubId}): ${what}`;
    new CfnOutput(this, `${outputId}Dkim`, {
      description: description('the three DKIM CNAME records, as "name CNAME value", separated by " | "'),
      value: identity.dkimRecords.map((record) => `${record.name} CNAME ${record.value}`).join(' | '),
    }).overrideLogicalId(`${outputId}Dkim`);
    new CfnOutput(this, `${outputId}MailFromMx`, {
      description: description('the MAIL FROM MX record'),
      value: `${mailFromDomain} MX ${mailFromMx}`,
    }).overrideLogicalId(`${outputId}MailFromMx`);
    new CfnOutput(this, `${outputId}MailFromSpf`, {
      description: description('the MAIL FROM SPF TXT record'),
      value: `${mailFromDomain} TXT "${MAIL_FROM_SPF}"`,
    }).overrideLogicalId(`${outputId}MailFromSpf`);
    new CfnOutput(this, `${outputId}Dmarc`, {
      description: description('the recommended DMARC TXT record to start with (then p=quarantine, see README)'),
      value: `_dmarc.${config.domain} TXT "${dmarc}"`,
    }).overrideLogicalId(`${outputId}Dmarc`);
    return { config, identity, mailFromDomain };
  }

  /**
   * The records in the domain's Route 53 zone. DMARC only with `dmarcRua`: a domain that already sends
   * other mail usually has a `_dmarc` record, and the operator who names a report address owns it.
   */
  private publish(
    scope: Construct,
    config: SendingDomain,
    hostedZoneId: string,
    identity: ses.EmailIdentity,
    mailFromDomain: string,
    dmarc: string,
  ): void {
    const zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(scope, 'Zone', {
      hostedZoneId,
      zoneName: config.hostedZoneName ?? config.domain,
    });
    identity.dkimRecords.forEach((record, index) => {
      new route53.CfnRecordSet(scope, `Dkim${index + 1}`, {
        hostedZoneId: zone.hostedZoneId,
        name: record.name,
        type: 'CNAME',
        resourceRecords: [record.value],
        ttl: '1800',
      });
    });
    new route53.MxRecord(scope, 'MailFromMx', {
      zone,
      recordName: mailFromDomain,
      values: [{ priority: 10, hostName: `feedback-smtp.${Stack.of(this).region}.amazonses.com` }],
    });
    new route53.TxtRecord(scope, 'MailFromSpf', { zone, recordName: mailFromDomain, values: [MAIL_FROM_SPF] });
    if (config.dmarcRua)
      new route53.TxtRecord(scope, 'Dmarc', { zone, recordName: `_dmarc.${config.domain}`, values: [dmarc] });
  }
}

/** `klubb.stadsbutiken.se` → `KlubbStadsbutikenSe`, for output ids. */
function pascalCase(domain: string): string {
  return domain
    .split(/[^a-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
