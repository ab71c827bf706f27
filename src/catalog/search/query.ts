/**
 * What a member typed, read for searching: normalized words, whether the last one is still being typed, and the
 * other readings worth scoring (a year typed after the title, initials typed with dots).
 */
import { isFilmYear } from "../film.js";
import { normalizeText, NUMBER_WORDS, tokenize } from "../normalize.js";

export interface QueryVariant {
  tokens: string[];
  /** The last word may still be being typed. */
  lastIsPartial: boolean;
  /** A year the member typed after the title ("alice in wonderland 2010"). */
  yearHint: number | null;
  compact: string;
  normalized: string;
  /** Per typed word: title word → similarity, filled during this query. */
  wordCache: Map<string, number>[];
}

/** Typos forgiven in a word of this length: none in short words, where one letter changes the word. */
export function maxTypos(length: number): number {
  if (length >= 6) return 2;
  if (length >= 4) return 1;
  return 0;
}

function isYearToken(token: string): boolean {
  if (token.length !== 4) return false;
  return isFilmYear(Number(token));
}

/**
 * Numbers written both ways are the same word: "toy story two" finds Toy Story 2, "oceans 11" Ocean's Eleven (and
 * roman sequel numbers are digits already, see normalize.ts). Matched word for word, not as extra readings of the
 * query, which would double the cost of every query holding a number.
 */
export const NUMBER_TWIN: ReadonlyMap<string, string> = new Map([
  ...NUMBER_WORDS.map((word, n): [string, string] => [word, String(n)]),
  ...NUMBER_WORDS.map((word, n): [string, string] => [String(n), word]),
]);

/**
 * Initials typed with dots or spaces are one word: "j.f.k." → "jfk", "e.t" → "et", "u s marshals" → "us marshals".
 * Titles keep "J.F.K."-style initials as single letters too, so this is an extra reading of the query, not a
 * replacement.
 */
function joinSingleLetters(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  let run = "";
  for (const token of tokens) {
    if (token.length === 1 && token >= "a" && token <= "z") {
      run += token;
      continue;
    }
    if (run !== "") joined.push(run);
    run = "";
    joined.push(token);
  }
  if (run !== "") joined.push(run);
  return joined;
}

/** The readings of a query worth scoring, the query as typed first; none for a query without letters or digits. */
export function parseQuery(query: string): QueryVariant[] {
  const normalized = normalizeText(query.slice(0, 200));
  const tokens = tokenize(normalized);
  if (tokens.length === 0) return [];
  const lastIsPartial = !/[\s.)\]]$/.test(query);
  const variants = [queryVariant(tokens, null, lastIsPartial)];
  const last = tokens[tokens.length - 1]!;
  if (tokens.length > 1 && isYearToken(last)) {
    // "alice in wonderland 2010" is a title and a year, but "blade runner 2049" is a title: score both readings.
    variants.push(queryVariant(tokens.slice(0, -1), Number(last), false));
  } else if (tokens.length > 1 && lastIsPartial && /^(19|20|1[89]\d|20\d)$/.test(last)) {
    // A year being typed ("a night at the roxbury 19"): also read the query without it. Not for a lone digit,
    // which is more often a sequel number ("rush hour 2").
    variants.push(queryVariant(tokens.slice(0, -1), null, true));
  }
  const joined = joinSingleLetters(tokens);
  if (joined.length < tokens.length) variants.push(queryVariant(joined, null, lastIsPartial));
  return variants;
}

function queryVariant(words: string[], yearHint: number | null, lastIsPartial: boolean): QueryVariant {
  return {
    tokens: words,
    lastIsPartial,
    yearHint,
    compact: words.join(""),
    normalized: words.join(" "),
    wordCache: words.map(() => new Map<string, number>()),
  };
}
