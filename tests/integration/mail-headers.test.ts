import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoBookstoreClub } from '../../bin/demo-bookstore.js';
import { seedDemo } from '../../bin/seed-demo.js';
import { verifyToken } from '../../lambdas/core/tokens.js';
import {
  callApi,
  type Harness,
  header,
  type StoredEmail,
  sesInbox,
  startHarness,
  uniqueId,
} from '../support/local-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const clubBody = {
  name: 'Header Grocer',
  language: 'en',
  senderName: 'Header Grocer',
  senderEmail: 'club@header.example',
  postalAddress: 'High Street 1, London',
  brand: { primaryEmotion: 'community', colours: { primary: '#1d6b3a', background: '#ffffff', text: '#111111' } },
};

/** RFC 2047 B-encoded words back to text, as a mail client reads them. */
function decodePhrase(phrase: string): string {
  return phrase
    .split(' ')
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word);
      if (!match) throw new Error(`not an encoded word: ${word}`);
      return Buffer.from(match[1] ?? '', 'base64');
    })
    .reduce((all, part) => Buffer.concat([all, part]), Buffer.alloc(0))
    .toString('utf8');
}

/** Every URL in a mail: the HTML's href and src attributes, the text part's URLs, the List-Unsubscribe header. */
function linksIn(mail: StoredEmail): string[] {
  const html = [...(mail.body.html ?? '').matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? '');
  const text = [...(mail.body.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  const list = [...(header(mail, 'List-Unsubscribe') ?? '').matchAll(/<([^>]+)>/g)].map((m) => m[1] ?? '');
  return [...html, ...text, ...list].map((url) => url.replaceAll('&amp;', '&'));
}

describe('names and subjects that reach mail headers', () => {
  it.each([
    ['name', 'Header Grocer\r\nBcc: victim@evil.example'],
    ['name', 'Header\u202EGrocer'],
    ['senderName', 'Header Grocer\nBcc: victim@evil.example'],
    ['senderName', '\u2067Header Grocer'],
  ])('refuses %s %j with a 400 naming the field, and stores nothing', async (field, value) => {
    const clubId = uniqueId('header');
    const answer = await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, { ...clubBody, [field]: value });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(new RegExp(`^${field}: must not contain control characters`));
    expect(await h.deps.clubs.getClub(clubId)).toBeUndefined();
  });

  it('refuses a campaign template subject with a line break, naming template.subject', async () => {
    const clubId = uniqueId('header');
    expect((await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, clubBody)).status).toBe(201);
    await callApi(h.urls.http, 'PUT', `/clubs/${clubId}/products`, {
      products: [{ productId: 'milk', name: 'Milk', category: 'Dairy', contains: [], freeFrom: [] }],
    });
    await callApi(h.urls.http, 'PUT', `/clubs/${clubId}/offers`, {
      offers: [{ offerId: 'o-milk', productId: 'milk', headline: '2 for 1' }],
    });
    const answer = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns`, {
      name: 'Injected',
      theme: 'community',
      offerPool: ['o-milk'],
      sendAt: new Date(Date.now() + 86_400_000).toISOString(),
      template: { subject: 'Hello\r\nBcc: victim@evil.example' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.message).toMatch(/^template\.subject: must not contain control characters/);
  });
});

describe('a mail from a club with a non-ASCII sender name', () => {
  let mails: StoredEmail[] = [];
  const senderName = 'Boghandlen Læseklub – Ærø';
  let demo: ReturnType<typeof demoBookstoreClub>;

  beforeAll(async () => {
    demo = demoBookstoreClub(h.clock.now(), 7, uniqueId('bog'));
    await seedDemo(h.deps, demo);
    const { clubId: _id, createdAt: _at, ...settings } = demo.club;
    const clubId = demo.club.clubId;
    expect((await callApi(h.urls.http, 'PUT', `/clubs/${clubId}`, { ...settings, senderName })).status).toBe(200);
    const created = await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns`, {
      name: 'Encoded',
      theme: 'curiosity',
      offerPool: demo.offers.map((o) => o.offerId),
      sendAt: new Date(h.clock.now().getTime() + 200).toISOString(),
    });
    const campaignId = z.object({ campaign: z.object({ campaignId: z.string() }) }).parse(created.json)
      .campaign.campaignId;
    expect((await callApi(h.urls.http, 'POST', `/clubs/${clubId}/campaigns/${campaignId}/schedule`)).status).toBe(200);
    for (let i = 0; i < 200 && (await h.deps.campaigns.getCampaign(clubId, campaignId))?.status !== 'planned'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await h.settle();
    mails = (await sesInbox(h.urls.ses)).filter((m) =>
      m.destination.to.some((to) => to.endsWith(`@${clubId}.example`)),
    );
    expect(mails.length).toBeGreaterThan(5);
  });

  it('reaches the local SES with the name as RFC 2047 encoded words that decode to it', () => {
    for (const mail of mails) {
      const match = /^(.*) <([^>]+)>$/.exec(mail.from);
      expect(match, mail.from).not.toBeNull();
      expect(match?.[2]).toBe(demo.club.senderEmail);
      expect(mail.from).toMatch(/^[\x21-\x7e ]+$/);
      expect(decodePhrase(match?.[1] ?? '')).toBe(senderName);
    }
  });

  it('has no rewritten token link: every unsubscribe and preference link points at our base URL with a valid token', () => {
    for (const mail of mails) {
      const tokenLinks = linksIn(mail).filter((url) => /\/(u|p)\//.test(new URL(url).pathname));
      expect(tokenLinks.length, mail.messageId).toBeGreaterThanOrEqual(3);
      for (const url of tokenLinks) {
        expect(url.startsWith(`${h.urls.http}/u/`) || url.startsWith(`${h.urls.http}/p/`), url).toBe(true);
        const token = new URL(url).pathname.split('/')[2] ?? '';
        expect(verifyToken(h.tokenKeys, token, h.clock.now()).ok, url).toBe(true);
      }
      // Nothing else in the mail leads anywhere but the club's own pages and images.
      for (const url of linksIn(mail)) {
        const { origin } = new URL(url);
        expect([
          new URL(h.urls.http).origin,
          ...[demo.club.offersUrl, demo.club.brand.logoUrl].filter(Boolean).map((u) => new URL(u ?? '').origin),
        ]).toContain(origin);
      }
    }
  });
});
