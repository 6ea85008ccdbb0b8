import { CONSERVATIVE_BUDGET } from '../lambdas/core/budget.js';
import { DietTag } from '../lambdas/core/diet.js';
import { CONSERVATIVE_ENGAGEMENT } from '../lambdas/core/engagement.js';
import type { Club, Language, Member, Offer, Product } from '../lambdas/core/model.js';
import { buildProfile, type PurchaseLine, type PurchaseProfile } from '../lambdas/core/profile.js';
import { DEFAULT_DELIVERABILITY } from '../lambdas/core/send-protocol.js';
import { DAY_MS } from '../lambdas/core/units.js';
import { type DemoClub, random } from './demo-club.js';

/**
 * Books and stationery are not food: nothing to contain, free from every tag. Labelled that way on
 * purpose, because an unknown tag counts as a conflict and would hide every title from a member
 * with a declared diet.
 */
function product(productId: string, name: string, category: string): Product {
  return { productId, name, category, contains: [], freeFrom: [...DietTag.options] };
}

/** Invented titles per category, and the invented authors who write them (a few each, so series and favourite authors show). */
const SHELVES: ReadonlyArray<{ category: string; authors: readonly string[]; titles: readonly string[] }> = [
  {
    category: 'Krimi',
    authors: ['Karen Holm', 'Mikkel Sand', 'Lise Bjerre', 'Torben Krog'],
    titles: [
      'Stille vand',
      'Mørket over Vesterbro',
      'Den syvende nøgle',
      'Kulde i Nordhavn',
      'Tavse vidner',
      'Den blinde vinkel',
      'Sporløs',
      'Natfærgen',
      'Falsk alibi',
      'Isens hjerte',
      'Den røde lygte',
      'Sidste tog fra Nørreport',
      'Skærvejr',
      'Den tredje mand på kajen',
      'Flodmunding',
      'Når tågen letter',
    ],
  },
  {
    category: 'Skønlitteratur',
    authors: ['Signe Dahl', 'Jonas Ravn', 'Maja Lindholt', 'Henrik Mose', 'Ditte Vang'],
    titles: [
      'Huset ved fjorden',
      'Sommeren vi talte om',
      'Lyset i november',
      'Alt det vi ikke sagde',
      'Bølgernes bog',
      'Datteren fra Skagen',
      'Efter regnen',
      'Hvide nætter i Thy',
      'Kaffe hos Inger',
      'Det lange forår',
      'Byen under byen',
      'Brødrene Lund',
      'Glasfuglen',
      'Den gule cykel',
      'Mellem to have',
      'Hjemve',
      'Sidste sommer på Fanø',
      'Et år i Aarhus',
    ],
  },
  {
    category: 'Børnebøger',
    authors: ['Anne Kjær', 'Bo Frost', 'Tine Lykke'],
    titles: [
      'Lille Bjørn finder hjem',
      'Ida og dragen',
      'Hemmeligheden i skabet',
      'Trolden under broen',
      'Bogstavernes by',
      'Godnat, lille ugle',
      'Søs og skattekortet',
      'Rumraketten Rolf',
      'Den modige mus',
      'Kaninen der ville flyve',
      'Spøgelset på loftet',
      'Emil og den store snestorm',
      'Farfars traktor',
      'Havfruens sang',
      'Dinosaurernes dag',
      'Tæl til ti med Tobias',
    ],
  },
  {
    category: 'Ungdomsbøger',
    authors: ['Rasmus Eng', 'Line Hald'],
    titles: [
      'Når natten brænder',
      'Skyggeløberen',
      'Sytten',
      'Den glemte portal',
      'Alt for Asta',
      'Sidste runde',
      'Stjernetyven',
      'Ekkoet',
    ],
  },
  {
    category: 'Kogebøger',
    authors: ['Birgit Mølgaard', 'Anders Brix', 'Camilla Friis'],
    titles: [
      'Nordisk hverdagsmad',
      'Suppe hele året',
      'Grønt på bordet',
      'Bagebogen',
      'Smørrebrød fra bunden',
      'Hurtig aftensmad',
      'Fisk fra Nordsøen',
      'Ovnretter',
      'Surdej for begyndere',
      'Julens søde sager',
      'Vegetar på 30 minutter',
      'Grill og bål',
      'Salater med mod på mere',
      'Madpakker der glæder',
    ],
  },
  {
    category: 'Rejse',
    authors: ['Peter Nørgaard', 'Sofie Wind'],
    titles: [
      'Rejseguide Lissabon',
      'Rejseguide Rom',
      'Cykelture i Danmark',
      'Vandreture på Bornholm',
      'Rejseguide Island',
      'Roadtrip i Norge',
      'Rejseguide Berlin',
      'Grækenlands øer',
      'Skotland til fods',
      'Rejseguide Japan',
      'Færøerne rundt',
      'Storbyferie i Paris',
    ],
  },
  {
    category: 'Fagbøger',
    authors: ['Niels Bak', 'Hanne Skov', 'Ole Thygesen', 'Eva Marcussen'],
    titles: [
      'Danmarks historie kort fortalt',
      'Hjernen og søvnen',
      'Havets hemmeligheder',
      'Vikingernes verden',
      'Fuglene i haven',
      'Klimaet forklaret',
      'Stjernehimlen over Danmark',
      'Penge og privatøkonomi',
      'Filosofi for alle',
      'Sproget vi taler',
      'Svampe i skoven',
      'Kunstens historie',
      'Byens træer',
      'Kroppen indefra',
      'Matematikkens skønhed',
      'Hvorfor vi sover',
    ],
  },
  {
    category: 'Poesi',
    authors: ['Ida Rørbye', 'Kasper Sommer'],
    titles: [
      'Digte om havet',
      'Stilhedens ord',
      'Morgenlys',
      'Små ord til store dage',
      'Vinterdigte',
      'Byens puls',
      'Blæst',
      'Rundt om et æbletræ',
      'Kærlighedsdigte',
      'Haiku fra Vadehavet',
    ],
  },
  {
    category: 'Biografier',
    authors: ['Lars Winther', 'Mette Gram'],
    titles: [
      'Et liv på scenen',
      'Fra Aalborg til verden',
      'Skibsrederens datter',
      'Min far, kaptajnen',
      'Stemmen fra radioen',
      'Arkitekten',
      'Kvinden bag forhænget',
      'Et liv i køkkenet',
      'Målmanden',
      'Opfinderen fra Odense',
    ],
  },
];

/** The few things on the counter that are not books. */
const COUNTER: ReadonlyArray<{ category: string; names: readonly string[] }> = [
  {
    category: 'Papirvarer',
    names: ['Notesbog A5, linjeret', 'Bogmærke i messing', 'Fyldepen, mørkeblå', 'Kalender 2027'],
  },
  {
    category: 'Gaver og spil',
    names: ['Puslespil 1000 brikker, Nyhavn', 'Brætspillet Ordjagt', 'Mulepose med bogreol', 'Læselampe med klips'],
  },
];

type Persona = 'crime' | 'children' | 'cook' | 'traveller' | 'poetry' | 'literary' | 'facts';

/** What each kind of reader mostly buys; the rest of their receipts is browsing. */
const READS: Readonly<Record<Persona, readonly string[]>> = {
  crime: ['Krimi', 'Skønlitteratur'],
  children: ['Børnebøger', 'Ungdomsbøger', 'Gaver og spil'],
  cook: ['Kogebøger', 'Fagbøger'],
  traveller: ['Rejse', 'Biografier'],
  poetry: ['Poesi', 'Skønlitteratur', 'Papirvarer'],
  literary: ['Skønlitteratur', 'Biografier', 'Poesi'],
  facts: ['Fagbøger', 'Biografier', 'Rejse'],
};

/** Thirty readers: crime fans lead, as in most Danish bookshops. */
const PERSONA_CYCLE: readonly Persona[] = [
  'crime',
  'children',
  'cook',
  'traveller',
  'crime',
  'poetry',
  'children',
  'literary',
  'facts',
  'crime',
];
const MEMBERS = 30;

const FIRST_NAMES: Readonly<Record<Language, readonly string[]>> = {
  da: [
    'Mette',
    'Søren',
    'Line',
    'Rasmus',
    'Camilla',
    'Mikkel',
    'Louise',
    'Jesper',
    'Sofie',
    'Frederik',
    'Astrid',
    'Magnus',
    'Clara',
    'Emil',
    'Nanna',
  ],
  sv: ['Ingrid', 'Olle', 'Elin'],
  en: ['Oliver', 'Grace', 'Thomas'],
};
const LAST_NAMES = [
  'Jensen',
  'Nielsen',
  'Hansen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
];

/** Danish letters spelled out for the local part of an address. */
const slug = (text: string) => text.toLowerCase().replaceAll('æ', 'ae').replaceAll('ø', 'oe').replaceAll('å', 'aa');

/**
 * A Danish bookstore club whose brand evokes curiosity: about 130 titles and counter goods, an
 * offer on every third, and 30 readers with receipts over the last 120 days. Beside the grocery
 * demo it shows the same planner speaking in another brand's voice.
 */
export function demoBookstoreClub(now: Date, seed = 7, clubId = 'boghandlen'): DemoClub {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(rnd() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  const club: Club = {
    clubId,
    reputation: DEFAULT_DELIVERABILITY,
    name: 'Boghandlen Læseklub',
    language: 'da',
    senderName: 'Boghandlen',
    senderEmail: 'klub@boghandlen.example',
    postalAddress: 'Købmagergade 12, 1150 København K',
    brand: {
      primaryEmotion: 'curiosity',
      secondaryEmotions: ['care'],
      address: 'informal',
      colours: { primary: '#1f3a68', background: '#faf5e9', text: '#1b1b1b' },
    },
    // No quiet hours in the demo, so `npm start` mails at any hour; real clubs default to 21:00–08:00.
    // The first, conservative preset (≤ 1 per 3 days, no habit floor), so the demo mails every eligible member and a
    // second `npm start` shows the budget holding mail back. New clubs get the selective default (docs/benchmarks-fatigue.md).
    budget: { ...CONSERVATIVE_BUDGET, quietHours: { start: '00:00', end: '00:00' } },
    engagement: CONSERVATIVE_ENGAGEMENT,
    createdAt: now.toISOString(),
  };

  const products: Product[] = [];
  const nextId = () => `b${String(products.length + 1).padStart(3, '0')}`;
  for (const { category, authors, titles } of SHELVES) {
    for (const [i, title] of titles.entries()) {
      products.push(product(nextId(), `${title} (${authors[i % authors.length] ?? 'ukendt'})`, category));
    }
  }
  for (const { category, names } of COUNTER) for (const name of names) products.push(product(nextId(), name, category));

  const isBook = (p: Product) => !COUNTER.some((shelf) => shelf.category === p.category);
  const offers: Offer[] = products
    .filter((_, i) => i % 3 === 0)
    .map((p, i) => ({
      offerId: `t${String(i + 1).padStart(3, '0')}`,
      productId: p.productId,
      headline: isBook(p)
        ? pick(['20 % rabat', 'Medlemspris 149 kr', '3 for 2', 'Køb 2, få 1 gratis', '25 % rabat', 'Medlemspris 99 kr'])
        : pick(['20 % rabat', 'Medlemspris 49 kr', '2 for 1']),
      validUntil: new Date(now.getTime() + 7 * DAY_MS).toISOString().slice(0, 10),
    }));

  const catalog = new Map(products.map((p) => [p.productId, p]));
  const members: Member[] = [];
  const profiles = new Map<string, PurchaseProfile>();
  const purchases: PurchaseLine[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const persona = PERSONA_CYCLE[i % PERSONA_CYCLE.length] ?? 'crime';
    const memberId = `m${String(i + 1).padStart(3, '0')}`;
    // Mostly Danish readers; a few Swedes from across the Øresund and a few English speakers.
    const language: Language = i % 10 === 4 ? 'sv' : i % 10 === 8 ? 'en' : 'da';
    const names = FIRST_NAMES[language];
    const first = names[i % names.length] ?? 'Alex';
    const last = LAST_NAMES[(i * 3) % LAST_NAMES.length] ?? 'Jensen';
    const joinedAt = new Date(now.getTime() - (150 + i * 11) * DAY_MS).toISOString();
    members.push({
      clubId,
      memberId,
      email: slug(`${first}.${last}.${memberId}@${clubId}.example`),
      firstName: first,
      language,
      timeZone: language === 'sv' ? 'Europe/Stockholm' : 'Europe/Copenhagen',
      joinedAt,
      subscription: i === MEMBERS - 3 ? 'unsubscribed' : 'subscribed',
      deliverability: 'ok',
      consent: {
        marketing: i !== MEMBERS - 2,
        textVersion: 'laeseklub-vilkaar-2026-01',
        at: joinedAt,
        source: i % 2 === 0 ? 'butik' : 'signup-form',
        legalBasis: 'consent',
      },
      preferences: {
        frequency: i % 7 === 0 ? 'weekly' : 'club-default',
        topics: ['offers', 'news', 'events', 'surveys'],
        declaredRestrictions: [],
        rejectedInferences: [],
        nameDayMail: false,
      },
    });

    // A reader rarely buys the same book twice: mostly new titles from their favourite shelves,
    // sometimes something picked up while browsing; counter goods may be bought again.
    const shelves = READS[persona];
    const favourite = products.filter((p) => shelves.includes(p.category));
    const bought = new Set<string>();
    const choose = (): Product => {
      const from = rnd() < 0.75 ? favourite : products;
      for (let tries = 0; tries < 5; tries++) {
        const p = pick(from);
        if (!isBook(p) || !bought.has(p.productId)) return p;
      }
      return pick(from);
    };
    const lines: PurchaseLine[] = [];
    const receipts = 3 + Math.floor(rnd() * 6);
    for (let r = 0; r < receipts; r++) {
      const at = new Date(now.getTime() - Math.floor(rnd() * 120) * DAY_MS).toISOString();
      const receiptId = `${memberId}-r${r}`;
      const size = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < size; j++) {
        const chosen = choose();
        bought.add(chosen.productId);
        lines.push({ memberId, receiptId, at, productId: chosen.productId });
      }
    }
    profiles.set(memberId, buildProfile(lines, catalog, now));
    purchases.push(...lines);
  }

  return { club, products, offers, members, profiles, purchases };
}
