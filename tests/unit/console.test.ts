import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONSERVATIVE_BUDGET, DEFAULT_BUDGET } from '../../lambdas/core/budget.js';
import { DEFAULT_ENGAGEMENT } from '../../lambdas/core/engagement.js';
import { HTMX_VERSION } from '../../lambdas/http/console/assets.js';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { formats } from '../../lambdas/http/console/format.js';
import {
  campaignInputOf,
  emptyForm,
  fieldOf,
  issuesOf,
  readCampaignForm,
} from '../../lambdas/http/console/routes/campaign-form.js';
import { kindFormOf, questionField } from '../../lambdas/http/console/routes/campaign-kind-form.js';
import {
  budgetSentence,
  clubFromForm,
  contrastChecks,
  engagementSentence,
  readSettingsForm,
  settingsFormOf,
} from '../../lambdas/http/console/routes/settings-form.js';
import { seal, unseal } from '../../lambdas/http/console/sealed.js';
import { cognitoConsoleSettings } from '../../lambdas/http/console/settings.js';
import { aClub, NOW } from './fixtures.js';

const keys = { current: 'k2', keys: { k1: 'a'.repeat(43), k2: 'b'.repeat(43) } };
const Value = z.object({ sub: z.string() });

describe('sealed console cookies', () => {
  it('opens what it sealed, under the key that sealed it, after the current key moved on', () => {
    const sealed = seal(keys, 'session', { sub: 'u1' });
    expect(sealed.startsWith('k2.')).toBe(true);
    expect(unseal(keys, 'session', sealed, Value)).toEqual({ sub: 'u1' });
    expect(unseal({ current: 'k3', keys: { ...keys.keys, k3: 'c'.repeat(43) } }, 'session', sealed, Value)).toEqual({
      sub: 'u1',
    });
  });

  it('refuses a changed byte, another purpose, a retired key and a key id taken from Object.prototype', () => {
    const sealed = seal(keys, 'session', { sub: 'u1' });
    const body = sealed.slice(3);
    const flipped = `k2.${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}`;
    expect(unseal(keys, 'session', flipped, Value)).toBeUndefined();
    expect(unseal(keys, 'sign-in', sealed, Value)).toBeUndefined();
    expect(unseal({ current: 'k1', keys: { k1: keys.keys.k1 } }, 'session', sealed, Value)).toBeUndefined();
    expect(unseal(keys, 'session', `__proto__.${body}`, Value)).toBeUndefined();
    expect(unseal(keys, 'session', 'k2.', Value)).toBeUndefined();
    expect(unseal(keys, 'session', seal(keys, 'session', { other: 1 }), Value)).toBeUndefined();
  });
});

describe('console settings on AWS', () => {
  it("signs in at Cognito's hosted UI and signs out through its /logout back to the console", () => {
    const settings = cognitoConsoleSettings({
      AUTH_HOSTED_UI_URL: 'https://club.auth.eu-north-1.amazoncognito.com',
      AUTH_CONSOLE_CLIENT_ID: 'client123',
      PUBLIC_BASE_URL: 'https://club.example',
    });
    expect(settings).toMatchObject({
      authorizeUrl: 'https://club.auth.eu-north-1.amazoncognito.com/oauth2/authorize',
      tokenUrl: 'https://club.auth.eu-north-1.amazoncognito.com/oauth2/token',
      redirectUri: 'https://club.example/console/auth/callback',
      clientId: 'client123',
    });
    expect(settings?.logoutUrl).toBe(
      'https://club.auth.eu-north-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fclub.example%2Fconsole%2F',
    );
    expect(cognitoConsoleSettings({ AUTH_CONSOLE_CLIENT_ID: 'x' })).toBeUndefined();
  });

  it('pins htmx at exactly the version it serves', () => {
    const pkg = z
      .object({ dependencies: z.record(z.string(), z.string()) })
      .parse(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')));
    expect(pkg.dependencies['htmx.org']).toBe(HTMX_VERSION);
    expect(HTMX_VERSION).toMatch(/^2\.\d+\.\d+$/);
  });
});

describe('the campaign form', () => {
  it('reads a send time in the club zone and a control group in percent', () => {
    const body = new URLSearchParams({ name: 'Helg', theme: 'care', holdout: '12.5', sendAt: '2026-06-19T09:00' });
    body.append('offerPool', 'o1');
    body.append('offerPool', 'o1');
    body.append('offerPool', 'o2');
    const input = campaignInputOf(readCampaignForm(body), 'Europe/Stockholm');
    if (Array.isArray(input) || !input.success) throw new Error('the form should parse');
    expect(input.data).toMatchObject({
      sendAt: '2026-06-19T07:00:00.000Z',
      holdoutShare: 0.125,
      offerPool: ['o1', 'o2'],
      theme: 'care',
    });
    expect(input.data.template).toBeUndefined();
  });

  it('names the send time when it is not a date and time, and keeps template whitespace for its line numbers', () => {
    const form = { ...emptyForm(NOW, 'Europe/Stockholm'), name: 'x', offerPool: ['o1'], sendAt: 'tomorrow' };
    expect(campaignInputOf(form, 'Europe/Stockholm')).toEqual([
      { path: 'sendAt', message: expect.stringContaining('date and time') },
    ]);
    const html = '\n\n<p>{{ x }}</p>';
    expect(readCampaignForm(new URLSearchParams({ html })).html).toBe(html);
  });

  const QUESTION = {
    id: 'csat',
    text: { sv: 'Hur nöjd är du med butiken?', da: 'Hvor tilfreds er du med butikken?', en: 'How satisfied are you?' },
    low: { sv: 'Inte alls nöjd', da: 'Slet ikke tilfreds', en: 'Not at all satisfied' },
    high: { sv: 'Mycket nöjd', da: 'Meget tilfreds', en: 'Very satisfied' },
  };
  /** A survey's form as the browser posts it, with the club question's fields shown. */
  function surveyBody(question: typeof QUESTION | undefined): URLSearchParams {
    const body = new URLSearchParams({ name: 'Enkät', theme: 'care', kind: 'survey', sendAt: '2026-06-19T09:00' });
    body.set('surveyType', 'relationship');
    body.set('askReasonShown', '1');
    body.set('questionShown', '1');
    body.set('questionId', question?.id ?? '');
    for (const part of ['text', 'low', 'high'] as const)
      for (const language of ['sv', 'da', 'en'] as const)
        body.set(questionField(part, language), question?.[part][language] ?? '');
    return body;
  }

  it("reads a survey's club question from the form, and none when every one of its fields is empty", () => {
    const asked = campaignInputOf(readCampaignForm(surveyBody(QUESTION)), 'Europe/Stockholm');
    if (Array.isArray(asked) || !asked.success) throw new Error('the form should parse');
    expect(asked.data.survey).toEqual({ type: 'relationship', askReason: false, question: QUESTION });
    // The stored survey shown again gives the same fields back.
    expect(kindFormOf({ survey: { type: 'relationship', askReason: true, question: QUESTION } })).toMatchObject({
      questionId: 'csat',
      question: { text: QUESTION.text, low: QUESTION.low, high: QUESTION.high },
    });
    // Emptied, the question goes, even when editing a survey that had one.
    const emptied = campaignInputOf(readCampaignForm(surveyBody(undefined)), 'Europe/Stockholm', QUESTION);
    if (Array.isArray(emptied) || !emptied.success) throw new Error('the form should parse');
    expect(emptied.data.survey).toEqual({ type: 'relationship', askReason: false });
    // A form posted without those fields (an older page, a script) keeps the question the survey had.
    const older = surveyBody(undefined);
    older.delete('questionShown');
    const kept = campaignInputOf(readCampaignForm(older), 'Europe/Stockholm', QUESTION);
    if (Array.isArray(kept) || !kept.success) throw new Error('the form should parse');
    expect(kept.data.survey).toMatchObject({ question: QUESTION });
  });

  it("names the club question's field that is missing or wrong, in the language it is missing in", () => {
    const body = surveyBody({ ...QUESTION, id: 'nöjd kund', high: { ...QUESTION.high, da: '' } });
    const input = campaignInputOf(readCampaignForm(body), 'Europe/Stockholm');
    if (Array.isArray(input) || input.success) throw new Error('the form should not parse');
    const fields = issuesOf(input.error).map((issue) => fieldOf(issue.path));
    expect(fields.sort()).toEqual(['question-high-da', 'questionId']);
  });
});

describe('club settings in plain sentences', () => {
  const fmt = formats(COPY.en, 'Europe/Stockholm');

  it('says the budget and engagement rules as a sentence in each language', () => {
    expect(budgetSentence(COPY.en, fmt, DEFAULT_BUDGET)).toBe(
      "At most 3 mails a week and 12 mails a month; no mail from 21:00 to 08:00 in the member's own time zone; at most 2 surveys a year.",
    );
    expect(budgetSentence(COPY.en, fmt, CONSERVATIVE_BUDGET)).toMatch(/^At most 1 mail per 3 days and 2 mails a week/);
    expect(engagementSentence(COPY.en, fmt, DEFAULT_ENGAGEMENT)).toBe(
      'A member who has not opened, clicked or bought after 10 mails gets at most 1 mail a month, and needs offers 0.15 more relevant. A member whose habits the model knows is mailed only when the best offer scores at least 0.4.',
    );
    expect(budgetSentence(COPY.sv, formats(COPY.sv, 'Europe/Stockholm'), DEFAULT_BUDGET)).toMatch(
      /^Högst 3 mejl i veckan och 12 mejl i månaden/,
    );
    expect(budgetSentence(COPY.da, formats(COPY.da, 'Europe/Copenhagen'), DEFAULT_BUDGET)).toMatch(
      /^Højst 3 mails om ugen og 12 mails om måneden/,
    );
  });

  it('checks the brand colours against WCAG AA', () => {
    const checks = contrastChecks({ primary: '#ffdd00', background: '#ffffff', text: '#111111' });
    expect(checks.find((c) => c.pair === 'text')?.passes).toBe(true);
    expect(checks.find((c) => c.pair === 'accent')).toMatchObject({ passes: false });
  });

  it('reads the settings form back into the club, keeping what it does not show, and names bad fields', () => {
    const club = aClub({ offersUrl: 'https://shop.example/offers' });
    const form = settingsFormOf(club);
    const body = new URLSearchParams(Object.entries({ ...form.fields, windowMax0: '2', primary: 'green' }));
    const made = clubFromForm(readSettingsForm(body, club), club);
    expect('issues' in made && made.issues.map((i) => i.path)).toEqual(['brand.colours.primary']);
    const fixed = new URLSearchParams(Object.entries({ ...form.fields, windowMax0: '2' }));
    const good = clubFromForm(readSettingsForm(fixed, club), club);
    if (!('input' in good)) throw new Error('the form should parse');
    expect(good.input.budget.windows[0]).toEqual({ days: 7, max: 2 });
    expect(good.input.offersUrl).toBe('https://shop.example/offers');
  });
});
