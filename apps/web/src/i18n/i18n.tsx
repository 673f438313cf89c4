import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { formatIsoDate, formatMonth, formatTimestamp } from './dates.js';
import { fr, type MessageKey, type Messages } from './fr.js';
import { interpolate, type Params } from './interpolate.js';

export const LANGUAGES = ['fr', 'nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name, in that language: the switcher shows them so. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  fr: 'Français',
  nl: 'Nederlands',
  en: 'English',
};

/**
 * French comes with the app; the other dictionaries are fetched the first time they are chosen
 * (or before the first render, for a browser that chose one earlier: see `loadStoredLanguage`).
 */
const dictionaries: Partial<Record<Language, Messages>> = { fr };
const IMPORTS: Readonly<Record<Exclude<Language, 'fr'>, () => Promise<Messages>>> = {
  nl: () => import('./nl.js').then((m) => m.nl),
  en: () => import('./en.js').then((m) => m.en),
};

async function loadDictionary(language: Language): Promise<void> {
  if (language === 'fr' || dictionaries[language]) return;
  dictionaries[language] = await IMPORTS[language]();
}

/** Before the app first renders: the dictionary of the language this browser chose before. */
export function loadStoredLanguage(): Promise<void> {
  return loadDictionary(storedLanguage()).catch(() => undefined);
}
const LOCALES: Readonly<Record<Language, string>> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-BE' };
const STORAGE_KEY = 'relais.language';

export type { Params };

/** A message said by number: its text chooses singular or plural (`{n, plural, one {…} other {…}}`). */
export type CountKey = MessageKey;

export interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: (key: MessageKey, params?: Params) => string;
  /** The message's singular or plural as the language says `n` (French: 0 and 1 are singular). */
  readonly count: (key: CountKey, n: number, params?: Params) => string;
  /** For keys built from values the API sends (`eventType.${type}`): the value itself when unknown. */
  readonly label: (prefix: string, value: string) => string;
  readonly date: (iso: string | null | undefined) => string;
  readonly timestamp: (instant: string | null | undefined) => string;
  readonly month: (month: string) => string;
  readonly number: (value: number | null | undefined, fractionDigits?: number) => string;
  readonly share: (value: number | null | undefined) => string;
  readonly list: (items: readonly string[]) => string;
}

function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'fr';
  } catch {
    return 'fr';
  }
}

export function translator(wanted: Language): Omit<I18n, 'setLanguage'> {
  // A dictionary not fetched (yet) leaves the page in French rather than empty.
  const language = dictionaries[wanted] ? wanted : 'fr';
  const messages = dictionaries[language] ?? fr;
  const locale = LOCALES[language];
  const t = (key: MessageKey, params?: Params) => interpolate(messages[key], params, locale);
  const none = messages['app.none'];
  return {
    language,
    t,
    count: (key, n, params) => t(key, { n, ...params }),
    label: (prefix, value) => {
      const key = `${prefix}.${value}`;
      return key in messages ? messages[key as MessageKey] : value;
    },
    date: (iso) => (iso ? formatIsoDate(iso) : none),
    timestamp: (instant) => (instant ? formatTimestamp(instant) : none),
    month: formatMonth,
    number: (value, fractionDigits = 0) =>
      value === null || value === undefined
        ? none
        : new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value),
    share: (value) =>
      value === null || value === undefined
        ? none
        : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
            value,
          ),
    list: (items) =>
      items.length === 0
        ? none
        : new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items),
  };
}

const I18nContext = createContext<I18n>({ ...translator('fr'), setLanguage: () => undefined });

/** The chosen language, remembered in this browser, and the page's `lang` following it. */
export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const stored = storedLanguage();
    return dictionaries[stored] ? stored : 'fr';
  });
  // Before the browser paints the new words, so the page never says one language in another's name.
  useLayoutEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private browsing: the choice lasts for this page only
    }
    // The page switches once the words are there; offline, it stays in its language.
    loadDictionary(next).then(
      () => setLanguageState(next),
      () => undefined,
    );
  }, []);
  const value = useMemo(() => ({ ...translator(language), setLanguage }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export type { MessageKey };
