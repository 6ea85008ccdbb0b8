import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY } from '../../lambdas/http/console/copy/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { consoleMarketer, expectNoAxeViolations, signedInContext } from '../support/console-browser.js';
import { type ConsoleClub, consoleClub } from '../support/console-club.js';
import { type Harness, startHarness } from '../support/local-harness.js';

const en = COPY.en;
const available = browserAvailable();
let browser: Browser | undefined;
let h: Harness;
let club: ConsoleClub;
let viewer: BrowserContext;
let editorNoScript: BrowserContext;
let admin: BrowserContext;

beforeAll(async () => {
  if (!available) return;
  h = await startHarness();
  [club, browser] = await Promise.all([consoleClub(h, 7), launchChromium()]);
  const people = {
    viewer: await consoleMarketer(h, { [club.clubId]: 'viewer' }),
    editor: await consoleMarketer(h, { [club.clubId]: 'editor' }),
    admin: await consoleMarketer(h, { [club.clubId]: 'admin' }),
  };
  [viewer, editorNoScript, admin] = await Promise.all([
    signedInContext(browser, h, people.viewer, { language: 'en' }),
    signedInContext(browser, h, people.editor, { language: 'en', javaScript: false }),
    signedInContext(browser, h, people.admin, { language: 'en' }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const url = (path: string) => `${h.urls.http}/console/clubs/${club.clubId}/${path}`;

describe.runIf(available)('console forms in a real browser', () => {
  it('shows a viewer no edit controls, and refuses the console forms a viewer posts anyway', async () => {
    const page = await viewer.newPage();
    await page.goto(url('campaigns'));
    await expect(page.getByRole('link', { name: en.newCampaign }).count()).resolves.toBe(0);
    await expect(page.locator('nav.main').innerText()).resolves.not.toContain(en.nav.settings);
    await page.goto(url(`campaigns/${club.submitted}`));
    for (const control of [
      en.campaign.edit,
      en.campaign.submit,
      en.campaign.schedule,
      en.campaign.cancel,
      en.campaign.approve,
    ]) {
      await expect(
        page
          .getByRole('button', { name: control })
          .or(page.getByRole('link', { name: control }))
          .count(),
      ).resolves.toBe(0);
    }
    const before = await h.deps.campaigns.getCampaign(club.clubId, club.submitted);
    // The editor's own forms, as the editor's page has them, posted from the viewer's page with the viewer's form token.
    for (const [action, fields] of [
      ['approve', {}],
      ['schedule', {}],
      [
        '',
        {
          name: 'Taken over',
          theme: 'community',
          offerPool: club.demo.offers[0]?.offerId ?? '',
          sendAt: '2030-01-01T09:00',
        },
      ],
    ] as const) {
      await page.goto(url(`campaigns/${club.submitted}`));
      // A plain form, built in the page as the editor's page would have it, then submitted.
      const target = url(`campaigns/${club.submitted}${action ? `/${action}` : ''}`);
      await page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = ${JSON.stringify(target)};
        const token = document.querySelector('input[name=_csrf]').value;
        for (const [name, value] of [['_csrf', token], ...Object.entries(${JSON.stringify(fields)})]) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      })()`);
      await page.waitForLoadState('load');
      await expect(page.locator('h1').innerText()).resolves.toBe(en.forbiddenTitle);
    }
    await page.goto(url('new-campaign'));
    await expect(page.locator('h1').innerText()).resolves.toBe(en.forbiddenTitle);
    expect(await h.deps.campaigns.getCampaign(club.clubId, club.submitted)).toEqual(before);
    await page.close();
  });

  it('creates a campaign, finds offers, checks the template at its line and works out who gets it with JavaScript off', async () => {
    const page = await editorNoScript.newPage();
    await page.goto(url('new-campaign'));
    await page.getByLabel(en.name, { exact: true }).fill('Utan skript');
    await page.getByLabel(en.editor.findOffers).fill('bröd');
    await page.getByRole('button', { name: en.search, exact: true }).click();
    await expect(page.getByLabel(en.name, { exact: true }).inputValue()).resolves.toBe('Utan skript');
    await page.locator('#offer-picker input[name=offerPool]').first().check();
    await page.getByLabel(en.editor.html).fill('<p>Hej</p>\n<p>{{ member.firstname }}</p>');
    await page.getByRole('button', { name: en.editor.checkTemplate }).click();
    await expect(page.locator('#template-check').innerText()).resolves.toContain(
      'template.html line 2: undefined variable: member.firstname',
    );
    await page.getByRole('button', { name: en.editor.create }).last().click();
    await expect(page.locator('[role=alert]').innerText()).resolves.toContain('template.html line 2');
    await page.getByLabel(en.editor.html).fill('');
    await page.getByRole('button', { name: en.editor.create }).last().click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.campaign.done.created);
    await page.getByRole('link', { name: en.campaign.dryRun }).click();
    await page.getByRole('button', { name: en.explorer.start }).click();
    for (let i = 0; i < 20 && (await page.getByRole('button', { name: en.explorer.continue }).count()) > 0; i++) {
      await page.getByRole('button', { name: en.explorer.continue }).click();
    }
    await expect(page.locator('#explorer').innerText()).resolves.toContain(en.explorer.steps.mailed);
    await page.getByRole('link', { name: en.explorer.steps.mailed }).first().click();
    await expect(page.locator('h2#members-heading').innerText()).resolves.toBe(
      en.explorer.filteredBy(en.explorer.steps.mailed),
    );
    await page.close();
  });

  it('makes an after-purchase survey and a "you said, we did" note in the editor, with no axe violations', async () => {
    const page = await admin.newPage();
    const k = en.kindFields;
    await page.goto(url('new-campaign'));
    await expectNoAxeViolations(page, 'the editor with the survey and note fields');
    await page.getByLabel(en.name, { exact: true }).fill('Efter köpet');
    await page.getByRole('radio', { name: en.kinds.survey }).check();
    await page.getByRole('radio', { name: k.afterPurchase }).check();
    await page.getByLabel(k.daysAfter).fill('3');
    await page.getByLabel(k.windowDays).fill('1');
    await page.getByLabel(k.askReason).uncheck();
    await page.getByRole('button', { name: en.editor.create }).last().click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.campaign.done.created);
    const surveyId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect((await h.deps.campaigns.getCampaign(club.clubId, surveyId))?.survey).toEqual({
      type: 'after-purchase',
      daysAfter: 3,
      windowDays: 1,
      askReason: false,
    });

    // The club's own question, added in an edit: the Danish "5" left out comes back at its field, the rest kept.
    await page.goto(url(`campaigns/${surveyId}/edit`));
    const question = {
      id: 'csat',
      text: { sv: 'Hur nöjd är du?', da: 'Hvor tilfreds er du?', en: 'How satisfied are you?' },
      low: { sv: 'Inte nöjd', da: 'Ikke tilfreds', en: 'Not satisfied' },
      high: { sv: 'Mycket nöjd', da: 'Meget tilfreds', en: 'Very satisfied' },
    };
    await page.getByLabel(k.questionId).fill(question.id);
    for (const language of ['sv', 'da', 'en'] as const)
      for (const part of ['text', 'low', 'high'] as const)
        if (part !== 'high' || language !== 'da')
          await page.getByLabel(`${k.questionPart[part]} (${k.inLanguage[language]})`).fill(question[part][language]);
    await page.getByRole('button', { name: en.editor.saveChanges }).last().click();
    await expect(page.locator('[role=alert]').innerText()).resolves.toContain('survey.question.high.da');
    await expect(page.locator('#question-high-da').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#question-text-sv').inputValue()).resolves.toBe(question.text.sv);
    await expectNoAxeViolations(page, 'the editor with a club question problem');
    await page.getByLabel(`${k.questionPart.high} (${k.inLanguage.da})`).fill(question.high.da);
    await page.getByRole('button', { name: en.editor.saveChanges }).last().click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.campaign.done.saved);
    expect((await h.deps.campaigns.getCampaign(club.clubId, surveyId))?.survey).toEqual({
      type: 'after-purchase',
      daysAfter: 3,
      windowDays: 1,
      askReason: false,
      question,
    });
    await page.goto(url(`campaigns/${surveyId}/edit`));
    await expect(page.locator('#question-low-en').inputValue()).resolves.toBe(question.low.en);

    await page.goto(url('new-campaign'));
    await page.getByLabel(en.name, { exact: true }).fill('Ni sa, vi gjorde');
    await page.getByRole('radio', { name: en.kinds.note }).check();
    const topic = (await page.locator('#noteTopic option').nth(1).getAttribute('value')) ?? '';
    await page.getByLabel(k.topic).selectOption(topic);
    // The Danish headline left out: the form comes back with the problem at its field, and the rest kept.
    for (const language of ['sv', 'da', 'en'] as const) {
      await page.getByLabel(`${k.part.subject} (${k.inLanguage[language]})`).fill(`Ni sa (${language})`);
      if (language !== 'da')
        await page.getByLabel(`${k.part.headline} (${k.inLanguage[language]})`).fill(`Vi gjorde (${language})`);
      await page.getByLabel(`${k.part.body} (${k.inLanguage[language]})`).fill(`Längre öppettider (${language}).`);
    }
    await page.getByRole('button', { name: en.editor.create }).last().click();
    await expect(page.locator('[role=alert]').innerText()).resolves.toContain('note.headline.da');
    await expect(page.locator('#note-headline-da').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel(`${k.part.subject} (${k.inLanguage.da})`).inputValue()).resolves.toBe('Ni sa (da)');
    await expectNoAxeViolations(page, 'the editor with a note problem');
    await page.getByLabel(`${k.part.headline} (${k.inLanguage.da})`).fill('Vi gjorde (da)');
    await page.getByRole('button', { name: en.editor.create }).last().click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.campaign.done.created);
    const noteId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const note = await h.deps.campaigns.getCampaign(club.clubId, noteId);
    expect(note).toMatchObject({ kind: 'note', note: { topic, headline: { da: 'Vi gjorde (da)' } } });
    expect(note?.survey).toBeUndefined();

    // Edited back into offers mail: the note goes with the kind.
    await page.goto(url(`campaigns/${noteId}/edit`));
    await expect(page.getByLabel(`${k.part.body} (${k.inLanguage.sv})`).inputValue()).resolves.toBe(
      'Längre öppettider (sv).',
    );
    await page.locator('input[name=kind][value=offers]').check();
    await page.locator('#offerQuery').fill('bröd');
    await page.getByRole('button', { name: en.search, exact: true }).click();
    await page.locator('#offer-picker input[name=offerPool]').first().check();
    await page.getByRole('button', { name: en.editor.saveChanges }).last().click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.campaign.done.saved);
    const offers = await h.deps.campaigns.getCampaign(club.clubId, noteId);
    expect(offers?.kind).toBe('offers');
    expect(offers?.note).toBeUndefined();
    await page.close();
  });

  it('speaks the language the marketer chooses, and keeps it', async () => {
    const page = await admin.newPage();
    await page.goto(url('calendar'));
    await page.getByLabel(en.language).selectOption('da');
    await page.getByRole('button', { name: en.change }).first().click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('da');
    await expect(page.locator('h1').innerText()).resolves.toBe(COPY.da.calendarTitle);
    await page.goto(url('campaigns'));
    await expect(page.locator('h1').innerText()).resolves.toBe(COPY.da.campaignsTitle);
    await page.getByLabel(COPY.da.language).selectOption('en');
    await page.getByRole('button', { name: COPY.da.change }).first().click();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.close();
  });

  it("saves settings only as previewed, and shows what the change does to next week's reach first", async () => {
    const page = await admin.newPage();
    await page.goto(url('settings'));
    await page.locator('input[name=windowMax0]').fill('3');
    await page.getByRole('button', { name: en.settings.previewChange }).click();
    await expect(page.locator('#preview-heading').innerText()).resolves.toBe(en.settings.previewTitle);
    await expect(page.locator('section[aria-labelledby=preview-heading]').innerText()).resolves.toContain(
      'At most 3 mails per 3 days',
    );
    await page.locator('input[name=windowMax0]').fill('4');
    await page.getByRole('button', { name: en.settings.confirm }).click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.settings.previewFirst);
    expect((await h.deps.clubs.getClub(club.clubId))?.budget.windows[0]?.max).toBe(1);
    await page.getByRole('button', { name: en.settings.confirm }).click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.settings.saved);
    expect((await h.deps.clubs.getClub(club.clubId))?.budget.windows[0]?.max).toBe(4);
    await page.close();
  });

  it('lets an admin invite a marketer and change their role, and lists it in the audit trail', async () => {
    const page = await admin.newPage();
    await page.goto(url('team'));
    await page.getByLabel(en.team.email).fill('eva@marketers.example');
    await page.getByRole('button', { name: en.team.inviteButton }).click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.team.invited('eva@marketers.example'));
    await page.getByLabel(`${en.team.role}: eva@marketers.example`).selectOption('approver');
    await page
      .locator('tr', { hasText: 'eva@marketers.example' })
      .getByRole('button', { name: en.team.changeRole })
      .click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.team.changed);
    const team = await h.deps.roles.list(club.clubId);
    expect(team.find((m) => m.email === 'eva@marketers.example')?.role).toBe('approver');
    await page.goto(url('audit'));
    await expect(page.locator('table').innerText()).resolves.toContain('PUT /clubs/:clubId/team/:userId (console)');
    await page.close();
  });

  it('imports a member file through the import job, with a progress bar, the counts and the rejected lines to download', async () => {
    const page = await admin.newPage();
    await page.goto(url('imports'));
    const header =
      'member_id,email,first_name,language,joined_at,consent_marketing,consent_text_version,consent_at,consent_source,consent_legal_basis';
    const good = (n: number) =>
      `imp${n},imp${n}@members.example,Ida,sv,2025-01-01T00:00:00Z,yes,v1,2025-01-01T00:00:00Z,shop,consent`;
    const file = [
      header,
      good(1),
      good(2),
      'imp3,not-an-address,Ola,sv,2025-01-01T00:00:00Z,yes,v1,2025-01-01T00:00:00Z,shop,consent',
      good(4),
    ].join('\n');
    await page
      .getByLabel(en.imports.file)
      .setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(`${file}\n`) });
    await page.getByRole('button', { name: en.imports.upload }).click();
    await expect(page.locator('[role=status]').innerText()).resolves.toBe(en.imports.started);
    // htmx follows the job until it is done: its row then has this file's counts (the club's seeded
    // import, also done, has its own), its progress bar full and its rejected lines to download.
    const row = page.locator('#import-jobs tr', { hasText: /3 accepted, 1 rejected, 3 new/ });
    await row.waitFor({ timeout: 30_000 });
    // The counts are final before the job is: its last steps (profiles, audience facts) come after them.
    await row.locator('td', { hasText: en.imports.status.done }).waitFor({ timeout: 30_000 });
    await expect(row.locator('td', { hasText: en.imports.status.done }).count()).resolves.toBe(1);
    await expect(row.locator('progress').getAttribute('value')).resolves.toBe(
      await row.locator('progress').getAttribute('max'),
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: en.imports.rejectedLines }).click(),
    ]);
    const stream = await download.createReadStream();
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(text.split('\n')[0]).toBe('line,field,message');
    expect(text).toMatch(/^4,email,/m);
    expect((await h.deps.members.getState(club.clubId, 'imp4'))?.member.firstName).toBe('Ida');
    await page.close();
  });
});
