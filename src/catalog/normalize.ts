/**
 * Text normalization shared by ids, the search index and queries: whatever a member types and whatever a data file
 * says are folded to the same plain form before they are compared.
 */

/** Letters that Unicode decomposition leaves alone but members type as plain ASCII. */
const LETTER_FOLDS: Record<string, string> = {
  æ: "ae",
  œ: "oe",
  ø: "o",
  ß: "ss",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  "¢": "c", // "Ri¢hie Ri¢h" is typed "richie rich"
};
const LETTER_FOLD_PATTERN = new RegExp(`[${Object.keys(LETTER_FOLDS).join("")}]`, "g");
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lower case, accents removed, ligatures spelled out: "Amélie" → "amelie", "Æon" → "aeon". */
export function foldText(text: string): string {
  const lower = text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
  return lower.replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter);
}

/** Roman numerals as sequel numbers ("Rocky II" = "rocky 2"); "i", "v" and "x" stay words ("I, Robot", "X-Men"). */
const ROMAN_SEQUELS: Record<string, string> = {
  ii: "2",
  iii: "3",
  iv: "4",
  vi: "6",
  vii: "7",
  viii: "8",
  ix: "9",
  xi: "11",
  xii: "12",
  xiii: "13",
};

/** Numbers members write as words or digits ("toy story two", "oceans 11"), index = value; the search matches both. */
export const NUMBER_WORDS: readonly string[] = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];

const NON_ASCII = /[\u0080-\uffff]/;
const TYPOGRAPHIC_APOSTROPHES = /[’‘´]/g;

/**
 * The searchable form of a title or name: folded, "&" read as "and", apostrophes dropped ("Schindler's" →
 * "schindlers"), every other punctuation a word break, roman sequel numbers as digits, single spaces.
 *
 * One pass over the characters (this runs for every title at load and on every keystroke); only text with
 * non-ASCII characters pays for Unicode folding first.
 */
export function normalizeText(text: string): string {
  const lower = (NON_ASCII.test(text) ? foldText(text).replace(TYPOGRAPHIC_APOSTROPHES, "'") : text).toLowerCase();
  let out = "";
  let wordStart = -1;
  let hasApostrophe = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (wordStart < 0) wordStart = i;
      continue;
    }
    if ((code === 39 || code === 96) && wordStart >= 0) {
      hasApostrophe = true; // apostrophes join: "schindler's" → "schindlers"
      continue;
    }
    if (wordStart >= 0) {
      out = appendWord(out, lower.slice(wordStart, i), hasApostrophe);
      wordStart = -1;
      hasApostrophe = false;
    }
    if (code === 38) out = appendWord(out, "and", false);
  }
  return out;
}

/**
 * Whether a word may be a roman sequel number, checked before the table lookup: looking a fresh string up as a
 * property costs a string-table probe, and this runs for every word of every title and name at load.
 */
function isRomanCandidate(word: string): boolean {
  const first = word.charCodeAt(0);
  return word.length <= 4 && (first === 105 || first === 118 || first === 120); // i, v, x
}

function appendWord(out: string, raw: string, hasApostrophe: boolean): string {
  const word = hasApostrophe ? raw.replace(/['`]/g, "") : raw;
  if (word === "") return out;
  const mapped = (isRomanCandidate(word) ? ROMAN_SEQUELS[word] : undefined) ?? word;
  return out === "" ? mapped : `${out} ${mapped}`;
}

/**
 * Elided articles and particles ("d'", "l'", "qu'", "dell'", "O'"): `normalizeText` joins a word across an apostrophe
 * ("d'Amélie" → "damelie"), which is how members type "schindlers", but "amelie" alone must find the film too.
 */
const ELISION = /\b(d|l|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quell|dell|nell|dall|sull|coll|all|un|o)['’`](?=\p{L})/giu;

/**
 * Letters written as digits inside a word ("Se7en", "M3GAN"): the title as members say it ("seven", "megan").
 * Only a single digit between letters is read so; "2001" or "H2O" stay as they are.
 */
const LEET_DIGITS: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "v" };
const LEET_WORD = /(?<=[a-z])[013457](?=[a-z])/g;

/**
 * Other searchable forms of a title or name, besides normalizeText's: elided articles as words of their own
 * ("le fabuleux destin d amelie poulain"), letters written as digits read as letters ("seven"). Empty when there are
 * none (most titles).
 */
export function searchVariants(text: string): string[] {
  const variants: string[] = [];
  const base = normalizeText(text);
  if (/['’`]/.test(text)) {
    const split = normalizeText(text.replace(ELISION, "$1 "));
    if (split !== base && split !== "") variants.push(split);
  }
  if (/[a-z][013457][a-z]/.test(base)) {
    const read = base.replace(LEET_WORD, (digit) => LEET_DIGITS[digit] ?? digit);
    if (read !== base) variants.push(read);
  }
  return variants;
}

/**
 * How well a name is written, among spellings that normalize alike (one person, one genre), most telling first:
 * upper and lower case mixed beats all one case (a source that shouts or lower-cases everything), single spaces beat
 * stray ones, and accents kept beat accents dropped ("Penélope" over "Penelope"). The catalog shows the best one.
 */
export function spellingQuality(text: string): number {
  const mixedCase = text !== text.toUpperCase() && text !== text.toLowerCase();
  const tidySpacing = !/\s\s|^\s|\s$/.test(text);
  return (mixedCase ? 4 : 0) + (tidySpacing ? 2 : 0) + (NON_ASCII.test(text) ? 1 : 0);
}

/** The words of a normalized text. */
export function tokenize(normalized: string): string[] {
  return normalized === "" ? [] : normalized.split(" ");
}

/**
 * Whether a normalized text, its spaces left out ("the matrix" → "thematrix"), starts with `compact` from position
 * `from` of the text on: the compact form read in place, so that an index need not keep it as a second string per
 * title.
 */
export function compactStartsWith(normalized: string, compact: string, from = 0): boolean {
  return compactMatchEnd(normalized, compact, from) >= 0;
}

/** Whether a normalized text from position `from` on, its spaces left out, is `compact` (see compactStartsWith). */
export function compactEquals(normalized: string, compact: string, from = 0): boolean {
  let end = compactMatchEnd(normalized, compact, from);
  if (end < 0) return false;
  while (end < normalized.length && normalized.charCodeAt(end) === SPACE) end++;
  return end === normalized.length;
}

const SPACE = 32;

/** Where `compact` ends in `normalized` read from `from` without its spaces, or -1 if it is not there. */
function compactMatchEnd(normalized: string, compact: string, from: number): number {
  let at = from;
  for (let i = 0; i < compact.length; i++) {
    while (at < normalized.length && normalized.charCodeAt(at) === SPACE) at++;
    if (at >= normalized.length || normalized.charCodeAt(at) !== compact.charCodeAt(i)) return -1;
    at++;
  }
  return at;
}

/**
 * Words members drop when they type a title ("lord of rings"); they still count when present, but a query may
 * leave them out. Articles of the languages titles in the catalog commonly use.
 */
export const SMALL_WORDS: ReadonlySet<string> = new Set([
  "the",
  "a",
  "an",
  "of",
  "and",
  "in",
  "on",
  "at",
  "to",
  "for",
  "with",
  "from",
  "by",
  "la",
  "le",
  "les",
  "l",
  "el",
  "los",
  "las",
  "der",
  "die",
  "das",
  "de",
  "du",
  "des",
  "il",
  "lo",
]);

/** A normalized text with its leading article removed: "the matrix" → "matrix". */
export function withoutLeadingArticle(normalized: string): string {
  const article = leadingArticleLength(normalized);
  return article === 0 ? normalized : normalized.slice(article + 1);
}

/** The length of a normalized text's leading article ("the matrix" → 3), 0 without one; the rest is not copied. */
export function leadingArticleLength(normalized: string): number {
  const space = normalized.indexOf(" ");
  if (space <= 0 || space > 3) return 0;
  const first = normalized.slice(0, space);
  return first === "the" ||
    first === "a" ||
    first === "an" ||
    first === "la" ||
    first === "le" ||
    first === "les" ||
    first === "el" ||
    first === "l"
    ? space
    : 0;
}

/** FNV-1a, as 8 hex digits: a short stable fingerprint for titles that have no letters to slug. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/** The film id: slug of title + year ("miss-you-already-2015"); stable across loads and machines. */
export function filmId(title: string, year: number | null): string {
  let slug = normalizeText(title).replace(/ /g, "-");
  if (slug === "") slug = `film-${fingerprint(title)}`;
  // Ids travel inside button custom ids (100 characters in all), so long titles keep a prefix and a fingerprint.
  if (slug.length > 60) slug = `${slug.slice(0, 50).replace(/-+$/, "")}-${fingerprint(title)}`;
  return year === null ? slug : `${slug}-${year}`;
}
