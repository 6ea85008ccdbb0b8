import { z } from 'zod';
import { type BrandProfile, Emotion, Id, type Language } from './model.js';

/**
 * The theme library: mail copy per emotion (and per occasion) in Swedish, Danish and English,
 * written separately for each language rather than translated. Themes are data: the built-ins
 * below, and marketers' own themes that arrive through the API as `ThemeInput`.
 *
 * Address ("tilltal"): `informal` is the default and the only variant every theme must have.
 * `formal` means more reserved wording (no exclamation marks, no slang, a conventional sign-off),
 * not a change of pronoun: Swedish marketing says "du" even when formal ("Ni" reads as stiff or
 * dated), modern Danish retail says "du" too ("De" reads as old-fashioned), and English has no
 * T–V distinction at all. A club that really wants "De" can add its own theme.
 *
 * Length limits count characters as the member sees them (code points, placeholders filled in,
 * with a 12-character first name). They follow commonly cited inbox limits:
 * - subject ≤ 60: desktop Gmail and Outlook show roughly 60–70 characters before cutting, and
 *   phones fewer, so the point should come early.
 * - preheader ≤ 100: inboxes show roughly 35–140 characters of it depending on the client and
 *   the subject's length; beyond 100 almost none does.
 */

/** Every placeholder copy may use, in Liquid syntax: `{{ first_name }}`. */
export const Placeholder = z.enum(['first_name', 'years_as_member', 'fun_fact']);
export type Placeholder = z.infer<typeof Placeholder>;

/** Theme copy knows only the member's name. */
const THEME_PLACEHOLDERS: readonly Placeholder[] = ['first_name'];
/** Occasion copy also knows how long the member has been with the club. */
const OCCASION_PLACEHOLDERS: readonly Placeholder[] = ['first_name', 'years_as_member'];
/**
 * The fun fact is optional (the marketer may supply none), so it may appear only in the
 * `funFactIntro` line, which is left out when there is no fact.
 */
const FUN_FACT_PLACEHOLDERS: readonly Placeholder[] = ['first_name', 'fun_fact'];

export const SUBJECT_MAX = 60;
export const PREHEADER_MAX = 100;

/**
 * Worst-case stand-ins for measuring length. The fun fact counts as empty here: its own length is
 * limited where the marketer enters it (occasions.ts, FunFact).
 */
const LENGTH_PROBE: Readonly<Record<Placeholder, string>> = {
  first_name: 'X'.repeat(12),
  years_as_member: '99',
  fun_fact: '',
};

/** `{{ name }}`; Liquid's whitespace control (`{{- x -}}`) and filters are deliberately not supported. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isPlaceholder = (name: string): name is Placeholder => Placeholder.safeParse(name).success;
const show = (names: readonly string[]) => names.map((n) => `{{ ${n} }}`).join(', ');
const normalise = (name: string) => name.toLowerCase().replaceAll(/[^a-z0-9]/g, '');

/** What is wrong with the placeholders in `text`, as messages naming each offending variable. */
export function placeholderProblems(text: string, allowed: readonly Placeholder[]): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1] ?? '';
    if (!BARE_NAME.test(inner)) {
      problems.push(`unsupported placeholder {{ ${inner} }}: write a bare variable, one of ${show(allowed)}`);
    } else if (!isPlaceholder(inner)) {
      const guess = Placeholder.options.find((known) => normalise(known) === normalise(inner));
      const hint = guess === undefined ? '' : `; did you mean {{ ${guess} }}?`;
      problems.push(`unknown placeholder {{ ${inner} }}${hint} Known here: ${show(allowed)}`);
    } else if (!allowed.includes(inner)) {
      const where = inner === 'fun_fact' ? ' (only in funFactIntro, which is left out when there is no fact)' : '';
      problems.push(`placeholder {{ ${inner} }} is not available here${where}; available: ${show(allowed)}`);
    }
  }
  const rest = text.replaceAll(PLACEHOLDER, '');
  if (/[{}]/.test(rest) || rest.includes('{%')) {
    // Catches the old "{name}" style and half-typed placeholders, which would otherwise reach members verbatim.
    problems.push(`stray "{" or "}": placeholders are written like {{ first_name }}`);
  }
  return problems;
}

/** A value was missing when filling in copy: a bug in the caller, since copy is validated. */
export class PlaceholderValueError extends Error {
  constructor(readonly placeholder: string) {
    super(`No value for placeholder {{ ${placeholder} }}`);
    this.name = 'PlaceholderValueError';
  }
}

/** Fill in `{{ name }}` placeholders; throws PlaceholderValueError when one has no value. */
export function fillPlaceholders(text: string, values: Readonly<Partial<Record<Placeholder, string>>>): string {
  return text.replaceAll(PLACEHOLDER, (_whole, inner: string) => {
    const value = isPlaceholder(inner) ? values[inner] : undefined;
    if (value === undefined) throw new PlaceholderValueError(inner);
    return value;
  });
}

/** Length as the member sees it: code points, with worst-case values for known placeholders. */
function visibleLength(text: string): number {
  const filled = text.replaceAll(PLACEHOLDER, (whole, inner: string) =>
    isPlaceholder(inner) ? LENGTH_PROBE[inner] : whole,
  );
  return [...filled].length;
}

function copyText(allowed: readonly Placeholder[], maxChars: number) {
  return z
    .string()
    .trim()
    .min(1)
    .superRefine((text, ctx) => {
      for (const message of placeholderProblems(text, allowed)) ctx.addIssue({ code: 'custom', message });
      const length = visibleLength(text);
      if (length > maxChars) {
        ctx.addIssue({
          code: 'custom',
          message: `is ${length} characters with a 12-character first name; keep it to ${maxChars}`,
        });
      }
    });
}

const variants = (text: z.ZodType<string>) =>
  z
    .array(text)
    .min(1)
    .max(5)
    .refine((list) => new Set(list).size === list.length, 'variants must differ from each other');

export const CtaStyle = z.enum(['solid', 'outline', 'text']);
export type CtaStyle = z.infer<typeof CtaStyle>;

function copyBlockShape(allowed: readonly Placeholder[]) {
  return {
    /** A/B variants; each ≤ 60 characters with a 12-character name. */
    subjects: variants(copyText(allowed, SUBJECT_MAX)),
    /** The inbox preview line; each ≤ 100 characters with a 12-character name. */
    preheaders: variants(copyText(allowed, PREHEADER_MAX)),
    headline: copyText(allowed, 100),
    intro: copyText(allowed, 400),
    /** A short sign-off after the offers. */
    closing: copyText(allowed, 150),
    cta: z.strictObject({ label: copyText(allowed, 40), style: CtaStyle }),
  };
}

/** One language's copy for a theme. Strict, so a misspelt field is an error rather than silently dropped. */
export const ThemeCopyBlock = z.strictObject(copyBlockShape(THEME_PLACEHOLDERS));
export type ThemeCopyBlock = z.infer<typeof ThemeCopyBlock>;

/** One language's copy for an occasion: may use `{{ years_as_member }}`, and a line for the fun fact. */
export const OccasionCopyBlock = z.strictObject({
  ...copyBlockShape(OCCASION_PLACEHOLDERS),
  /** "Did you know? {{ fun_fact }}": shown only when the marketer supplies a fact. */
  funFactIntro: copyText(FUN_FACT_PLACEHOLDERS, 80)
    .refine((text) => text.includes('{{ fun_fact }}'), 'must contain {{ fun_fact }}')
    .optional(),
});
export type OccasionCopyBlock = z.infer<typeof OccasionCopyBlock>;

const addressVariants = <T extends z.ZodType>(block: T) =>
  z.strictObject({ informal: block, formal: block.optional() });

/** How the brand addresses members (BrandProfile.address). */
export type Address = BrandProfile['address'];

export const Theme = z.strictObject({
  id: Id,
  emotion: Emotion,
  copy: z.strictObject({
    sv: addressVariants(ThemeCopyBlock),
    da: addressVariants(ThemeCopyBlock),
    en: addressVariants(ThemeCopyBlock),
  }),
});
export type Theme = z.infer<typeof Theme>;

/** Occasion ids; the same as occasions.ts, kept local so copy and calendar stay independent. */
export const OccasionId = z.enum([
  'birthday',
  'membership-anniversary',
  'name-day',
  'valentines',
  'mothers-day',
  'fathers-day',
  'midsummer',
  'christmas',
]);
export type OccasionId = z.infer<typeof OccasionId>;

/** An occasion's copy. Swedish is always there; which other languages are required depends on the occasion. */
export const OccasionCopy = z.strictObject({
  sv: addressVariants(OccasionCopyBlock),
  da: addressVariants(OccasionCopyBlock).optional(),
  en: addressVariants(OccasionCopyBlock).optional(),
});
export type OccasionCopy = z.infer<typeof OccasionCopy>;

const ALL_LANGUAGES: readonly Language[] = ['sv', 'da', 'en'];

/**
 * Languages each occasion must have. Name days are a Swedish tradition: Denmark's almanac has
 * names too, but nobody celebrates them, so a Danish mail would be odd. English is optional for the
 * same reason, though the built-ins carry it for English-reading members of Swedish clubs.
 */
export const REQUIRED_OCCASION_LANGUAGES: Readonly<Record<OccasionId, readonly Language[]>> = {
  birthday: ALL_LANGUAGES,
  'membership-anniversary': ALL_LANGUAGES,
  'name-day': ['sv'],
  valentines: ALL_LANGUAGES,
  'mothers-day': ALL_LANGUAGES,
  'fathers-day': ALL_LANGUAGES,
  midsummer: ALL_LANGUAGES,
  christmas: ALL_LANGUAGES,
};

/** Copy for every occasion, each with the languages it requires. */
export const OccasionLibrary = z.record(OccasionId, OccasionCopy).superRefine((library, ctx) => {
  for (const occasion of OccasionId.options) {
    for (const language of REQUIRED_OCCASION_LANGUAGES[occasion]) {
      if (library[occasion][language] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [occasion, language],
          message: `${occasion} needs copy in "${language}"`,
        });
      }
    }
  }
});
export type OccasionLibrary = z.infer<typeof OccasionLibrary>;

/** The theme id is not in the library: a bug or a stale campaign, never something to send around. */
export class UnknownThemeError extends Error {
  constructor(
    readonly themeId: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown theme "${themeId}"; the library has: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownThemeError';
  }
}

/** A theme's copy in one language and address; formal falls back to informal. */
export function themeCopy(
  library: readonly Theme[],
  themeId: string,
  language: Language,
  address: Address,
): ThemeCopyBlock {
  const theme = library.find((t) => t.id === themeId);
  if (theme === undefined)
    throw new UnknownThemeError(
      themeId,
      library.map((t) => t.id),
    );
  const copy = theme.copy[language];
  return address === 'formal' ? (copy.formal ?? copy.informal) : copy.informal;
}

/**
 * An occasion's copy in one language and address (formal falls back to informal). `undefined` when
 * the occasion has no copy in that language, e.g. a name day in Danish: then there is no such mail.
 */
export function occasionCopy(
  library: OccasionLibrary,
  occasion: OccasionId,
  language: Language,
  address: Address,
): OccasionCopyBlock | undefined {
  const copy = library[occasion][language];
  if (copy === undefined) return undefined;
  return address === 'formal' ? (copy.formal ?? copy.informal) : copy.informal;
}

// ---------------------------------------------------------------------------------------------
// Built-in themes. Each language is written on its own terms; none is a translation of another.
// ---------------------------------------------------------------------------------------------

export const BUILT_IN_THEMES: readonly Theme[] = [
  {
    // A grocery chain: the neighbourhood store, everyday food, seeing each other at the till.
    id: 'community',
    emotion: 'community',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, veckans favoriter från din butik',
            'Det här lägger grannarna i korgen just nu',
            'Nybakat, nyskördat och medlemspris, {{ first_name }}',
          ],
          preheaders: [
            'Medlemspriser på det du brukar handla – vi ses vid kassan!',
            'Handplockat åt dig, utifrån det du brukar ha i kassen.',
          ],
          headline: 'Hej {{ first_name }}! Här är veckans godbitar',
          intro:
            'Vi har plockat ihop några medlemspriser på sådant du ofta har i korgen. Allt finns i din butik, så titta förbi när det passar dig.',
          closing: 'Vi ses i butiken! Hälsningar från hela gänget',
          cta: { label: 'Se veckans medlemspriser', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, ugens gode køb i din butik',
            'Det lægger naboerne i indkøbskurven lige nu',
            'Friskt fra disken til medlemspris, {{ first_name }}',
          ],
          preheaders: [
            'Medlemspriser på det, du plejer at købe – vi ses ved kassen!',
            'Vi har kigget i din kurv og fundet et par gode tilbud.',
          ],
          headline: 'Hej {{ first_name }}! Her er ugens gode sager',
          intro:
            'Vi har samlet nogle medlemspriser på de ting, du tit har med hjem. Det hele står klar i din lokale butik, så kig ind, når det passer dig.',
          closing: 'Vi ses i butikken! De bedste hilsner fra hele holdet',
          cta: { label: 'Find ugens gode tilbud', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, your local favourites this week',
            'What the neighbours are putting in their baskets',
            'Fresh from your local store, {{ first_name }}',
          ],
          preheaders: [
            'Member prices on the things you buy most. See you at the till!',
            'Hand-picked from your usual shop.',
          ],
          headline: 'Hi {{ first_name }}, here’s what’s good this week',
          intro:
            'We’ve rounded up member prices on the things you often take home. It’s all waiting at your local store, so pop in whenever suits you.',
          closing: 'See you in store soon! From all of us at your local shop',
          cta: { label: 'See this week’s deals', style: 'solid' },
        },
      },
    },
  },
  {
    // A luxury department store: being chosen, seeing it first, understated.
    id: 'selected',
    emotion: 'selected',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, utvalt med dig i tankarna',
            'Endast för medlemmar: en förhandstitt för dig',
            'Något alldeles särskilt väntar på dig, {{ first_name }}',
          ],
          preheaders: [
            'Våra medlemmar får se det först – och du är en av dem.',
            'Ett litet urval, noga valt efter din smak.',
          ],
          headline: '{{ first_name }}, det här har vi sparat åt dig',
          intro:
            'Innan något av det här når butiken vill vi visa dig ett litet urval som vi tror passar just din stil. Förmånerna gäller bara för medlemmar.',
          closing: 'Varmt välkommen in till oss, {{ first_name }}.',
          cta: { label: 'Se ditt urval', style: 'outline' },
        },
        formal: {
          subjects: ['Ett särskilt urval för dig, {{ first_name }}', 'En förhandsvisning för våra medlemmar'],
          preheaders: ['Ett begränsat urval som medlemmar får ta del av före alla andra.'],
          headline: 'Säsongens urval – först för våra medlemmar',
          intro:
            'Som medlem erbjuds du att ta del av säsongens urval innan det visas för andra. Förmånerna nedan gäller under en begränsad tid.',
          closing: 'Med vänliga hälsningar',
          cta: { label: 'Ta del av urvalet', style: 'outline' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, du får første parket',
            'Kun for medlemmer: kig med, før alle andre gør',
            'Det her har vi gemt til dig, {{ first_name }}',
          ],
          preheaders: [
            'Et lille udvalg, valgt med omhu – og du ser det først.',
            'Håndplukket til dig, der sætter pris på det gode.',
          ],
          headline: 'Vi har gemt noget særligt til dig, {{ first_name }}',
          intro:
            'Før sæsonens nyheder kommer ud i butikken, vil vi gerne vise dig et lille udvalg, som vi tror, du falder for. Fordelene gælder kun for medlemmer.',
          closing: 'Du er altid velkommen hos os, {{ first_name }}.',
          cta: { label: 'Oplev udvalget', style: 'outline' },
        },
        formal: {
          subjects: ['Et særligt udvalg til dig, {{ first_name }}', 'Forhåndsvisning for vores medlemmer'],
          preheaders: ['Et begrænset udvalg, som medlemmer får adgang til før andre.'],
          headline: 'Sæsonens udvalg – eksklusivt for medlemmer',
          intro:
            'Som medlem får du adgang til sæsonens udvalg, før det bliver vist for andre. Fordelene nedenfor gælder i en begrænset periode.',
          closing: 'Med venlig hilsen',
          cta: { label: 'Se udvalget', style: 'outline' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, we saved something special for you',
            'Members first: your private preview',
            'Chosen with you in mind, {{ first_name }}',
          ],
          preheaders: [
            'Members see it before anyone else, and you’re on the list.',
            'A small edit, picked for your taste.',
          ],
          headline: 'First look, {{ first_name }}: we kept these for you',
          intro:
            'Before anything reaches the shop floor, we’d like you to see a small edit we think suits your style. These privileges are for members only.',
          closing: 'We look forward to welcoming you, {{ first_name }}.',
          cta: { label: 'View your edit', style: 'outline' },
        },
        formal: {
          subjects: ['A private preview for our members', 'Your invitation to the season’s edit, {{ first_name }}'],
          preheaders: ['A limited selection, available to members ahead of general release.'],
          headline: 'An invitation to preview the season',
          intro:
            'As a member, you are invited to view this season’s selection before it is shown to others. The privileges below are available for a limited time.',
          closing: 'Kind regards',
          cta: { label: 'View the selection', style: 'outline' },
        },
      },
    },
  },
  {
    // A sports chain: get up, get out, move.
    id: 'vitality',
    emotion: 'vitality',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, redo för nästa pass?',
            'Snöra på dig, {{ first_name }} – nu kör vi!',
            'Ny säsong, nya mål. Vad siktar du på?',
          ],
          preheaders: [
            'Medlemspriser på det som får dig att vilja röra på dig.',
            'Löparskor, träningskläder och annat som håller dig igång.',
          ],
          headline: 'Kom igen, {{ first_name }} – nu kör vi!',
          intro:
            'Oavsett om du springer, cyklar eller tar en promenad i skogen har vi plockat fram erbjudanden som gör det lite lättare att komma ut.',
          closing: 'Ha ett grymt pass! Vi hejar på dig.',
          cta: { label: 'Hitta din utrustning', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, skal vi ud og røre os?',
            'Kom godt fra start, {{ first_name }}!',
            'Løb, cykel eller svøm – vi har det, du mangler',
          ],
          preheaders: [
            'Medlemspriser på alt det, der giver lyst til at bevæge sig.',
            'Nye løbesko, træningstøj og udstyr til den næste tur.',
          ],
          headline: 'Op af sofaen, {{ first_name }}!',
          intro:
            'Uanset om du løber, cykler eller bare skal en tur i skoven, har vi fundet tilbud, der gør det lidt nemmere at komme afsted.',
          closing: 'God tur derude – vi hepper på dig!',
          cta: { label: 'Find dit udstyr', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, ready for your next workout?',
            'Lace up, {{ first_name }} – let’s go!',
            'New season, new goals. What’s yours?',
          ],
          preheaders: [
            'Member prices on the kit that gets you moving.',
            'Running shoes, training wear and gear for your next outing.',
          ],
          headline: 'Time to move, {{ first_name }}!',
          intro:
            'Whether you run, ride or just fancy a walk in the woods, we’ve found offers that make it a little easier to get out there.',
          closing: 'Have a great session – we’re cheering you on!',
          cta: { label: 'Gear up', style: 'solid' },
        },
      },
    },
  },
  {
    // A bookstore: wake curiosity, the wish to dream away.
    id: 'curiosity',
    emotion: 'curiosity',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, vart tar nästa bok dig?',
            'Nya världar väntar på dig, {{ first_name }}',
            'Vad ska du läsa härnäst?',
          ],
          preheaders: [
            'Vi har letat fram titlar som vi tror väcker din nyfikenhet.',
            'Äventyr, gåtor och andra världar – utvalt efter din smak.',
          ],
          headline: 'Dröm dig bort, {{ first_name }}',
          intro:
            'Ibland räcker det med en första mening för att hamna någon helt annanstans. Här är några titlar vi tror att du kommer att tycka om.',
          closing: 'Trevlig läsning! Vi har alltid en stol ledig i butiken.',
          cta: { label: 'Hitta din nästa bok', style: 'outline' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, hvad skal du læse nu?',
            'Forsvind ind i en god bog, {{ first_name }}',
            'Nye verdener ligger og venter på dig',
          ],
          preheaders: [
            'Vi har fundet titler, som vi tror, du bliver nysgerrig på.',
            'Eventyr, mysterier og fjerne steder – udvalgt efter din smag.',
          ],
          headline: 'Drøm dig væk, {{ first_name }}',
          intro:
            'Nogle gange skal der bare én god første sætning til, før man er et helt andet sted. Her er et par titler, vi tror, du vil holde af.',
          closing: 'God læselyst! Der er altid en ledig stol i butikken.',
          cta: { label: 'Find din næste bog', style: 'outline' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, what will you read next?',
            'Books to get lost in, {{ first_name }}',
            'Somewhere new is waiting between the covers',
          ],
          preheaders: [
            'We’ve found a few titles we think will spark your curiosity.',
            'Adventures, mysteries and faraway places, picked for you.',
          ],
          headline: 'Dream a little, {{ first_name }}',
          intro:
            'Sometimes one good opening line is all it takes to end up somewhere else entirely. Here are a few titles we think you’ll love.',
          closing: 'Happy reading! There’s always a free armchair in the shop.',
          cta: { label: 'Find your next read', style: 'outline' },
        },
      },
    },
  },
  {
    // Care: looking after yourself and the people close to you, everyday wellbeing.
    id: 'care',
    emotion: 'care',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, unna dig en stund för dig själv',
            'Lite extra omtanke i en full vecka',
            'Ta hand om dig, {{ first_name }}',
          ],
          preheaders: ['Erbjudanden som gör vardagen lite mjukare.', 'För dig och dem du bryr dig om.'],
          headline: 'Ta det lugnt, {{ first_name }} – du förtjänar det',
          intro:
            'Vardagen kan vara full nog ändå. Därför har vi valt ut några erbjudanden som gör det lättare att ta hand om dig själv och dina nära.',
          closing: 'Ta hand om dig! Varma hälsningar från oss',
          cta: { label: 'Se erbjudandena', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, giv dig selv et pusterum',
            'Lidt ekstra omsorg i en travl hverdag',
            'Pas godt på dig selv, {{ first_name }}',
          ],
          preheaders: ['Tilbud, der gør hverdagen lidt blidere.', 'Til dig og dem, du holder af.'],
          headline: 'Træk vejret dybt, {{ first_name }}',
          intro:
            'Hverdagen har travlt nok i forvejen. Derfor har vi valgt nogle tilbud, der gør det lettere at passe på dig selv og dem, du holder af.',
          closing: 'Pas godt på dig selv! Varme hilsner fra os alle',
          cta: { label: 'Se tilbuddene', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, take a moment for yourself',
            'A little extra care for a busy week',
            'Look after yourself, {{ first_name }}',
          ],
          preheaders: ['Offers to make everyday life a little gentler.', 'For you and the people you care about.'],
          headline: 'Slow down, {{ first_name }} – you’ve earned it',
          intro:
            'Everyday life is busy enough. So we’ve chosen a few offers that make it easier to look after yourself and the people closest to you.',
          closing: 'Take care, and warm wishes from all of us',
          cta: { label: 'See the offers', style: 'solid' },
        },
      },
    },
  },
  {
    // Celebration: parties big and small.
    id: 'celebration',
    emotion: 'celebration',
    copy: {
      sv: {
        informal: {
          subjects: [
            '{{ first_name }}, nu blir det fest!',
            'Skål för helgen – allt för en lyckad fest',
            'Dags att fira, {{ first_name }}!',
          ],
          preheaders: [
            'Bubbel, tårta och allt annat som gör kvällen minnesvärd.',
            'Medlemspriser för dig som gillar att fira.',
          ],
          headline: 'Nu firar vi, {{ first_name }}!',
          intro:
            'Stort eller smått, det finns alltid något att fira. Vi har plockat fram erbjudanden som gör festen lite enklare och lite roligare.',
          closing: 'Ha en riktigt härlig fest! Skål från oss',
          cta: { label: 'Fixa festen', style: 'solid' },
        },
      },
      da: {
        informal: {
          subjects: [
            '{{ first_name }}, nu skal der festes!',
            'Skål! Alt til en festlig weekend',
            'Der er noget at fejre, {{ first_name }}',
          ],
          preheaders: [
            'Bobler, lagkage og alt det andet, der gør aftenen til noget særligt.',
            'Medlemspriser til dig, der elsker en god fest.',
          ],
          headline: 'Så er der fest, {{ first_name }}!',
          intro:
            'Stort eller småt – der er altid en grund til at fejre noget. Vi har fundet tilbud, der gør festen lidt nemmere og meget sjovere.',
          closing: 'God fest! Vi løfter glasset for dig',
          cta: { label: 'Gør klar til fest', style: 'solid' },
        },
      },
      en: {
        informal: {
          subjects: [
            '{{ first_name }}, it’s party time!',
            'Raise a glass – everything for a great weekend',
            'Something to celebrate, {{ first_name }}?',
          ],
          preheaders: [
            'Fizz, cake and everything else that makes the night.',
            'Member prices for people who love a good party.',
          ],
          headline: 'Let’s celebrate, {{ first_name }}!',
          intro:
            'Big or small, there’s always something worth celebrating. We’ve picked offers that make the party a bit easier and a lot more fun.',
          closing: 'Have a wonderful time – cheers from all of us!',
          cta: { label: 'Plan the party', style: 'solid' },
        },
      },
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Built-in occasions: warm and brief. Dates and eligibility live in occasions.ts.
// ---------------------------------------------------------------------------------------------

export const BUILT_IN_OCCASIONS: OccasionLibrary = {
  birthday: {
    sv: {
      informal: {
        subjects: ['Grattis på födelsedagen, {{ first_name }}!', 'En liten present till dig, {{ first_name }}'],
        preheaders: ['Vi firar dig med en födelsedagsförmån – bara för dig.'],
        headline: 'Hurra för dig, {{ first_name }}!',
        intro: 'Det är din dag, och den vill vi fira. Här är en liten födelsedagspresent från oss.',
        closing: 'Ha en underbar dag! Hälsningar från oss alla',
        cta: { label: 'Öppna din present', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Tillykke med fødselsdagen, {{ first_name }}!', 'Vi har en lille gave til dig, {{ first_name }}'],
        preheaders: ['Vi fejrer dig med en fødselsdagsfordel, kun til dig.'],
        headline: 'Hurra, {{ first_name }} – det er din dag!',
        intro: 'I dag handler det om dig, og det skal fejres. Her er en lille fødselsdagsgave fra os.',
        closing: 'Hav en skøn dag! Mange hilsner fra os alle',
        cta: { label: 'Pak din gave ud', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy birthday, {{ first_name }}!', 'A little something for your big day'],
        preheaders: ['We’re celebrating you with a birthday treat, just for you.'],
        headline: 'It’s your day, {{ first_name }}!',
        intro: 'Today is all about you, and we’d love to join in. Here’s a small birthday present from us.',
        closing: 'Have a wonderful day! Best wishes from all of us',
        cta: { label: 'Unwrap your gift', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'membership-anniversary': {
    sv: {
      informal: {
        subjects: [
          'Tack för {{ years_as_member }} år som medlem, {{ first_name }}!',
          'I dag firar vi dig, {{ first_name }}',
        ],
        preheaders: ['Tack för att du är med oss. Här är något extra som tack.'],
        headline: '{{ years_as_member }} år tillsammans – tack, {{ first_name }}!',
        intro:
          'I dag är det {{ years_as_member }} år sedan du blev medlem. Det vill vi fira, och tacka dig för att du har varit med oss hela vägen.',
        closing: 'Vi ser fram emot många fler år tillsammans.',
        cta: { label: 'Hämta din present', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: [
          '{{ years_as_member }} år som medlem – tak, {{ first_name }}!',
          'Vi fejrer dig i dag, {{ first_name }}',
        ],
        preheaders: ['Tak, fordi du handler hos os. Her er en lille gave som tak.'],
        headline: 'Tillykke med de {{ years_as_member }} år, {{ first_name }}!',
        intro:
          'I dag er det {{ years_as_member }} år siden, du blev medlem. Det vil vi gerne fejre – og sige tak, fordi du har været med hele vejen.',
        closing: 'Vi glæder os til mange flere år sammen.',
        cta: { label: 'Hent din gave', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        // "{{ years_as_member }}-year" reads right for one year too, unlike "1 years".
        subjects: ['Happy membership anniversary, {{ first_name }}!', 'Thank you for being with us, {{ first_name }}'],
        preheaders: ['Your {{ years_as_member }}-year anniversary calls for a little thank-you gift.'],
        headline: 'Happy anniversary, {{ first_name }}!',
        intro:
          'It’s your {{ years_as_member }}-year anniversary as a member today. We’d love to celebrate it with you, and to say thank you for sticking with us.',
        closing: 'Here’s to many more years together!',
        cta: { label: 'Claim your gift', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  // No Danish copy: see REQUIRED_OCCASION_LANGUAGES.
  'name-day': {
    sv: {
      informal: {
        subjects: ['Grattis på namnsdagen, {{ first_name }}!', 'I dag står ditt namn i almanackan, {{ first_name }}'],
        preheaders: ['Ett litet namnsdagsfirande från oss, för just dig.'],
        headline: 'Hurra, {{ first_name }} – i dag har du namnsdag!',
        intro:
          'Ditt namn står i almanackan i dag, och det tycker vi är värt att fira. Här är en liten namnsdagsgåva från oss.',
        closing: 'Ha en riktigt fin namnsdag!',
        cta: { label: 'Se din namnsdagsgåva', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy name day, {{ first_name }}!', 'Your name is in the Swedish calendar today'],
        preheaders: ['In Sweden, name days are worth celebrating – so here’s a little treat.'],
        headline: 'It’s your name day, {{ first_name }}!',
        intro:
          'In Sweden, every day of the calendar belongs to a few names, and today one of them is yours. Here’s a small name-day treat from us.',
        closing: 'Have a lovely name day!',
        cta: { label: 'See your treat', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  valentines: {
    sv: {
      informal: {
        subjects: [
          'Alla hjärtans dag närmar sig, {{ first_name }}',
          'Visa lite kärlek – till någon annan eller dig själv',
        ],
        preheaders: ['Blommor, choklad och små gester som säger mycket.'],
        headline: 'Lite extra kärlek, {{ first_name }}',
        intro:
          'Alla hjärtans dag är en bra ursäkt att visa någon att man bryr sig – kanske dig själv. Här är några idéer som gör dagen lite varmare.',
        closing: 'Glad alla hjärtans dag!',
        cta: { label: 'Hitta en kärleksfull gåva', style: 'solid' },
        funFactIntro: 'Lite kärlekskuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Valentinsdag står for døren, {{ first_name }}', 'Sig det med blomster – eller chokolade'],
        preheaders: ['Blomster, chokolade og små gestus, der siger mere end ord.'],
        headline: 'Lidt kærlighed til dig, {{ first_name }}',
        intro:
          'Valentinsdag er en god anledning til at vise, at man holder af nogen – også sig selv. Her er et par idéer, der kan gøre dagen lidt varmere.',
        closing: 'Rigtig god valentinsdag!',
        cta: { label: 'Find en gave med hjerte', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Valentine’s Day is coming, {{ first_name }}', 'Show some love – to someone special, or yourself'],
        preheaders: ['Flowers, chocolate and little gestures that say a lot.'],
        headline: 'A little love goes a long way, {{ first_name }}',
        intro:
          'Valentine’s Day is a lovely excuse to show someone you care, and that someone can be you. Here are a few ideas to make the day a little warmer.',
        closing: 'Happy Valentine’s Day!',
        cta: { label: 'Find a gift they’ll love', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'mothers-day': {
    sv: {
      informal: {
        subjects: ['Mors dag närmar sig, {{ first_name }}', 'Något fint till mamma?'],
        preheaders: ['Blommor, frukost på sängen eller något alldeles eget – vi har idéerna.'],
        headline: 'Fira mamma, {{ first_name }}',
        intro:
          'Mors dag är en fin chans att säga tack till någon som betyder mycket. Här är några idéer som gör dagen lite extra.',
        closing: 'Hoppas ni får en fin dag tillsammans!',
        cta: { label: 'Hitta en present till mamma', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Har du styr på mors dag, {{ first_name }}?', 'En lille hilsen til mor'],
        preheaders: ['Buketter, chokolade og små overraskelser, der får mor til at smile.'],
        headline: 'Giv mor en god dag, {{ first_name }}',
        intro:
          'Mors dag er en oplagt anledning til at sige tak til en, der betyder meget. Her er et par idéer, der gør dagen lidt ekstra festlig.',
        closing: 'Vi håber, I får en dejlig dag sammen!',
        cta: { label: 'Find en gave til mor', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Mother’s Day is nearly here, {{ first_name }}', 'Something lovely for Mum?'],
        preheaders: ['Flowers, breakfast in bed or something all her own – we’ve got ideas.'],
        headline: 'Make Mum’s day, {{ first_name }}',
        intro:
          'Mother’s Day is a lovely chance to thank someone who means a lot. Here are a few ideas to make the day extra special.',
        closing: 'We hope you have a lovely day together!',
        cta: { label: 'Find a gift for Mum', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  'fathers-day': {
    sv: {
      informal: {
        subjects: ['Fars dag närmar sig, {{ first_name }}', 'Något fint till pappa?'],
        preheaders: ['Från verktyg till vinylskivor – idéer för alla sorters pappor.'],
        headline: 'Hylla pappa, {{ first_name }}',
        intro:
          'På fars dag får pappa stå i centrum en stund. Här är några idéer på presenter som säger tack på riktigt.',
        closing: 'Hoppas ni får en riktigt fin dag!',
        cta: { label: 'Hitta en present till pappa', style: 'solid' },
        funFactIntro: 'Visste du? {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Har du fundet en gave til far, {{ first_name }}?', 'Fars dag: gør det til hans dag'],
        preheaders: ['Gode idéer til far – uanset om han griller, læser eller løber.'],
        headline: 'Fejr far, {{ first_name }}',
        intro: 'På fars dag er det far, der er i centrum. Her er nogle gaveidéer, der siger tak på den rigtige måde.',
        closing: 'Rigtig god fars dag!',
        cta: { label: 'Find en gave til far', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Father’s Day is coming up, {{ first_name }}', 'Something special for Dad?'],
        preheaders: ['From tools to records – ideas for every kind of dad.'],
        headline: 'Here’s to Dad, {{ first_name }}',
        intro: 'On Father’s Day, Dad gets the spotlight. Here are a few gift ideas that say thank you properly.',
        closing: 'Have a great Father’s Day!',
        cta: { label: 'Find a gift for Dad', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  // Sweden dances round the maypole on Midsummer Eve; Denmark lights bonfires on Sankthansaften.
  midsummer: {
    sv: {
      informal: {
        subjects: ['Glad midsommar, {{ first_name }}!', 'Sill, jordgubbar och ljusa nätter – nu är det midsommar'],
        preheaders: ['Allt till midsommarbordet, från färskpotatis till jordgubbstårta.'],
        headline: 'Dags för midsommar, {{ first_name }}!',
        intro:
          'Midsommarafton är årets ljusaste fest. Här är allt du behöver för dukningen, dansen kring stången och de långa kvällarna i det gröna.',
        closing: 'Ha en riktigt härlig midsommar!',
        cta: { label: 'Fixa midsommarbordet', style: 'solid' },
        funFactIntro: 'Midsommarkuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['God sankthans, {{ first_name }}!', 'Bål, grill og lyse nætter – det er sankthans'],
        preheaders: ['Alt til sankthansaften – fra pølser på grillen til kaffe på kanden.'],
        headline: 'Tænd op for sankthans, {{ first_name }}!',
        intro:
          'Sankthansaften er sommerens lyseste aften med bål, fællessang og lange lyse timer. Her er alt, hvad du skal bruge til festen.',
        closing: 'God sankthansaften!',
        cta: { label: 'Gør klar til sankthans', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Happy Midsummer, {{ first_name }}!', 'Long light evenings – Midsummer is here'],
        preheaders: ['Everything for the lightest night of the year, maypole or bonfire.'],
        headline: 'Midsummer is here, {{ first_name }}!',
        intro:
          'Whether you dance round the maypole on Midsummer Eve or gather by the Sankthans bonfire, here’s everything for the lightest night of the year.',
        closing: 'Enjoy the light summer night!',
        cta: { label: 'Get ready for Midsummer', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
  christmas: {
    sv: {
      informal: {
        subjects: ['God jul, {{ first_name }}!', 'Allt för en riktigt god jul'],
        preheaders: ['Skinka, pepparkakor och klappar – vi har det mesta till julafton.'],
        headline: 'God jul, {{ first_name }}!',
        intro:
          'Julen är här, med allt vad den innebär av mys, mat och klappar. Här är några erbjudanden som gör förberedelserna lite lättare.',
        closing: 'God jul och gott nytt år från oss alla!',
        cta: { label: 'Fixa julen', style: 'solid' },
        funFactIntro: 'Julkuriosa: {{ fun_fact }}',
      },
    },
    da: {
      informal: {
        subjects: ['Glædelig jul, {{ first_name }}!', 'Alt til en rigtig hyggelig jul'],
        preheaders: ['Flæskesteg, risalamande og gaver – vi har det meste til juleaften.'],
        headline: 'Glædelig jul, {{ first_name }}!',
        intro:
          'Julen er over os med hygge, god mad og gaver under træet. Her er nogle tilbud, der gør forberedelserne lidt lettere.',
        closing: 'Glædelig jul og godt nytår fra os alle!',
        cta: { label: 'Gør klar til jul', style: 'solid' },
        funFactIntro: 'Vidste du det? {{ fun_fact }}',
      },
    },
    en: {
      informal: {
        subjects: ['Merry Christmas, {{ first_name }}!', 'Everything for a cosy Christmas'],
        preheaders: ['Food, treats and gifts – everything for Christmas Eve and beyond.'],
        headline: 'Merry Christmas, {{ first_name }}!',
        intro:
          'Christmas is here, with all the food, warmth and presents that come with it. Here are a few offers to make the preparations a little easier.',
        closing: 'Merry Christmas and a Happy New Year from all of us!',
        cta: { label: 'Get ready for Christmas', style: 'solid' },
        funFactIntro: 'Did you know? {{ fun_fact }}',
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Marketers' own themes.
// ---------------------------------------------------------------------------------------------

export interface ThemeIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type CustomThemeResult =
  | { readonly ok: true; readonly theme: Theme }
  | { readonly ok: false; readonly issues: readonly ThemeIssue[] };

/** Compared case-insensitively: "Community" beside "community" would only confuse marketers. */
function idCollision(id: string, builtIns: readonly Theme[]): string | undefined {
  const clash = builtIns.find((t) => t.id.toLowerCase() === id.toLowerCase());
  return clash === undefined ? undefined : `"${id}" is the id of the built-in theme "${clash.id}"; choose another id`;
}

/** A marketer's own theme, as the API accepts it: a Theme whose id is not a built-in one. */
export const ThemeInput = Theme.superRefine((theme, ctx) => {
  const message = idCollision(theme.id, BUILT_IN_THEMES);
  if (message !== undefined) ctx.addIssue({ code: 'custom', path: ['id'], message });
});
export type ThemeInput = z.infer<typeof ThemeInput>;

/** Parse a marketer's theme and check its id against `builtIns`; problems come back as data, with paths. */
export function validateCustomTheme(input: unknown, builtIns: readonly Theme[] = BUILT_IN_THEMES): CustomThemeResult {
  const parsed = Theme.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
        message: issue.message,
      })),
    };
  }
  const message = idCollision(parsed.data.id, builtIns);
  if (message !== undefined) return { ok: false, issues: [{ path: ['id'], message }] };
  return { ok: true, theme: parsed.data };
}
