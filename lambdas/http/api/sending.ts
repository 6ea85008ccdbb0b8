import { Hono } from 'hono';
import type { Deps } from '../../app/deps.js';
import { judgeRates } from '../../core/send-protocol.js';
import { SENDER_NOT_ALLOWED, senderVerdict } from '../../core/sender-domain.js';
import { DAY_MS } from '../../core/units.js';
import { idParam, requireClub } from './shared.js';

/**
 * Whether the club can send (paused by a breaker, or blocked by a sender that is not on its own
 * domain), the rates that would pause it, and resuming it (docs/sending.md). What SES and DNS say of
 * the sender's domain is the sender check's: GET …/sending/domain.
 */
export function sendingRoutes(
  deps: Pick<Deps, 'clubs' | 'sending' | 'deliveryStats' | 'clock' | 'log' | 'sendingDomains'>,
): Hono {
  const routes = new Hono();

  routes.get('/sending', async (c) => {
    const club = await requireClub(deps, idParam(c, 'clubId'));
    const now = deps.clock.now();
    const policy = club.reputation;
    const from = new Date(now.getTime() - (policy.windowDays - 1) * DAY_MS).toISOString().slice(0, 10);
    const [breakers, counts] = await Promise.all([
      deps.sending.read(club.clubId),
      deps.deliveryStats.clubCounts(club.clubId, from, now.toISOString().slice(0, 10)),
    ]);
    const verdict = judgeRates(counts, policy);
    const open = [breakers.account, breakers.club].some((b) => b?.state === 'open');
    const sender = senderVerdict(deps.sendingDomains, club.clubId, club.senderEmail);
    return c.json({
      sending: open ? 'paused' : sender.ok ? 'active' : 'blocked',
      account: breakers.account ?? null,
      club: breakers.club ?? null,
      sender: {
        email: club.senderEmail,
        domain: sender.domain,
        ownDomain: sender.ok,
        ...(sender.ok ? {} : { reason: SENDER_NOT_ALLOWED, message: `senderEmail: ${sender.message}` }),
        check: `/api/clubs/${club.clubId}/sending/domain`,
      },
      window: {
        fromDay: from,
        days: policy.windowDays,
        ...counts,
        bounceRate: verdict.bounceRate,
        complaintRate: verdict.complaintRate,
      },
      policy,
    });
  });

  /** A person resumes a club its own rates paused, after cleaning the list. SES's own pause lifts by probe. */
  routes.post('/sending/resume', async (c) => {
    const club = await requireClub(deps, idParam(c, 'clubId'));
    const closed = await deps.sending.close({ kind: 'club', clubId: club.clubId }, deps.clock.now(), 'marketer-api');
    deps.log.info('club sending resume requested', { clubId: club.clubId, closed });
    return c.json({ resumed: closed });
  });

  return routes;
}
