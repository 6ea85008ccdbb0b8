import type { Campaign, Member } from './model.js';
import type { NameDayIndex } from './name-days.js';
import { isPersonalOccasion, occasionsOn } from './occasions.js';
import { localDateOf } from './quiet-hours.js';

/** Whether the campaign mails a member's own occasion (birthday, anniversary, name day). */
export function isPersonal(campaign: Campaign): boolean {
  const id = campaign.occasion?.id;
  return id !== undefined && isPersonalOccasion(id);
}

/** The local date whose personal occasions a campaign mails: a run's own day, else the day `at` is for the member. */
export function dayOf(campaign: Campaign, member: Member, at: Date): string {
  return campaign.personalDay?.date ?? localDateOf(at, member.timeZone);
}

/** Whether the local date `localDate` ('YYYY-MM-DD') is the member's own occasion. */
export function isTheirOccasion(
  member: Member,
  occasion: string,
  localDate: string,
  nameDays: NameDayIndex | undefined,
): boolean {
  const dates = {
    ...(member.birthDate ? { birthDate: member.birthDate } : {}),
    joinedDate: new Intl.DateTimeFormat('en-CA', {
      timeZone: member.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(member.joinedAt)),
    ...(nameDays && member.preferences.nameDayMail ? { nameDay: { name: member.firstName, calendar: nameDays } } : {}),
  };
  return occasionsOn(localDate, 'SE', dates).some((o) => o === occasion);
}
