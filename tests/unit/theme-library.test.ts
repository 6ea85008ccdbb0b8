import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_OCCASIONS } from '../../lambdas/core/built-in-occasions.js';
import { BUILT_IN_THEMES } from '../../lambdas/core/built-in-themes.js';
import { ThemeInput, validateCustomTheme } from '../../lambdas/core/custom-themes.js';
import { Emotion, type Language } from '../../lambdas/core/model.js';
import {
  type Address,
  fillPlaceholders,
  OccasionCopyBlock,
  OccasionId,
  OccasionLibrary,
  occasionCopy,
  PlaceholderValueError,
  PREHEADER_MAX,
  REQUIRED_OCCASION_LANGUAGES,
  SUBJECT_MAX,
  Theme,
  ThemeCopyBlock,
  themeCopy,
  UnknownThemeError,
} from '../../lambdas/core/theme-library.js';

/** A real 12-character first name: the length the limits are stated for. */
const LONG_NAME = 'Anna-Kristin';
const LANGUAGES: readonly Language[] = ['sv', 'da', 'en'];
const ADDRESSES: readonly Address[] = ['informal', 'formal'];

type Block = ThemeCopyBlock | OccasionCopyBlock;
interface Entry {
  readonly name: string;
  readonly language: Language;
  readonly address: Address;
  readonly block: Block;
}

const themeEntries = (): Entry[] =>
  BUILT_IN_THEMES.flatMap((theme) =>
    LANGUAGES.flatMap((language) =>
      ADDRESSES.flatMap((address) => {
        const block = theme.copy[language][address];
        return block === undefined ? [] : [{ name: `theme ${theme.id}`, language, address, block }];
      }),
    ),
  );

const occasionEntries = (): Entry[] =>
  OccasionId.options.flatMap((occasion) =>
    LANGUAGES.flatMap((language) =>
      ADDRESSES.flatMap((address) => {
        const block = BUILT_IN_OCCASIONS[occasion][language]?.[address];
        return block === undefined ? [] : [{ name: `occasion ${occasion}`, language, address, block }];
      }),
    ),
  );

const allEntries = () => [...themeEntries(), ...occasionEntries()];

const texts = (block: Block): string[] => [
  ...block.subjects,
  ...block.preheaders,
  block.headline,
  block.intro,
  block.closing,
  block.cta.label,
  ...('funFactIntro' in block && block.funFactIntro !== undefined ? [block.funFactIntro] : []),
];

const fill = (text: string) =>
  fillPlaceholders(text, { first_name: LONG_NAME, years_as_member: '25', fun_fact: 'Ett faktum.' });
const visible = (text: string) => [...fill(text)].length;

function builtIn(id: string): Theme {
  const theme = BUILT_IN_THEMES.find((t) => t.id === id);
  if (theme === undefined) throw new Error(`no built-in theme ${id}`);
  return theme;
}

/** A marketer's theme: a copy of a built-in under a fresh id. */
const customTheme = (id = `custom-${randomUUID()}`): Theme => ({ ...structuredClone(builtIn('community')), id });

const validBlock = (): ThemeCopyBlock => structuredClone(builtIn('community').copy.sv.informal);

describe('built-in themes', () => {
  it('has exactly one theme per emotion, with unique ids', () => {
    expect(BUILT_IN_THEMES.map((t) => t.emotion).sort()).toEqual([...Emotion.options].sort());
    expect(new Set(BUILT_IN_THEMES.map((t) => t.id)).size).toBe(BUILT_IN_THEMES.length);
  });

  it('passes the same schema marketers’ themes must pass', () => {
    for (const theme of BUILT_IN_THEMES) {
      expect(Theme.safeParse(theme).error?.issues ?? [], theme.id).toEqual([]);
      expect(validateCustomTheme(theme, []), theme.id).toEqual({ ok: true, theme });
    }
  });

  it('has informal copy in Swedish, Danish and English with at least two subject lines each', () => {
    for (const theme of BUILT_IN_THEMES) {
      for (const language of LANGUAGES) {
        expect(theme.copy[language].informal.subjects.length, `${theme.id} ${language}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('gives the luxury theme a formal variant in every language', () => {
    const selected = BUILT_IN_THEMES.find((t) => t.emotion === 'selected');
    for (const language of LANGUAGES) expect(selected?.copy[language].formal, language).toBeDefined();
  });

  it('keeps formal copy reserved: no exclamation marks, and not a copy of the informal text', () => {
    const formal = themeEntries().filter((e) => e.address === 'formal');
    expect(formal.length).toBeGreaterThanOrEqual(3);
    for (const entry of formal) {
      const informal = themeEntries().find(
        (e) => e.name === entry.name && e.language === entry.language && e.address === 'informal',
      );
      const informalTexts = new Set(informal === undefined ? [] : texts(informal.block));
      for (const text of texts(entry.block)) {
        expect(text, `${entry.name} ${entry.language}`).not.toContain('!');
        expect(informalTexts.has(text), `${entry.name} ${entry.language}: "${text}"`).toBe(false);
      }
    }
  });
});

describe('built-in occasions', () => {
  it('has copy for all eight occasions, each in the languages it requires', () => {
    expect(Object.keys(BUILT_IN_OCCASIONS).sort()).toEqual([...OccasionId.options].sort());
    const result = OccasionLibrary.safeParse(BUILT_IN_OCCASIONS);
    expect(result.error?.issues ?? []).toEqual([]);
    for (const occasion of OccasionId.options) {
      for (const language of REQUIRED_OCCASION_LANGUAGES[occasion]) {
        expect(BUILT_IN_OCCASIONS[occasion][language], `${occasion} ${language}`).toBeDefined();
      }
    }
  });

  it('requires all three languages for every occasion except name days', () => {
    for (const occasion of OccasionId.options) {
      const expected = occasion === 'name-day' ? ['sv'] : ['sv', 'da', 'en'];
      expect(REQUIRED_OCCASION_LANGUAGES[occasion], occasion).toEqual(expected);
    }
  });

  it('rejects an occasion library whose Christmas copy lacks Danish, naming the path', () => {
    const { sv, en } = BUILT_IN_OCCASIONS.christmas;
    const result = OccasionLibrary.safeParse({ ...BUILT_IN_OCCASIONS, christmas: { sv, en } });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['christmas', 'da']]);
  });

  it('has no Danish name-day mail, since Denmark does not celebrate name days', () => {
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'name-day', 'da', 'informal')).toBeUndefined();
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'name-day', 'sv', 'informal')?.subjects[0]).toContain('namnsdag');
  });

  it('gives every occasion a line to carry the marketer’s fun fact', () => {
    for (const entry of occasionEntries()) {
      const line = 'funFactIntro' in entry.block ? entry.block.funFactIntro : undefined;
      expect(line, `${entry.name} ${entry.language}`).toContain('{{ fun_fact }}');
    }
  });

  it('wishes God jul, Glædelig jul and Merry Christmas', () => {
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'christmas', 'sv', 'informal')?.subjects[0]).toContain('God jul');
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'christmas', 'da', 'informal')?.subjects[0]).toContain('Glædelig jul');
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'christmas', 'en', 'informal')?.subjects[0]).toContain('Merry Christmas');
  });

  it('celebrates Midsummer Eve in Swedish, Sankthans in Danish, and both in English', () => {
    const all = (language: Language) => {
      const block = occasionCopy(BUILT_IN_OCCASIONS, 'midsummer', language, 'informal');
      return block === undefined ? '' : texts(block).join(' ').toLowerCase();
    };
    expect(all('sv')).toContain('midsommarafton');
    expect(all('da')).toContain('sankthansaften');
    expect(all('da')).not.toContain('midsommer');
    expect(all('en')).toContain('midsummer eve');
    expect(all('en')).toContain('sankthans');
  });

  it('falls back from formal to informal for occasions too', () => {
    expect(occasionCopy(BUILT_IN_OCCASIONS, 'birthday', 'da', 'formal')).toBe(BUILT_IN_OCCASIONS.birthday.da?.informal);
  });
});

describe('copy written for each language', () => {
  it('fits every subject in 60 and every preheader in 100 characters with a 12-character name', () => {
    expect(LONG_NAME).toHaveLength(12);
    for (const { name, language, address, block } of allEntries()) {
      for (const subject of block.subjects)
        expect(visible(subject), `${name} ${language} ${address}: ${subject}`).toBeLessThanOrEqual(SUBJECT_MAX);
      for (const preheader of block.preheaders) {
        expect(visible(preheader), `${name} ${language} ${address}: ${preheader}`).toBeLessThanOrEqual(PREHEADER_MAX);
      }
    }
  });

  it('never uses the same text in two languages of one theme or occasion', () => {
    const groups = new Map<string, Entry[]>();
    for (const entry of allEntries()) {
      const key = `${entry.name} ${entry.address}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    for (const [key, entries] of groups) {
      const seen = new Map<string, Language>();
      for (const entry of entries) {
        for (const text of texts(entry.block)) {
          // A subject may repeat the headline within one language; only another language's text counts.
          const other = seen.get(text);
          if (other !== entry.language)
            expect(other, `${key}: "${text}" is in both ${other ?? ''} and ${entry.language}`).toBeUndefined();
          seen.set(text, entry.language);
        }
      }
    }
  });

  it('writes Danish without Swedish letters or words, and Swedish without Danish ones', () => {
    for (const { name, language, block } of allEntries()) {
      const all = texts(block).join(' ');
      if (language === 'da') {
        expect(all, name).not.toMatch(/[äö]/i);
        expect(all, name).not.toMatch(/\b(och|inte|jag|mycket|bara|hur)\b/i);
      } else if (language === 'sv') {
        expect(all, name).not.toMatch(/[æø]/i);
        expect(all, name).not.toMatch(/\b(og|ikke|jeg|meget|bare|hvad)\b/i);
      } else {
        expect(all, name).not.toMatch(/[åäöæø]/i);
      }
    }
  });
});

describe('placeholders', () => {
  it('rejects an unknown {{ firstname }} with a message naming it and the path of the text', () => {
    const block = validBlock();
    block.subjects[0] = 'Hej {{ firstname }}, veckans erbjudanden';
    const issues = ThemeCopyBlock.safeParse(block).error?.issues ?? [];
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toEqual(['subjects', 0]);
    expect(issues[0]?.message).toContain('{{ firstname }}');
    expect(issues[0]?.message).toContain('did you mean {{ first_name }}');
  });

  it('rejects the old single-brace {name} style, which would reach members verbatim', () => {
    const block = validBlock();
    block.headline = 'Hej {name}!';
    expect(ThemeCopyBlock.safeParse(block).error?.issues[0]?.message).toContain('stray');
  });

  it('rejects Liquid filters and expressions in copy', () => {
    const block = validBlock();
    block.intro = 'Hej {{ first_name | upcase }}!';
    expect(ThemeCopyBlock.safeParse(block).error?.issues[0]?.message).toContain('unsupported placeholder');
  });

  it('allows {{ years_as_member }} in occasion copy but not in theme copy', () => {
    const block = validBlock();
    block.intro = 'Du har varit medlem i {{ years_as_member }} år.';
    expect(OccasionCopyBlock.safeParse(block).success).toBe(true);
    expect(ThemeCopyBlock.safeParse(block).error?.issues[0]?.message).toContain(
      '{{ years_as_member }} is not available here',
    );
  });

  it('allows {{ fun_fact }} only in the fun-fact line, which must use it', () => {
    const block = validBlock();
    expect(OccasionCopyBlock.safeParse({ ...block, funFactIntro: 'Visste du? {{ fun_fact }}' }).success).toBe(true);
    expect(
      OccasionCopyBlock.safeParse({ ...block, intro: 'Visste du? {{ fun_fact }}' }).error?.issues[0]?.path,
    ).toEqual(['intro']);
    expect(
      OccasionCopyBlock.safeParse({ ...block, funFactIntro: 'Visste du det här?' }).error?.issues[0]?.message,
    ).toContain('{{ fun_fact }}');
  });

  it('measures a subject with a 12-character name filled in, not as written', () => {
    const block = validBlock();
    // "{{ first_name }}" is 16 characters as written but 12 once filled in: 48 + 12 = 60 fits, 49 + 12 does not.
    block.subjects = [`{{ first_name }}${'a'.repeat(48)}`];
    expect(ThemeCopyBlock.safeParse(block).success).toBe(true);
    block.subjects = [`{{ first_name }}${'a'.repeat(49)}`];
    expect(ThemeCopyBlock.safeParse(block).error?.issues[0]?.message).toContain('61 characters');
  });

  it('fills placeholders and refuses to leave one empty', () => {
    expect(fillPlaceholders('Hej {{ first_name }}, {{first_name}}!', { first_name: 'Sven' })).toBe('Hej Sven, Sven!');
    expect(() => fillPlaceholders('{{ years_as_member }} år', { first_name: 'Sven' })).toThrow(PlaceholderValueError);
  });
});

describe('themeCopy', () => {
  it('falls back from formal to informal when the theme has no formal copy', () => {
    const community = builtIn('community');
    expect(community.copy.da.formal).toBeUndefined();
    expect(themeCopy(BUILT_IN_THEMES, 'community', 'da', 'formal')).toBe(community.copy.da.informal);
  });

  it('uses the formal copy when the theme has one', () => {
    const selected = builtIn('selected');
    expect(themeCopy(BUILT_IN_THEMES, 'selected', 'sv', 'formal')).toBe(selected.copy.sv.formal);
    expect(themeCopy(BUILT_IN_THEMES, 'selected', 'sv', 'informal')).toBe(selected.copy.sv.informal);
  });

  it('throws an error naming an unknown theme id', () => {
    expect(() => themeCopy(BUILT_IN_THEMES, 'no-such-theme', 'en', 'informal')).toThrow(UnknownThemeError);
    expect(() => themeCopy(BUILT_IN_THEMES, 'no-such-theme', 'en', 'informal')).toThrow(/"no-such-theme".*community/);
  });

  it('finds a marketer’s own theme in the library it is given', () => {
    const mine = customTheme();
    mine.copy.en.informal.headline = 'Our own headline, {{ first_name }}';
    expect(themeCopy([...BUILT_IN_THEMES, mine], mine.id, 'en', 'informal').headline).toBe(
      'Our own headline, {{ first_name }}',
    );
  });
});

describe('custom themes', () => {
  it('accepts a marketer’s theme with an id of its own', () => {
    const mine = customTheme();
    expect(validateCustomTheme(mine)).toEqual({ ok: true, theme: mine });
    expect(ThemeInput.safeParse(mine).success).toBe(true);
  });

  it('rejects a theme that reuses a built-in id, pointing at the id', () => {
    const result = validateCustomTheme(customTheme('community'));
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.path)).toEqual([['id']]);
    expect(issues[0]?.message).toContain('"community"');
  });

  it('treats ids that differ only in case as a collision', () => {
    expect(validateCustomTheme(customTheme('Selected')).ok).toBe(false);
  });

  it('checks collisions against the built-ins it is given', () => {
    expect(validateCustomTheme(customTheme('community'), []).ok).toBe(true);
  });

  it('rejects a built-in id through ThemeInput as well', () => {
    expect(ThemeInput.safeParse(customTheme('vitality')).error?.issues.map((i) => i.path)).toEqual([['id']]);
  });

  it('reports copy problems with the full path to the text', () => {
    const mine = customTheme();
    mine.copy.sv.informal.subjects[1] = 'Hej {{ firstname }}';
    const result = validateCustomTheme(mine);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.path)).toEqual([['copy', 'sv', 'informal', 'subjects', 1]]);
    expect(issues[0]?.message).toContain('firstname');
  });

  it('rejects a theme missing a language', () => {
    const { copy, ...rest } = customTheme();
    const result = validateCustomTheme({ ...rest, copy: { sv: copy.sv, en: copy.en } });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([['copy', 'da']]);
  });

  it('rejects an id that is not key-safe', () => {
    const result = validateCustomTheme(customTheme('summer sale!'));
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([['id']]);
  });
});
