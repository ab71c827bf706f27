/**
 * Builds the search quality query set from the real titles of vega-datasets' movies.json: what members actually
 * type — lower case, no accents or punctuation, words run together, a typo or two, small words dropped, a year
 * after the title, "&" for "and", a subtitle alone, and prefixes as typed.
 *
 * Deterministic (seeded). Regenerate with: npx tsx tests/catalog/search/queries/generate.ts
 *
 * The expected film of each query is decided here, with the same rule a member would apply: the film the query was
 * made from, unless the query is also exactly (or as a prefix) another film's title — then the better-known film
 * (more votes), as the issue asks ("ties and prefixes favour well-known films").
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Film, votesOf } from "../../../../src/catalog/film.js";
import {
  normalizeText,
  NUMBER_WORDS,
  searchVariants,
  SMALL_WORDS,
  withoutLeadingArticle,
} from "../../../../src/catalog/normalize.js";
import { seededRandom } from "../../../support/seeded-random.js";
import { querySetFilms } from "./evaluate.js";

export interface SearchQuery {
  query: string;
  kind: string;
  expect: string;
  /** Films as right as `expect`: the same title and exactly as many votes (the source repeats some counts). */
  alsoAccept?: string[];
  /** The text names no film for sure (a year the film lacks): a member must be asked, never shown a card. */
  mustAsk?: boolean;
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  q: "wa",
  w: "qes",
  e: "wrd",
  r: "etf",
  t: "ryg",
  y: "tuh",
  u: "yij",
  i: "uok",
  o: "ipl",
  p: "ol",
  a: "qsz",
  s: "awdz",
  d: "sefx",
  f: "drgc",
  g: "fthv",
  h: "gyjb",
  j: "hukn",
  k: "jilm",
  l: "kop",
  z: "asx",
  x: "zsdc",
  c: "xdfv",
  v: "cfgb",
  b: "vghn",
  n: "bhjm",
  m: "njk",
};

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One typo a member makes: a neighbouring key, a missed letter, two letters swapped, or a doubled letter. */
function typo(word: string, random: Random): string {
  const at = 1 + Math.floor(random() * (word.length - 2)); // members rarely get the first letter wrong
  const letter = word[at]!;
  switch (Math.floor(random() * 4)) {
    case 0: {
      const neighbours = KEYBOARD_NEIGHBOURS[letter];
      return neighbours
        ? word.slice(0, at) + pick(random, [...neighbours]) + word.slice(at + 1)
        : word.slice(0, at) + word.slice(at + 1);
    }
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return at + 1 < word.length ? word.slice(0, at) + word[at + 1] + letter + word.slice(at + 2) : word.slice(0, at);
    default:
      return word.slice(0, at) + letter + word.slice(at);
  }
}

function typoInLongWord(words: string[], random: Random, minLength: number): string[] | null {
  const candidates = words
    .map((word, i) => ({ word, i }))
    .filter(({ word }) => word.length >= minLength && /^[a-z]+$/.test(word));
  if (candidates.length === 0) return null;
  const { word, i } = pick(random, candidates);
  const copy = [...words];
  copy[i] = typo(word, random);
  return copy;
}

interface Variant {
  query: string;
  kind: string;
}

function variantsOf(film: Film, random: Random): Variant[] {
  const title = film.title;
  const lower = title.toLowerCase();
  const words = normalizeText(title).split(" ");
  const variants: Variant[] = [{ query: lower, kind: "exact" }];

  const plain = normalizeText(title);
  if (plain !== lower) variants.push({ query: plain, kind: "no-accents-or-punctuation" });
  if (/\w-\w/.test(title)) variants.push({ query: lower.replace(/(\w)-(\w)/g, "$1$2"), kind: "hyphen-joined" });

  const oneTypo = typoInLongWord(words, random, 5);
  if (oneTypo) variants.push({ query: oneTypo.join(" "), kind: "one-typo" });
  const letters = words.filter((word) => !SMALL_WORDS.has(word)).join("").length;
  if (letters >= 10) {
    const first = typoInLongWord(words, random, 5);
    const second = first && typoInLongWord(first, random, 5);
    if (second) variants.push({ query: second.join(" "), kind: "two-typos" });
  }

  const withoutSmall = words.filter((word, i) => i === 0 || !SMALL_WORDS.has(word));
  if (withoutSmall.length < words.length && withoutSmall.length >= 2)
    variants.push({ query: withoutSmall.join(" "), kind: "small-words-dropped" });
  if (words[0] === "the" && words.length > 1)
    variants.push({ query: words.slice(1).join(" "), kind: "article-dropped" });

  if (film.year !== null) variants.push({ query: `${lower} ${film.year}`, kind: "with-year" });
  if (title.includes("&")) variants.push({ query: lower.replace(/&/g, "and"), kind: "ampersand-as-and" });
  else if (/ and /i.test(title)) variants.push({ query: lower.replace(/ and /g, " & "), kind: "and-as-ampersand" });

  const colon = title.indexOf(": ");
  if (colon > 0 && title.length - colon > 8)
    variants.push({ query: title.slice(colon + 2).toLowerCase(), kind: "subtitle-only" });

  // Numbers written the other way ("toy story two", "oceans 11"), initials without their dots ("la confidential").
  const numbers = lower.replace(/\b(\d{1,2}|[a-z]+)\b/g, (word) => NUMBER_SWAPS.get(word) ?? word);
  if (numbers !== lower) variants.push({ query: numbers, kind: "number-other-way" });
  if (/\b(?:[a-z]\.){2,}/i.test(title))
    variants.push({
      query: lower.replace(/\b((?:[a-z]\.){2,})/gi, (initials) => initials.replace(/\./g, "")),
      kind: "initials-without-dots",
    });

  if (plain.length >= 8) {
    const length = Math.max(4, Math.round(plain.length * (0.4 + random() * 0.3)));
    variants.push({ query: plain.slice(0, length).trimEnd(), kind: "prefix-as-typed" });
  }
  return variants;
}

/** An elided article or particle ("l'auberge", "d'amélie", "qu'il", "dell'"), as members type it. */
const ELIDED = /\b(?:d|l|j|m|n|c|qu|dell|nell|dall|all|o)['’](?=\p{L})/giu;

/**
 * Kinds too rare to sample: every title in the catalog that has them. Elisions typed as a space or dropped with the
 * particle ("l auberge espagnole", "auberge espagnole"), and digits read as the letters they stand for ("seven").
 */
function rareVariantsOf(film: Film): Variant[] {
  const variants: Variant[] = [];
  const title = film.title;
  if (title.search(ELIDED) >= 0) {
    variants.push({
      query: normalizeText(title.replace(ELIDED, (elided) => `${elided.slice(0, -1)} `)),
      kind: "elision-as-space",
    });
    const dropped = normalizeText(title.replace(ELIDED, ""));
    if (dropped.split(" ").length >= 2) variants.push({ query: dropped, kind: "elided-particle-dropped" });
  }
  const plain = normalizeText(title);
  const read = searchVariants(title).find((variant) => /[013457]/.test(plain) && !/[013457]/.test(variant));
  if (read !== undefined) variants.push({ query: read, kind: "digits-read-as-letters" });
  if (/^\d/.test(plain)) variants.push({ query: plain, kind: "title-starting-with-a-number" });
  return variants;
}

/** A film's other titles as members type them: in lower case, without accents or punctuation, and with a typo. */
function alternateTitleVariants(film: Film, random: Random): Variant[] {
  return film.alternateTitles.flatMap((alternate) => {
    const lower = alternate.toLowerCase();
    const plain = normalizeText(alternate);
    const variants: Variant[] = [{ query: lower, kind: "alternate-title" }];
    if (plain !== lower) variants.push({ query: plain, kind: "alternate-title-plain" });
    const typed = typoInLongWord(plain.split(" "), random, 5);
    if (typed !== null) variants.push({ query: typed.join(" "), kind: "alternate-title-typo" });
    return variants;
  });
}

/**
 * A year typed after the title that the film lacks (and no film of that title has): no card may answer it; the
 * member is asked, with the film in the menu.
 */
function yearTheFilmLacks(films: readonly Film[], film: Film, random: Random): Variant | null {
  if (film.year === null) return null;
  const plain = normalizeText(film.title);
  const namesakeYears = new Set(
    films.filter((other) => normalizeText(other.title) === plain).map((other) => other.year),
  );
  const year = film.year + pick(random, [-4, -2, 3, 5]);
  if (namesakeYears.has(year) || plain.split(" ").includes(String(year))) return null;
  return { query: `${film.title.toLowerCase()} ${year}`, kind: "year-the-film-lacks" };
}

const NUMBER_SWAPS: ReadonlyMap<string, string> = new Map(
  NUMBER_WORDS.flatMap((name, n): [string, string][] =>
    n < 2
      ? []
      : [
          [name, String(n)],
          [String(n), name],
        ],
  ),
);

/** The forms a title is known by: as normalized, without its article, and its other readings ("se7en": "seven"). */
function titleForms(film: Film): string[] {
  return [normalizeText(film.title), ...searchVariants(film.title)].flatMap((form) => [
    form,
    withoutLeadingArticle(form),
  ]);
}

function isExactly(query: string, film: Film): boolean {
  const q = normalizeText(query);
  return titleForms(film).includes(q);
}

function startsWith(query: string, film: Film): boolean {
  const q = normalizeText(query);
  return titleForms(film).some((form) => form.startsWith(q));
}

/**
 * The film a member means by the query: a title typed in full means that film (the better known of namesakes);
 * a prefix means the best-known film it starts; a year settles namesakes.
 */
function expectedFilm(films: readonly Film[], source: Film, variant: Variant): { expect: Film; alsoAccept: Film[] } {
  let pool: Film[];
  if (variant.kind === "with-year" || variant.kind === "year-the-film-lacks") pool = [source];
  else {
    const exact = films.filter((film) => isExactly(variant.query, film));
    if (exact.length > 0) pool = exact;
    else if (variant.kind === "prefix-as-typed") pool = films.filter((film) => startsWith(variant.query, film));
    else pool = films.filter((film) => normalizeText(film.title) === normalizeText(source.title)); // namesakes
  }
  const best = Math.max(...pool.map(votesOf));
  const top = pool.filter((film) => votesOf(film) === best);
  const expect = top.includes(source) ? source : top[0]!;
  return { expect, alsoAccept: top.filter((film) => film !== expect) };
}

export function buildQuerySet(films: readonly Film[], seed = 20261125, sample = 900): SearchQuery[] {
  const random = seededRandom(seed);
  const pool = [...films].filter((film) => normalizeText(film.title).length >= 3);
  // A fixed sample, spread over the whole catalog (not only the famous films).
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  // Its own stream, so that adding this kind left every other query as it was.
  const yearRandom = seededRandom(seed + 1);
  const queries: SearchQuery[] = [];
  const add = (film: Film, variant: Variant): void => {
    const { expect, alsoAccept } = expectedFilm(films, film, variant);
    const query: SearchQuery = { query: variant.query, kind: variant.kind, expect: expect.id };
    if (alsoAccept.length > 0) query.alsoAccept = alsoAccept.map((other) => other.id);
    if (variant.kind === "year-the-film-lacks") query.mustAsk = true;
    queries.push(query);
  };
  pool.slice(0, sample).forEach((film, i) => {
    for (const variant of variantsOf(film, random)) add(film, variant);
    const lacking = i % 3 === 0 ? yearTheFilmLacks(films, film, yearRandom) : null;
    if (lacking !== null) add(film, lacking);
  });
  for (const film of films) for (const variant of rareVariantsOf(film)) add(film, variant);
  const alternateRandom = seededRandom(seed + 2);
  for (const film of films) for (const variant of alternateTitleVariants(film, alternateRandom)) add(film, variant);
  return queries;
}

function main(): void {
  const queries = buildQuerySet(querySetFilms());
  const out = new URL("./queries.json", import.meta.url);
  writeFileSync(out, `${JSON.stringify(queries, null, 1)}\n`);
  const kinds = new Map<string, number>();
  for (const query of queries) kinds.set(query.kind, (kinds.get(query.kind) ?? 0) + 1);
  console.log(`${queries.length} queries written to ${out.pathname}`, Object.fromEntries(kinds));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
