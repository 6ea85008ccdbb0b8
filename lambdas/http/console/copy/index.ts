import type { Language } from '../../../core/vocabulary.js';
import { type ConsoleCopy, EN } from './en.js';

export type { ConsoleCopy } from './en.js';

/** The console in each language the marketer may choose. */
export const COPY: Readonly<Record<Language, ConsoleCopy>> = { en: EN, sv: EN, da: EN };

export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { sv: 'Svenska', da: 'Dansk', en: 'English' };
