import { controlPauseEnd, fewerKeyOf, type MailControl } from '../core/mail-controls.js';
import type { Campaign, Member } from '../core/model.js';
import type { PreferencesPatch, SendCounter } from '../core/ports.js';
import { assertNever, DAY_MS } from '../core/units.js';
import type { Deps } from './deps.js';

/** The report counter of each control (core/ports.ts SendCounter): a campaign counts its mails' controls. */
export const CONTROL_COUNTERS: Readonly<Record<MailControl, SendCounter>> = {
  fewer: 'controlFewer',
  pause: 'controlPause',
  'occasions-only': 'controlOccasionsOnly',
};

/** What a control asks of the member's preferences, and whether that changes anything now. */
export function controlPatch(
  control: MailControl,
  member: Member,
  campaign: Pick<Campaign, 'kind' | 'theme'>,
  now: Date,
): { patch: PreferencesPatch; changes: boolean } {
  const prefs = member.preferences;
  switch (control) {
    case 'fewer': {
      const key = fewerKeyOf(campaign);
      return { patch: { addFewer: key }, changes: !(prefs.fewer ?? []).includes(key) };
    }
    case 'pause': {
      const end = controlPauseEnd(now);
      // A longer pause the member chose already is never shortened, and a second click the same day
      // (a double click, the back button) is the same choice: it neither moves the end nor counts again.
      const longer = prefs.pausedUntil !== undefined && Date.parse(prefs.pausedUntil) >= end.getTime() - DAY_MS;
      return { patch: longer ? {} : { pausedUntil: end.toISOString() }, changes: !longer };
    }
    case 'occasions-only':
      return { patch: { frequency: 'occasions-only' }, changes: prefs.frequency !== 'occasions-only' };
    default:
      return assertNever(control);
  }
}

/**
 * Apply one control from a mail (docs/decisions/0042-in-mail-controls.md): the member's own choice,
 * saved as the preference page saves it (member-owned: imports never undo it), and counted once on the
 * campaign whose mail it came from when it changed something.
 */
export async function applyControl(
  deps: Pick<Deps, 'members' | 'deliveryStats' | 'clock' | 'log'>,
  target: { readonly member: Member; readonly campaign: Campaign },
  control: MailControl,
): Promise<{ kind: 'applied' | 'unchanged' | 'not-found'; pausedUntil?: string }> {
  const { member, campaign } = target;
  const now = deps.clock.now();
  const { patch, changes } = controlPatch(control, member, campaign, now);
  if (!changes) return { kind: 'unchanged', ...pausedUntilOf(member, patch) };
  const result = await deps.members.updatePreferences(member.clubId, member.memberId, patch, now, 'mail-control');
  if (result === 'not-found') return { kind: 'not-found' };
  await deps.deliveryStats.add(member.clubId, now.toISOString().slice(0, 10), campaign.campaignId, {
    [CONTROL_COUNTERS[control]]: 1,
  });
  deps.log.info('mail control applied', {
    clubId: member.clubId,
    campaignId: campaign.campaignId,
    memberId: member.memberId,
    control,
  });
  return { kind: 'applied', ...pausedUntilOf(member, patch) };
}

function pausedUntilOf(member: Member, patch: PreferencesPatch): { pausedUntil?: string } {
  const until = typeof patch.pausedUntil === 'string' ? patch.pausedUntil : member.preferences.pausedUntil;
  return until ? { pausedUntil: until } : {};
}
