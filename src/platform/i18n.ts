/**
 * The message catalogue. Every string a person reads goes through `t`. Each message is
 * written in Japanese first, with やさしい日本語 (ja-easy) and English beside it, so a
 * missing translation is a type error, not a blank on screen. Modules define their own
 * messages and register them at start.
 */
export const LOCALES = ['ja', 'ja-easy', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Message = { ja: string; 'ja-easy': string; en: string };
export type Messages = Record<string, Message>;

const catalogue = new Map<string, Message>();

/** Adds a module's messages; a key defined twice is a programming error. */
export function registerMessages(messages: Messages): void {
  for (const [key, message] of Object.entries(messages)) {
    const existing = catalogue.get(key);
    if (existing && JSON.stringify(existing) !== JSON.stringify(message)) {
      throw new Error(`message key defined twice: ${key}`);
    }
    catalogue.set(key, message);
  }
}

export function defineMessages<T extends Messages>(messages: T): T {
  registerMessages(messages);
  return messages;
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** `{name}` placeholders are filled from params; an unknown key shows as the key itself. */
export function translator(locale: Locale): Translate {
  return (key, params) => {
    const message = catalogue.get(key);
    let text = message ? message[locale] : key;
    if (params) {
      for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
    }
    return text;
  };
}

export function hasMessage(key: string): boolean {
  return catalogue.has(key);
}

export function allMessages(): ReadonlyMap<string, Message> {
  return catalogue;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the locale: explicit choice, then cookie, then Accept-Language, then Japanese. */
export function negotiateLocale(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(query)) return query;
  if (isLocale(cookie)) return cookie;
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  return 'ja';
}

export const HTML_LANG: Record<Locale, string> = { ja: 'ja', 'ja-easy': 'ja', en: 'en' };
