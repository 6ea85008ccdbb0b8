import { fail, ok, type Result } from './result.js';

/** What a DMARC policy asks receivers to do with mail that fails: nothing, the spam folder, or refuse it. */
export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
/** Relaxed: the same domain or one inside the other; strict: exactly the same domain (RFC 7489 3.1). */
export type AlignmentMode = 'relaxed' | 'strict';

/** A parsed DMARC record (RFC 7489 6.3): the tags a sender check needs. */
export interface DmarcRecord {
  readonly text: string;
  /** `p` */
  readonly policy: DmarcPolicy;
  /** `sp`: for mail from subdomains of the domain that publishes the record. */
  readonly subdomainPolicy?: DmarcPolicy;
  /** `pct`: the share of failing mail the policy applies to. */
  readonly pct: number;
  readonly adkim: AlignmentMode;
  readonly aspf: AlignmentMode;
  /** `rua`: where aggregate reports go. */
  readonly rua: readonly string[];
}

const POLICIES: ReadonlySet<string> = new Set(['none', 'quarantine', 'reject']);
const isPolicy = (value: string | undefined): value is DmarcPolicy => value !== undefined && POLICIES.has(value);
const mode = (value: string | undefined): AlignmentMode => (value === 's' ? 'strict' : 'relaxed');

/** Whether a TXT record is a DMARC record at all: it starts with `v=DMARC1`. */
export function isDmarcText(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/.test(text.trim());
}

/**
 * A DMARC record's tags. A record without `p` but with `rua` counts as `p=none` (RFC 7489 6.6.3);
 * an unknown `p` makes the record invalid, as receivers then ignore it.
 */
export function parseDmarc(text: string): Result<{ record: DmarcRecord }, { problem: string }> {
  if (!isDmarcText(text)) return fail({ problem: 'does not start with v=DMARC1' });
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    tags.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const p = tags.get('p')?.toLowerCase();
  const rua = (tags.get('rua') ?? '')
    .split(',')
    .map((uri) => uri.trim())
    .filter((uri) => uri.length > 0);
  if (p === undefined && rua.length === 0) return fail({ problem: 'has no policy (p=)' });
  const policy = p === undefined ? 'none' : p;
  if (!isPolicy(policy)) return fail({ problem: `has an unknown policy p=${policy}` });
  const sp = tags.get('sp')?.toLowerCase();
  const pct = Number(tags.get('pct') ?? '100');
  return ok({
    record: {
      text,
      policy,
      ...(isPolicy(sp) ? { subdomainPolicy: sp } : {}),
      pct: Number.isInteger(pct) && pct >= 0 && pct <= 100 ? pct : 100,
      adkim: mode(tags.get('adkim')?.toLowerCase()),
      aspf: mode(tags.get('aspf')?.toLowerCase()),
      rua,
    },
  });
}

/**
 * Where a receiver looks for the From domain's DMARC record, in order: `_dmarc.<domain>`, then each
 * parent up to the last two labels (the DNS tree walk of DMARCbis, which replaces RFC 7489's public
 * suffix list): `klubb.stadsbutiken.se` → `_dmarc.klubb.stadsbutiken.se`, `_dmarc.stadsbutiken.se`.
 */
export function dmarcNames(domain: string): string[] {
  const labels = domain.split('.');
  const names: string[] = [];
  for (let i = 0; i <= labels.length - 2 && names.length < 8; i++) names.push(`_dmarc.${labels.slice(i).join('.')}`);
  return names;
}

/** What one DNS name holds, for DMARC: nothing, one record, or something receivers ignore. */
export type DmarcAt =
  | { readonly kind: 'none' }
  | { readonly kind: 'record'; readonly record: DmarcRecord }
  | { readonly kind: 'invalid'; readonly text: string; readonly problem: string };

/** The DMARC record among the TXT records of one name. Two of them make both invalid (RFC 7489 6.6.3). */
export function dmarcAt(txt: readonly string[]): DmarcAt {
  const candidates = txt.filter(isDmarcText);
  const only = candidates[0];
  if (only === undefined) return { kind: 'none' };
  if (candidates.length > 1) return { kind: 'invalid', text: candidates.join(' | '), problem: 'is published twice' };
  const parsed = parseDmarc(only);
  return parsed.ok
    ? { kind: 'record', record: parsed.record }
    : { kind: 'invalid', text: only, problem: parsed.problem };
}

/**
 * Whether an authenticated domain (DKIM `d=`, or the MAIL FROM domain) aligns with the From domain.
 * Relaxed alignment asks for the same organizational domain; here that is read as one domain being
 * the other or inside it, which is exact for what SES produces (the From domain, a MAIL FROM subdomain
 * of it, or amazonses.com) without a public suffix list.
 */
export function aligned(alignment: AlignmentMode, authenticated: string, from: string): boolean {
  if (authenticated === from) return true;
  if (alignment === 'strict') return false;
  return authenticated.endsWith(`.${from}`) || from.endsWith(`.${authenticated}`);
}

/** Whether an SPF record lets SES's servers send for the domain (`include:amazonses.com`). */
export function spfAuthorizesSes(text: string): boolean {
  return /^v=spf1\s/i.test(text.trim()) && /(^|\s)[+]?include:amazonses\.com(\s|$)/i.test(text);
}
