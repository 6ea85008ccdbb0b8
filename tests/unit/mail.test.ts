import { describe, expect, it } from 'vitest';
import { BUILT_IN_OCCASIONS } from '../../lambdas/core/built-in-occasions.js';
import { BUILT_IN_THEMES } from '../../lambdas/core/built-in-themes.js';
import { CHROME_COPY } from '../../lambdas/core/copy.js';
import { Restriction } from '../../lambdas/core/diet.js';
import { escapeHtml } from '../../lambdas/core/html.js';
import { type MailOffer, MailRenderError, type RenderInput, renderMail } from '../../lambdas/core/mail.js';
import { Language } from '../../lambdas/core/vocabulary.js';
import { aClub, aMember, anOffer, aProduct, CATALOG } from './fixtures.js';

const UNSUBSCRIBE_URL = 'https://club.example.se/u?token=k1.abc.def&club=club-1';
const PREFERENCES_URL = 'https://club.example.se/p?token=k1.ghi.jkl';

function mailInput(overrides: Partial<RenderInput> = {}): RenderInput {
  const offers: MailOffer[] = [
    { ...anOffer(CATALOG.spaghetti, { headline: '2 for 30 kr', validUntil: '2025-06-30' }), why: 'often-bought' },
    { ...anOffer(CATALOG.gfBread, { headline: '20 % off' }), why: 'category' },
  ];
  return {
    club: aClub(),
    member: aMember(),
    theme: 'community',
    offers,
    links: { unsubscribe: UNSUBSCRIBE_URL, preferences: PREFERENCES_URL },
    ...overrides,
  };
}

describe('renderMail: headers', () => {
  it('sends List-Unsubscribe with the unsubscribe URL in angle brackets', () => {
    const mail = renderMail(mailInput());
    expect(mail.headers.find((h) => h.name === 'List-Unsubscribe')?.value).toBe(`<${UNSUBSCRIBE_URL}>`);
  });

  it('sends exactly "List-Unsubscribe-Post: List-Unsubscribe=One-Click" for one-click unsubscribe', () => {
    const post = renderMail(mailInput()).headers.filter((h) => h.name === 'List-Unsubscribe-Post');
    expect(post).toEqual([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]);
  });

  it('refuses an unsubscribe URL that makes the header longer than 870 characters', () => {
    const base = 'https://club.example.se/u?token=';
    const tooLong = base + 'a'.repeat(869 - base.length); // 871 with the angle brackets
    expect(() => renderMail(mailInput({ links: { unsubscribe: tooLong, preferences: PREFERENCES_URL } }))).toThrow(
      MailRenderError,
    );
  });

  it('accepts an unsubscribe header of exactly 870 characters', () => {
    const base = 'https://club.example.se/u?token=';
    const url = base + 'a'.repeat(868 - base.length);
    const header = renderMail(mailInput({ links: { unsubscribe: url, preferences: PREFERENCES_URL } })).headers.find(
      (h) => h.name === 'List-Unsubscribe',
    );
    expect(header?.value.length).toBe(870);
  });

  it('refuses an unsubscribe URL with characters a header cannot carry', () => {
    for (const bad of [
      'https://club.example.se/avregistrera-dig/å',
      'https://club.example.se/u\r\nBcc: x@example.com',
    ]) {
      expect(() => renderMail(mailInput({ links: { unsubscribe: bad, preferences: PREFERENCES_URL } }))).toThrow(
        MailRenderError,
      );
    }
  });
});

describe('renderMail: body', () => {
  it('links to unsubscribe and to preferences, and shows the postal address, in HTML', () => {
    const { html } = renderMail(mailInput());
    expect(html).toContain(`href="${escapeHtml(UNSUBSCRIBE_URL)}"`);
    expect(html).toContain(`href="${escapeHtml(PREFERENCES_URL)}"`);
    expect(html).toContain('Storgatan 1, 111 22 Stockholm');
  });

  it('escapes the ampersand in link URLs inside HTML attributes', () => {
    expect(renderMail(mailInput()).html).toContain('token=k1.abc.def&amp;club=club-1');
  });

  it('includes every offer with its headline and reason in HTML', () => {
    const { html } = renderMail(mailInput());
    expect(html).toContain('Spaghetti');
    expect(html).toContain('2 for 30 kr');
    expect(html).toContain('You often buy Spaghetti');
    expect(html).toContain('Gluten-free bread');
    expect(html).toContain('You often shop bread');
    expect(html).toContain('2025-06-30');
  });

  it('puts the member’s first name in the subject and headline', () => {
    const mail = renderMail(mailInput({ member: aMember({ firstName: 'Karin' }) }));
    expect(mail.subject).toContain('Karin');
    expect(mail.html).toContain('Karin');
    expect(mail.text).toContain('Karin');
  });

  it('escapes a first name carrying a script tag', () => {
    const { html } = renderMail(mailInput({ member: aMember({ firstName: '<script>alert(1)</script>' }) }));
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes a product name carrying quotes and a tag', () => {
    const product = aProduct({ productId: 'evil', name: 'Cheese "<b>bold</b>', category: 'Dairy' });
    const { html } = renderMail(mailInput({ offers: [{ ...anOffer(product), why: 'bought-before' }] }));
    expect(html).not.toContain('"<b>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Cheese &#34;&lt;b&gt;bold&lt;/b&gt;');
  });

  it('escapes the offer headline, club name and postal address', () => {
    const club = aClub({ name: 'Bröd & <Smör>', postalAddress: 'Box 1 <img src=x onerror=alert(1)>' });
    const offers: MailOffer[] = [{ ...anOffer(CATALOG.milk, { headline: '<i>half price</i>' }), why: 'popular' }];
    const { html } = renderMail(mailInput({ club, offers }));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i>');
    expect(html).not.toContain('<Smör>');
    expect(html).toContain('Bröd &amp; &lt;Smör&gt;');
  });

  it('writes a plain-text part with the offers, the unsubscribe and preferences URLs and the address', () => {
    const { text } = renderMail(mailInput());
    expect(text).toContain('Spaghetti: 2 for 30 kr');
    expect(text).toContain('You often buy Spaghetti');
    expect(text).toContain('Gluten-free bread: 20 % off');
    expect(text).toContain(UNSUBSCRIBE_URL);
    expect(text).toContain(PREFERENCES_URL);
    expect(text).toContain('Storgatan 1, 111 22 Stockholm');
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('writes Swedish copy and Swedish reasons for a Swedish member', () => {
    const mail = renderMail(mailInput({ member: aMember({ language: 'sv' }) }));
    expect(mail.html).toContain('Du köper ofta Spaghetti');
    expect(mail.html).toContain('Avregistrera dig');
    expect(mail.text).toContain('Du köper ofta Spaghetti');
    expect(mail.text).not.toContain('You often buy');
    expect(mail.html).toContain('lang="sv"');
  });

  it('writes Danish reasons for a Danish member', () => {
    const mail = renderMail(mailInput({ member: aMember({ language: 'da' }) }));
    expect(mail.text).toContain('Du køber tit Spaghetti');
    expect(mail.text).toContain('Afmeld');
  });

  it('uses the copy of the campaign theme', () => {
    const community = renderMail(mailInput({ theme: 'community' }));
    const celebration = renderMail(mailInput({ theme: 'celebration' }));
    expect(celebration.subject).not.toBe(community.subject);
    const subjects = (emotion: string) =>
      (BUILT_IN_THEMES.find((t) => t.id === emotion)?.copy.en.informal.subjects ?? []).map((s) =>
        s.replace('{{ first_name }}', 'Anna'),
      );
    expect(subjects('celebration')).toContain(celebration.subject);
    expect(subjects('community')).toContain(community.subject);
  });

  it('keeps a member on the same subject variant on every retry, and spreads members over the variants', () => {
    const once = renderMail(mailInput({ variantKey: 'send-1' }));
    expect(renderMail(mailInput({ variantKey: 'send-1' })).subject).toBe(once.subject);
    const seen = new Set(
      Array.from({ length: 40 }, (_, i) => renderMail(mailInput({ variantKey: `send-${i}` })).subject),
    );
    expect(seen.size).toBeGreaterThan(1);
  });

  it('uses the occasion’s copy and the marketer’s fun fact, in the member’s language', () => {
    const mail = renderMail(
      mailInput({
        member: aMember({ language: 'sv', firstName: 'Eva' }),
        occasion: { id: 'valentines', funFact: 'Det säljs flest rosor i februari.' },
      }),
    );
    expect(mail.text).toContain('Det säljs flest rosor i februari.');
    const block = BUILT_IN_OCCASIONS.valentines.sv?.informal;
    expect(block?.subjects.map((s) => s.replace('{{ first_name }}', 'Eva'))).toContain(mail.subject);
  });

  it('writes to a member in the club’s language when the club does not mail in theirs', () => {
    const danishOnly = aClub({ language: 'da', languages: ['da'] });
    expect(renderMail(mailInput({ club: danishOnly, member: aMember({ language: 'en' }) })).text).toContain('Afmeld');
    expect(
      renderMail(mailInput({ club: aClub({ language: 'da' }), member: aMember({ language: 'en' }) })).text,
    ).toContain('Unsubscribe');
  });

  it('fails closed on a template error: no mail, the part and line named', () => {
    expect(() => renderMail(mailInput({ template: { html: '<p>ok</p>\n<p>{{ member.firstname }}</p>' } }))).toThrow(
      'html line 2: undefined variable: member.firstname',
    );
  });

  it('adds the call to action only when the club has an offers page, in the theme’s style', () => {
    expect(renderMail(mailInput()).html).not.toContain('https://shop.example/offers');
    const withCta = renderMail(mailInput({ club: aClub({ offersUrl: 'https://shop.example/offers' }) }));
    expect(withCta.html).toContain('href="https://shop.example/offers"');
    expect(withCta.text).toContain('https://shop.example/offers');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes an ampersand only once', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('diet choice reasons', () => {
  it('names every restriction in every language, and reads as the category reason without one', () => {
    for (const language of Language.options) {
      const why = CHROME_COPY[language].why;
      const sentences = Restriction.options.map(
        (diet) => why({ product: 'X', category: 'Pasta', diet })['diet-choice'],
      );
      expect(new Set(sentences).size, language).toBe(Restriction.options.length);
      expect(why({ product: 'X', category: 'Pasta' })['diet-choice']).toBe(
        why({ product: 'X', category: 'Pasta' }).category,
      );
    }
    expect(CHROME_COPY.en.why({ product: 'X', category: 'Beer', diet: 'alcohol-free' })['diet-choice']).toBe(
      'An alcohol-free choice in a category you buy',
    );
  });
});
