import type { Language } from '../../../core/vocabulary.js';
import { DA } from './da.js';
import { type ConsoleCopy, EN } from './en.js';
import { SV } from './sv.js';

export type { ConsoleCopy } from './en.js';

/** The console in each language the marketer may choose. */
export const COPY: Readonly<Record<Language, ConsoleCopy>> = { sv: SV, da: DA, en: EN };

export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { sv: 'Svenska', da: 'Dansk', en: 'English' };
