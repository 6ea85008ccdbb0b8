import { z } from 'zod';

/** SES's verification states for a domain identity and its DKIM records (SESv2 VerificationStatus). */
export const VerificationStatus = z.enum(['PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE', 'NOT_STARTED']);
export type VerificationStatus = z.infer<typeof VerificationStatus>;

/** SES's states for a custom MAIL FROM domain (SESv2 MailFromDomainStatus). */
export const MailFromStatus = z.enum(['PENDING', 'SUCCESS', 'FAILED', 'TEMPORARY_FAILURE']);
export type MailFromStatus = z.infer<typeof MailFromStatus>;

/**
 * What SES says of one sending domain (SESv2 GetEmailIdentity): whether it may send, its Easy DKIM
 * state and its custom MAIL FROM domain. `found: false` when SES has no such identity.
 */
export const IdentityStatus = z.discriminatedUnion('found', [
  z.object({ found: z.literal(false) }),
  z.object({
    found: z.literal(true),
    /** SES's own verdict: mail from this identity is accepted. */
    verifiedForSending: z.boolean(),
    verificationStatus: VerificationStatus,
    dkim: z.object({ signingEnabled: z.boolean(), status: VerificationStatus }),
    /** Absent when the identity has no custom MAIL FROM domain. */
    mailFrom: z
      .object({
        domain: z.string().min(1),
        status: MailFromStatus,
        behaviorOnMxFailure: z.enum(['USE_DEFAULT_VALUE', 'REJECT_MESSAGE']),
      })
      .optional(),
    /** Why the last verification failed, as SES says it (VerificationInfo.ErrorType: HOST_NOT_FOUND, …). */
    verificationError: z.string().optional(),
  }),
]);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

/** SES's view of the club's sending domains (the api function may call GetEmailIdentity on them). */
export interface EmailIdentities {
  status(domain: string): Promise<IdentityStatus>;
}

/**
 * DNS TXT lookups, for the sender check's DMARC and SPF records: each record's strings joined, and
 * `[]` when the name does not exist or has no TXT record. A failed lookup throws DnsLookupError.
 */
export interface DnsTxt {
  txt(name: string): Promise<readonly string[]>;
}
