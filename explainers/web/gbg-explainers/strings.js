// Every string the explainers show, in the page's language. The tables are generated
// (strings-data.js, from the explainers catalog of gbg_i18n); this module picks the
// language and fills in the {fields}.
import { STRINGS } from './strings-data.js';

export { STRINGS };

/** 'ko', 'ko-KR' -> 'ko'; a language without a table -> 'en'. */
export function pickLanguage(lang) {
  const code = String(lang || '').toLowerCase().split(/[-_]/)[0];
  return Object.hasOwn(STRINGS, code) ? code : 'en';
}

/** The page's language: the directive's data-lang (Sphinx's `language`), else <html lang>. */
function pageLanguage() {
  if (typeof document === 'undefined') return 'en';
  const marked = document.querySelector('.gbg-explainer[data-lang]');
  return pickLanguage(marked ? marked.dataset.lang : document.documentElement.lang);
}

export const LANG = pageLanguage();

const fieldsOf = (template) => [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))];

/**
 * The string `key` in `lang`, its {fields} filled with `args` in the order the fields
 * first appear in the English text (so a translation may put them in another order).
 * An unknown key comes back as itself; a missing translation falls back to English.
 */
export function lookup(lang, key, ...args) {
  const english = STRINGS.en[key];
  if (english === undefined) return key;
  const text = STRINGS[pickLanguage(lang)][key] || english;
  const order = fieldsOf(english);
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const k = order.indexOf(name);
    return k >= 0 && k < args.length ? String(args[k]) : whole;
  });
}

/** The string `key` in the page's language. */
export const t = (key, ...args) => lookup(LANG, key, ...args);
