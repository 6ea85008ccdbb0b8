import { describe, expect, it } from 'vitest';
import { SURVEY_COPY } from '../../lambdas/core/survey-copy.js';
import { renderSurveyMail } from '../../lambdas/core/survey-mail.js';
import { signToken, verifyToken } from '../../lambdas/core/tokens.js';
import { aClub, aMember, DAY_MS, NOW } from './fixtures.js';

const links = {
  score: (score: number) => `https://club.example/s/TOKEN?score=${score}`,
  honeypot: 'https://club.example/s/TOKEN/x',
  unsubscribe: 'https://club.example/u/UNSUB',
  preferences: 'https://club.example/p/PREFS',
};

const render = (language: 'sv' | 'da' | 'en' = 'en', purchasedAt?: string) =>
  renderSurveyMail({
    club: aClub({ name: 'Hörnbutiken' }),
    member: aMember({ language, firstName: 'Anna' }),
    survey: purchasedAt
      ? { type: 'after-purchase', daysAfter: 2, windowDays: 1, askReason: true }
      : { type: 'relationship', askReason: true },
    ...(purchasedAt ? { purchasedAt } : {}),
    links,
  });

describe('the survey mail', () => {
  it('has eleven score buttons in table cells, each a link to its score with a label a screen reader reads', () => {
    const mail = render();
    const buttons = [
      ...mail.html.matchAll(/<td[^>]*><a href="([^"]+)" aria-label="([^"]+)" title="[^"]+"[^>]*>(\d+)<\/a><\/td>/g),
    ];
    expect(buttons.map((b) => b[3])).toEqual(Array.from({ length: 11 }, (_, i) => String(i)));
    buttons.forEach((b, i) => {
      expect(b[1]).toBe(links.score(i));
      expect(b[2]).toBe(`${i} out of 10`);
    });
  });

  it('asks the NPS question with the meaning of the scale, and labels both ends', () => {
    const mail = render();
    expect(mail.html).toContain(
      'How likely is it that you would recommend Hörnbutiken to a friend or colleague? 0 = not at all likely, 10 = extremely likely.',
    );
    expect(mail.html).toContain('>0 = not at all likely<');
    expect(mail.html).toContain('>10 = extremely likely<');
  });

  it('has no script, no form and no image that reports an open', () => {
    const mail = render();
    expect(mail.html).not.toMatch(/<script|<form|<input|<img/i);
  });

  it('hides a honeypot link from people and screen readers, and leaves it out of the plain-text part', () => {
    const mail = render();
    expect(mail.html).toMatch(
      /<div style="display:none;max-height:0;overflow:hidden;mso-hide:all" aria-hidden="true"><a href="https:\/\/club\.example\/s\/TOKEN\/x" tabindex="-1"/,
    );
    expect(mail.text).not.toContain(links.honeypot);
    for (let score = 0; score <= 10; score++) expect(mail.text).toContain(`${score} out of 10: ${links.score(score)}`);
  });

  it('carries the footer links, the postal address and the RFC 8058 headers', () => {
    const mail = render();
    expect(mail.html).toContain(links.preferences);
    expect(mail.html).toContain(links.unsubscribe);
    expect(mail.text).toContain('Storgatan 1, 111 22 Stockholm');
    expect(mail.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });

  it('speaks Swedish and Danish, and names the purchase an after-purchase survey asks about', () => {
    const sv = render('sv', '2025-06-12T15:00:00.000Z');
    expect(sv.subject).toBe('Hur var ditt köp hos Hörnbutiken?');
    expect(sv.html).toContain(SURVEY_COPY.sv.npsQuestion('Hörnbutiken'));
    expect(sv.html).toContain('Tänk på ditt köp den 12 juni.');
    expect(sv.html).toContain('aria-label="7 av 10"');
    const da = render('da');
    expect(da.subject).toBe('Hvad synes du om Hörnbutiken?');
    expect(da.html).toContain('aria-label="7 ud af 10"');
    expect(da.html).toContain('lang="da"');
  });
});

describe('survey links', () => {
  const keys = { current: 'k1', keys: { k1: 'a-secret-of-at-least-thirty-two-chars!!' } };

  it('name their campaign, and only survey links do', () => {
    const token = signToken(keys, { purpose: 'survey', clubId: 'c', memberId: 'm', campaignId: 'nps-q2' }, NOW, 60);
    expect(verifyToken(keys, token, NOW)).toMatchObject({
      ok: true,
      claims: { purpose: 'survey', clubId: 'c', memberId: 'm', campaignId: 'nps-q2' },
    });
    expect(verifyToken(keys, token, new Date(NOW.getTime() + 61 * DAY_MS))).toEqual({ ok: false, why: 'expired' });
    expect(() => signToken(keys, { purpose: 'survey', clubId: 'c', memberId: 'm' }, NOW)).toThrow(RangeError);
    expect(() => signToken(keys, { purpose: 'preferences', clubId: 'c', memberId: 'm', campaignId: 'x' }, NOW)).toThrow(
      RangeError,
    );
    const preferences = signToken(keys, { purpose: 'preferences', clubId: 'c', memberId: 'm' }, NOW);
    expect(verifyToken(keys, preferences, NOW)).toMatchObject({ ok: true, claims: { purpose: 'preferences' } });
  });
});
