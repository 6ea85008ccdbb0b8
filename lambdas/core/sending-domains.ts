import { z } from 'zod';
import { Id } from './model.js';

/** A lower-case DNS name with at least two labels, such as `klubb.stadsbutiken.se`. */
export const DomainName = z
  .string()
  .max(253)
  .regex(
    /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'use a lower-case domain name such as klubb.example.se',
  );

/**
 * One club's sending domain (issue 21): the CDK context `sendingDomains` and the functions' env
 * `SENDING_DOMAINS` carry a JSON list of these. The stack creates an SES identity with Easy DKIM
 * and a custom MAIL FROM domain for each; a club may send only from its own domains.
 */
export const SendingDomain = z
  .object({
    clubId: Id,
    domain: DomainName,
    /** The MAIL FROM subdomain, one label (`bounce` gives `bounce.<domain>`). @default 'bounce' */
    mailFromSubdomain: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'use one lower-case DNS label such as bounce')
      .optional(),
    /** The Route 53 public hosted zone holding the domain: the stack then creates the DNS records. */
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, 'use a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ')
      .optional(),
    /** The hosted zone's name, when it is a parent of `domain`. @default domain */
    hostedZoneName: DomainName.optional(),
    /** Where DMARC aggregate reports go (`rua=mailto:…`). */
    dmarcRua: z.email().optional(),
  })
  .strict()
  .refine((d) => d.hostedZoneName === undefined || d.hostedZoneId !== undefined, {
    message: 'hostedZoneName needs hostedZoneId',
    path: ['hostedZoneName'],
  })
  .refine(
    (d) => d.hostedZoneName === undefined || d.domain === d.hostedZoneName || d.domain.endsWith(`.${d.hostedZoneName}`),
    { message: 'the domain must be the hosted zone or inside it', path: ['hostedZoneName'] },
  );
export type SendingDomain = z.infer<typeof SendingDomain>;

/** Every configured sending domain; a domain belongs to one club only. */
export const SendingDomains = z.array(SendingDomain).superRefine((domains, ctx) => {
  const seen = new Set<string>();
  domains.forEach((entry, index) => {
    if (seen.has(entry.domain)) {
      ctx.addIssue({ code: 'custom', message: `${entry.domain} is listed twice`, path: [index, 'domain'] });
    }
    seen.add(entry.domain);
  });
});
export type SendingDomains = z.infer<typeof SendingDomains>;

/** The MAIL FROM subdomain a domain uses when none is configured. */
export const DEFAULT_MAIL_FROM_SUBDOMAIN = 'bounce';
