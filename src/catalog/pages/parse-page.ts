/**
 * Reads one scraped film page (the `data/*.txt` format) into a Film record.
 *
 * The layout, as it appears in the wild:
 *
 *   Title                        ← first non-blank line
 *   November 6th, 2015           ← date line (posting date; last-resort year)
 *   Title                        ← repeated title, optional noise ("No valid json found")
 *   Logline                      ← first real sentence line
 *   Release Year: / Rating: / Critic's Score: / Director(s): / Stars: / Runtime: / Genre(s): …
 *   Synopsis paragraph(s)        ← labels of the film's links and other names may stand anywhere: IMDb: / Poster: /
 *                                  Trailer: / Tagline: / Also Known As: / Certificate: (Rated:) / Keywords:
 *   Name - Role                  ← cast block (role may be empty)
 *   Official Website: / Country: / Language: / Release Date: / Filming Locations:
 *   Technical Specs              ← optional "Key: value" lines
 *   Did You Know?                ← trivia, one item per paragraph
 *   User Review                  ← review paragraphs
 *   Comments are closed.
 *
 * Any section may be missing, labels vary in case, spacing and number, and text is kept verbatim (escaping markdown
 * or mentions is the embed's job). The parser is a single pass over the lines with a small state machine; values
 * are parsed only for the handful of labelled lines.
 *
 * Decisions worth knowing:
 * - `website` is kept only when the value holds a URL or a domain ("Official Facebook | Official Twitter" are link
 *   labels of the original site, not addresses → null). A bare domain gets "https://" so it can be used as a link.
 * - Numbers out of range (rating > 10, critic score > 100, negative votes, impossible years) become null.
 * - Inside a paragraph the original line breaks are kept ("\n"); paragraphs are separated by a blank line ("\n\n").
 * - The cast block is the run of `Name - Role` / `Name -` lines ending the synopsis, decided by the shape of the
 *   whole run rather than line by line (see splitBody): "Name" is at most 7 words without sentence punctuation, and
 *   at least half the block's names must be written as names are (capitalised words, particles like "van", "del"),
 *   the others ("k.d. lang", "**Bold Name**") are kept as written. The seed's synopsis line "…since they were
 *   kids - secrets, …" is not a credit: its dash is far beyond any name.
 * - Before the synopsis, any short `Label: value` line (at most 4 words before the colon) that is not a known label
 *   is skipped, so "Original Title: …" or "Motto: Friends - forever" never becomes the logline or a cast member.
 *   The price: a logline shaped like "Paris Nights: a story of …" is taken for a label and dropped.
 * - The labels of links and other names (IMDb, Poster, Trailer, Tagline, Also Known As, Certificate, Keywords) are
 *   read wherever they stand and, like unknown labels, do not end the header: a logline after "Also Known As: …" is
 *   still the logline. `IMDb:` takes an id ("tt0133093") or an IMDb title URL; `Poster:` and `Trailer:` only an
 *   https URL (anything else is no address a card can use).
 * - Lists are split on "," and "|"; repeats within one line are dropped (case-insensitive).
 * - What is not a film page is refused (PageError), so that junk in the data folder never becomes a film: markup (a
 *   saved web page, an XML file), and text without a single film field — no known `Label: value` line, cast block,
 *   date line, technical specs, trivia or review (a moderator's notes.txt). A page that is only a title (perhaps
 *   repeated) is kept, as a film with nothing else, with a warning: it names a film, but someone should look at it.
 */
import { decodeHTMLStrict } from "entities";
import {
  emptyFilm,
  isHttpsUrl,
  isImdbId,
  MAX_FILM_YEAR,
  MIN_FILM_YEAR,
  type CastMember,
  type Film,
  type Rating,
} from "../film.js";
import { monthNumber } from "../../format.js";
import { filmId, normalizeText } from "../normalize.js";

/** A page that cannot be read as a film; `reason` is a short, human message ("empty file", "binary content"). */
export class PageError extends Error {
  override readonly name = "PageError";
  readonly reason: string;
  readonly source: string;

  constructor(reason: string, source: string) {
    super(reason);
    this.reason = reason;
    this.source = source;
  }
}

/** A first line longer than this is a paragraph or garbage, not a title. */
const MAX_TITLE_LENGTH = 300;
/** A label is short ("Filming Locations"); a colon further into the line belongs to a sentence. */
const MAX_LABEL_LENGTH = 40;
/** Labelled values longer than this are garbage; only their start is parsed. */
const MAX_VALUE_LENGTH = 1000;

/**
 * Where the parser keeps the values many films repeat — people, roles, countries, languages, genres — so that a catalog
 * holds each once. The loader passes one for a whole load; without one, every film has its own copies.
 */
export interface StringPool {
  share(text: string): string;
}

const NO_POOL: StringPool = { share: (text) => text };

/**
 * How much of a page to read. "summary" is what the catalog's index, lists and merge read of a film kept as its page
 * (see page-film.ts) — id, title, year, rating, directors, stars, cast, genres, trivia, IMDb id, alternate titles —
 * and leaves synopsis, review, technical specs, countries, languages, website, filming locations, critic score,
 * runtime and the other rich fields (poster, trailer, tagline, certification, keywords) empty: the page workers
 * parse 100,000 pages at start, and a member only ever sees a film parsed in full. Every field a summary keeps is
 * exactly what the full parse gives (a fuzz test holds the two to it).
 */
export type PageDetail = "full" | "summary";

/** Reads a page; why a page kept as a film is doubtful ("only a title line, …") is added to `warnings`. */
export function parsePage(
  text: string,
  source: string,
  pool: StringPool = NO_POOL,
  detail: PageDetail = "full",
  warnings?: string[],
): Film {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  assertReadableText(content, source);
  // Old Mac files end lines with a lone CR; everything else splits on LF (and the CR of CRLF is trimmed away).
  const lines = content.includes("\n") || !content.includes("\r") ? content.split("\n") : content.split("\r");
  return parseLines(lines, source, pool, detail, warnings);
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The same as parsePage for a page still in bytes (UTF-8), as the loader reads it. Each line is decoded on its own,
 * on purpose: V8 keeps a substring as a view of its parent string, so fields cut from one decoded page would keep
 * the whole page text alive: a page's size per film, a large share of a big catalog's memory.
 */
export function parsePageBytes(
  bytes: Uint8Array,
  source: string,
  pool: StringPool = NO_POOL,
  detail: PageDetail = "full",
  warnings?: string[],
): Film {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  if (buffer.indexOf(0, start) !== -1) throw new PageError("binary content", source);
  const separator = buffer.indexOf(LF, start) !== -1 || buffer.indexOf(CR, start) === -1 ? LF : CR;
  const lines: string[] = [];
  let replacements = 0;
  let characters = 0;
  for (let from = start; from <= buffer.length;) {
    let to = buffer.indexOf(separator, from);
    if (to === -1) to = buffer.length;
    const line = buffer.toString("utf8", from, to);
    lines.push(line);
    characters += line.length;
    if (line.includes("\ufffd")) replacements += countOccurrences(line, "\ufffd");
    from = to + 1;
  }
  if (characters === 0 || lines.every((line) => line.trim() === "")) throw new PageError("empty file", source);
  if (replacements > 0) {
    const text = lines.join("\n");
    if (isSingleByteText(buffer, start, text))
      return parsePage(WINDOWS_1252.decode(buffer.subarray(start)), source, pool, detail, warnings);
    assertReadableText(text, source);
  }
  return parseLines(lines, source, pool, detail, warnings);
}

const WINDOWS_1252 = new TextDecoder("windows-1252");

/**
 * A page saved in Windows-1252 / Latin-1 ("Am\xe9lie"): not one valid UTF-8 sequence beyond ASCII, a few bytes above
 * 0x7f, no control bytes. Binary data fails the last two; a UTF-8 page with one corrupted byte fails the first, and
 * keeps its accents.
 */
function isSingleByteText(bytes: Uint8Array, start: number, decoded: string): boolean {
  for (let i = 0; i < decoded.length; i++) {
    const code = decoded.charCodeAt(i);
    if (code > 0x7f && code !== 0xfffd) return false;
  }
  let high = 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) high++;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) return false;
    else if (byte === 0x7f) return false;
  }
  return high / Math.max(1, bytes.length - start) < 0.2;
}

function parseLines(
  lines: readonly string[],
  source: string,
  pool: StringPool,
  detail: PageDetail,
  warnings: string[] | undefined,
): Film {
  const titleLine = findTitleLine(lines, source);
  const reader = new PageReader(cleanTitle(withoutEntities(lines[titleLine]!)), source, pool, detail === "full");
  for (let i = titleLine + 1; i < lines.length; i++) reader.read(withoutEntities(lines[i]!).trim());
  const film = reader.finish();
  if (!reader.hasFilmField()) {
    if (reader.hasText()) throw new PageError(NO_FILM_FIELDS, source);
    warnings?.push(ONLY_A_TITLE);
  }
  return film;
}

const NO_FILM_FIELDS = "not a film page: no film fields (no labelled line, cast, date line, trivia or review)";
const ONLY_A_TITLE = "only a title line, no film fields";

/** Scraped text keeps some HTML entities ("Bill &amp; Ted&#39;s"); only well-formed ones, so "R&D;" stays as is. */
function withoutEntities(line: string): string {
  const amp = line.indexOf("&");
  return amp === -1 || line.indexOf(";", amp) === -1 ? line : decodeHTMLStrict(line);
}

// ─── Readability ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Control characters other than tab / line feed / form feed / carriage return: their presence means bytes, not text.
 */
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0001-\u0008\u000e-\u001f\u007f]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, "g");

/**
 * Binary files show as NUL bytes or, decoded as UTF-8, as U+FFFD replacement characters (a stray one is a typo;
 * many mean the file is not text). Control characters count too, but only once a replacement character raised
 * doubt: scanning every page for them with a regex costs more than the rest of the check.
 */
function assertReadableText(text: string, source: string): void {
  if (text.trim() === "") throw new PageError("empty file", source);
  if (text.includes("\u0000")) throw new PageError("binary content", source);
  const replacements = countOccurrences(text, "\ufffd");
  if (replacements === 0) return;
  const suspicious = replacements + (text.match(CONTROL_CHARACTERS)?.length ?? 0);
  if (suspicious / text.length > 0.1 || (suspicious >= 16 && suspicious / text.length > 0.02)) {
    throw new PageError("binary content", source);
  }
}

function countOccurrences(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) count++;
  return count;
}

// ─── Title ──────────────────────────────────────────────────────────────────────────────────────────────────────

const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function findTitleLine(lines: readonly string[], source: string): number {
  const index = lines.findIndex((line) => line.trim() !== "");
  const line = index === -1 ? "" : lines[index]!.trim();
  const markup = markupOf(line);
  if (markup !== undefined) throw new PageError(`not a film page: ${markup}`, source);
  if (line.length > MAX_TITLE_LENGTH)
    throw new PageError(`no title line (first line is ${line.length} characters long)`, source);
  if (!HAS_LETTER_OR_DIGIT.test(line)) throw new PageError("no title line", source);
  // A title shaped like a label ("Country: A Story") is still the title when the page's date line follows it.
  if (startsLikeABody(line) && !followedByDateLine(lines, index)) {
    throw new PageError(`no title line (the page starts with "${line.slice(0, 40)}")`, source);
  }
  return index;
}

/**
 * How a saved web page or an XML file begins: `<!DOCTYPE html>`, `<html lang="en">`, `<!-- saved from url… -->`,
 * `<?xml version="1.0"?>`. Only document starts count: a title may begin with "<" ("<3 Love").
 */
const HTML_START = /^<(?:!doctype\s+html|!--|(?:html|head|body|meta|title|link|script|style|div)(?=[\s>/]|$))/i;
const XML_START = /^<(?:\?xml|!doctype|(?:rss|feed|svg)(?=[\s>/]|$))/i;

/** "an HTML document" or "an XML document" when the first line starts one. */
function markupOf(line: string): string | undefined {
  if (line.charCodeAt(0) !== 60) return undefined;
  const head = line.slice(0, 32);
  if (HTML_START.test(head)) return "an HTML document";
  return XML_START.test(head) ? "an XML document" : undefined;
}

function followedByDateLine(lines: readonly string[], index: number): boolean {
  for (let i = index + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line !== "") return parseDate(line)?.iso != null;
  }
  return false;
}

/**
 * A first line that is a known label, a multi-word section heading or a full date means the title line is missing.
 * Titles that merely look similar stay titles: "Mission: Impossible" (unknown label), "1917", "May 1968", "Trivia".
 */
function startsLikeABody(line: string): boolean {
  if (labelOf(line)?.field !== undefined) return true;
  if (headingOf(line) !== undefined && line.includes(" ")) return true;
  return (parseDate(line)?.iso ?? null) !== null;
}

function cleanTitle(line: string): string {
  const printable = CONTROL_CHARACTER.test(line) ? line.replace(CONTROL_CHARACTERS, "") : line;
  return /\s\s|[\t\n\v\f\r]/.test(printable) ? printable.replace(/\s+/g, " ").trim() : printable.trim();
}

/**
 * What a scraped title line carries besides the title: the site's name ("Heat (1995) - IMDb") and the year as a
 * disambiguation ("Heat (1995)", "Heat (TV Movie 1995)"). The year is the film's year, not part of its name.
 */
const SITE_SUFFIX = /\s[-–—|]\s+imdb$/i;
const YEAR_SUFFIX = /\((?:(?:tv movie|tv film|video|film)\s+)?(\d{4})\)$/i;

/** Both suffixes are short: the patterns only ever see a line's last characters, so a huge line costs nothing. */
export function splitTitleYear(line: string): { title: string; year: number | null } {
  const title = withoutTail(line, SITE_SUFFIX, 16);
  if (!title.endsWith(")")) return { title, year: null };
  const tail = title.slice(-24);
  const match = YEAR_SUFFIX.exec(tail);
  const cut = match === null ? 0 : title.length - tail.length + match.index;
  const year = match === null ? null : Number(match[1]);
  if (cut === 0 || year === null || year < MIN_FILM_YEAR || year > MAX_FILM_YEAR) return { title, year: null };
  return { title: title.slice(0, cut).trimEnd(), year };
}

function withoutTail(line: string, pattern: RegExp, tailLength: number): string {
  const tail = line.slice(-tailLength);
  const match = pattern.exec(tail);
  return match === null ? line : line.slice(0, line.length - tail.length + match.index).trimEnd();
}

// ─── Line classification ────────────────────────────────────────────────────────────────────────────────────────

type Field =
  | "year"
  | "rating"
  | "criticScore"
  | "directors"
  | "stars"
  | "runtime"
  | "genres"
  | "website"
  | "countries"
  | "languages"
  | "releaseDate"
  | "filmingLocations"
  | "imdbId"
  | "poster"
  | "trailer"
  | "tagline"
  | "alternateTitles"
  | "certification"
  | "keywords";

/** Label spellings (lower case, apostrophes dropped, single spaces) → field. */
const KNOWN_LABELS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ["release year", "year"],
  ["year", "year"],
  ["rating", "rating"],
  ["imdb rating", "rating"],
  ["critics score", "criticScore"],
  ["critic score", "criticScore"],
  ["critics scores", "criticScore"],
  ["metascore", "criticScore"],
  ["director", "directors"],
  ["directors", "directors"],
  ["directed by", "directors"],
  ["star", "stars"],
  ["stars", "stars"],
  ["starring", "stars"],
  ["runtime", "runtime"],
  ["run time", "runtime"],
  ["running time", "runtime"],
  ["genre", "genres"],
  ["genres", "genres"],
  ["official website", "website"],
  ["official websites", "website"],
  ["official site", "website"],
  ["official sites", "website"],
  ["website", "website"],
  ["country", "countries"],
  ["countries", "countries"],
  ["country of origin", "countries"],
  ["language", "languages"],
  ["languages", "languages"],
  ["release date", "releaseDate"],
  ["release dates", "releaseDate"],
  ["filming location", "filmingLocations"],
  ["filming locations", "filmingLocations"],
  ["imdb", "imdbId"],
  ["imdb id", "imdbId"],
  ["imdb link", "imdbId"],
  ["imdb url", "imdbId"],
  ["imdb page", "imdbId"],
  ["poster", "poster"],
  ["poster url", "poster"],
  ["poster image", "poster"],
  ["trailer", "trailer"],
  ["trailer url", "trailer"],
  ["official trailer", "trailer"],
  ["tagline", "tagline"],
  ["taglines", "tagline"],
  ["also known as", "alternateTitles"],
  ["aka", "alternateTitles"],
  ["a.k.a.", "alternateTitles"],
  ["a.k.a", "alternateTitles"],
  ["alternate title", "alternateTitles"],
  ["alternate titles", "alternateTitles"],
  ["alternative title", "alternateTitles"],
  ["alternative titles", "alternateTitles"],
  ["certificate", "certification"],
  ["certificates", "certification"],
  ["certification", "certification"],
  ["rated", "certification"],
  ["mpaa rating", "certification"],
  ["content rating", "certification"],
  ["keyword", "keywords"],
  ["keywords", "keywords"],
  ["plot keywords", "keywords"],
]);

/**
 * The labelled fields a summary reads (see PageDetail): the year's sources, the rating, the people, the genres, the
 * IMDb id, which the merge reads (two records of one IMDb id are one film), and the other titles, which search reads.
 */
const SUMMARY_FIELDS: ReadonlySet<Field> = new Set<Field>([
  "year",
  "rating",
  "directors",
  "stars",
  "genres",
  "releaseDate",
  "imdbId",
  "alternateTitles",
]);

/** Fields that come after the cast block: seeing one means the synopsis and cast are over. */
const FOOTER_FIELDS: ReadonlySet<Field> = new Set<Field>([
  "website",
  "countries",
  "languages",
  "releaseDate",
  "filmingLocations",
]);

/**
 * Fields pages put anywhere, the one before the logline as much as after the cast: seeing one says nothing of where
 * on the page the reader is (it neither ends the header's labels nor starts the footer).
 */
const LOOSE_FIELDS: ReadonlySet<Field> = new Set<Field>([
  "imdbId",
  "poster",
  "trailer",
  "tagline",
  "alternateTitles",
  "certification",
  "keywords",
]);

type Heading = "specs" | "trivia" | "review" | "end";

const HEADINGS: ReadonlyMap<string, Heading> = new Map<string, Heading>([
  ["technical specs", "specs"],
  ["technical specifications", "specs"],
  ["did you know?", "trivia"],
  ["did you know", "trivia"],
  ["trivia", "trivia"],
  ["user review", "review"],
  ["user reviews", "review"],
  ["review", "review"],
]);

interface LabelLine {
  /** The label as written, trimmed ("Aspect Ratio"). */
  label: string;
  /** Undefined for labels the page format does not define (kept out of the cast and the logline). */
  field: Field | undefined;
  value: string;
}

/** The label key: "Critic's  Score" → "critics score", "Genre(s)" → "genres". */
function labelKey(label: string): string {
  return label.toLowerCase().replace(/['’]/g, "").replace(/\(s\)/g, "s").replace(/\s+/g, " ").trim();
}

/** A short label made of words ("Aspect Ratio", "Also Known As"): not a sentence that happens to hold a colon. */
const LABEL_SHAPE = /^\p{L}[\p{L}\p{M}'’ ()&./-]*$/u;

/** `Label: value`, or undefined when the line is not shaped like one. */
function labelOf(line: string): LabelLine | undefined {
  const colon = line.indexOf(":");
  if (colon <= 0 || colon > MAX_LABEL_LENGTH) return undefined;
  const label = line.slice(0, colon).trim();
  if (!LABEL_SHAPE.test(label) || wordCount(label) > 4) return undefined;
  // "https://…" is a value, not a label called "https".
  if (line.startsWith("//", colon + 1)) return undefined;
  // Most labels are spelled exactly as expected; the full key folding is for the odd ones.
  const field = KNOWN_LABELS.get(label.toLowerCase()) ?? KNOWN_LABELS.get(labelKey(label));
  return { label, field, value: line.slice(colon + 1).trim() };
}

function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) === 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Lower-case first letters of the headings and of "Comments are closed": a cheap filter before any string work. */
const HEADING_INITIALS = "tdurc";

function headingOf(line: string): Heading | undefined {
  // `| 0x20` lower-cases an ASCII letter without allocating a string.
  if (line.length > 40 || !HEADING_INITIALS.includes(String.fromCharCode(line.charCodeAt(0) | 0x20))) return undefined;
  // Cast lines ("Drew Barrymore - Jess") and labels ("Country: UK") are most of the short lines; headings are neither.
  if (line.includes(" - ")) return undefined;
  const colon = line.indexOf(":");
  if (colon !== -1 && colon !== line.length - 1) return undefined;
  let key = line.toLowerCase();
  if (key.includes("  ") || key.includes("\t")) key = key.replace(/\s+/g, " ");
  if (key.endsWith(":")) key = key.slice(0, -1).trimEnd();
  if (key.startsWith("comments are closed")) return "end";
  return HEADINGS.get(key);
}

/**
 * Headings some pages put over the synopsis or the cast ("Storyline", "Cast overview, first billed only:"): they
 * are not text of the film. What follows a comma or an opening bracket is the heading's own aside.
 */
const BODY_HEADINGS: ReadonlySet<string> = new Set([
  "storyline",
  "story line",
  "plot",
  "plot summary",
  "plot synopsis",
  "synopsis",
  "summary",
  "story",
  "cast",
  "full cast",
  "cast overview",
  "top cast",
  "cast list",
  "cast & crew",
  "full cast & crew",
]);

const MAX_BODY_HEADING_LENGTH = 20;

function isBodyHeading(line: string): boolean {
  if (line.length > 60 || line.includes(" - ")) return false;
  const first = line.charCodeAt(0) | 0x20;
  // s(toryline/ynopsis/ummary/tarring), p(lot), c(ast), f(ull cast), t(op cast): a cheap filter before any string work.
  if (first !== 115 && first !== 112 && first !== 99 && first !== 102 && first !== 116) return false;
  // "Cast:" or "Cast overview, first billed only:" are headings; "Stars: …" or "Story: a man returns…" are labels.
  const colon = line.indexOf(":");
  if (colon !== -1 && colon !== line.length - 1) return false;
  let end = 0;
  while (end < line.length && line[end] !== "," && line[end] !== "(" && line[end] !== ":") end++;
  if (end > MAX_BODY_HEADING_LENGTH) return false;
  const key = line.slice(0, end).trim().toLowerCase();
  return BODY_HEADINGS.has(key.includes("  ") ? key.replace(/\s+/g, " ") : key);
}

const NOISE_LINES: ReadonlySet<string> = new Set(["no valid json found", "no valid json found."]);

function isNoise(line: string): boolean {
  const first = line.charCodeAt(0);
  return (first === 78 || first === 110) && line.length < 30 && NOISE_LINES.has(line.toLowerCase());
}

/** "See more »", "See full summary »": links of the original site glued to the end of a text. */
const SEE_MORE_LINKS = ["see more", "see full summary", "see full synopsis", "read more"];
const LINK_ARROWS = ["»", "&raquo;", ">>"];

/** The text without a trailing link label; string checks only, as a regex here can backtrack on huge lines. */
function withoutSeeMore(text: string): string {
  let end = text;
  for (const arrow of LINK_ARROWS) if (end.endsWith(arrow)) end = end.slice(0, -arrow.length).trimEnd();
  const tail = end.slice(-20).toLowerCase();
  const link = SEE_MORE_LINKS.find((label) => tail.endsWith(label));
  if (link === undefined) return text;
  return end.slice(0, -link.length).trimEnd();
}

/** A line that is only a link of the original site ("See full cast & crew »"). */
function isLinkLine(line: string): boolean {
  return line.endsWith("»") && /^see\b/i.test(line);
}

// ─── Cast lines ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Lower-case words that belong inside names ("Ludwig van Beethoven", "Benicio del Toro"). */
const NAME_PARTICLES: ReadonlySet<string> = new Set([
  "de",
  "da",
  "di",
  "do",
  "dos",
  "das",
  "du",
  "del",
  "della",
  "der",
  "den",
  "des",
  "la",
  "le",
  "van",
  "von",
  "ter",
  "ten",
  "y",
  "e",
  "bin",
  "ibn",
  "al",
  "el",
  "zu",
  "af",
  "av",
  "st.",
]);
const CAST_SEPARATORS = [" - ", " – ", " — "];
const MAX_NAME_LENGTH = 80;

/** A line shaped like a credit. */
interface CastLine {
  name: string;
  role: string | null;
  /** The name is written as names are ("Drew Barrymore", "Benicio del Toro", "章子怡"), not "k.d. lang". */
  named: boolean;
}

/** `Name - Role` or `Name -`; undefined when the line is not shaped like a credit (a sentence, a label). */
function castLineOf(line: string): CastLine | undefined {
  const at = castSeparatorAt(line);
  // Sentences are long: checking the length before slicing spares a string per synopsis line.
  if (at <= 0 || at > MAX_NAME_LENGTH + 2) return undefined;
  const name = withoutCreditNote(line.slice(0, at).trim());
  const shape = nameShape(name);
  if (shape === NOT_A_NAME) return undefined;
  const role = line.slice(at + 3).trim();
  return { name, role: role === "" ? null : role, named: shape === WRITTEN_AS_A_NAME };
}

/**
 * Where " - " (or an en / em dash) separates name and role; -1 when it does not. Every separator is 3 characters,
 * including the bare " -" ending "Joanna Bobin -" once trimming ate the space after the dash.
 */
function castSeparatorAt(line: string): number {
  for (const separator of CAST_SEPARATORS) {
    const at = line.indexOf(separator);
    if (at > 0) return at;
  }
  const last = line.charAt(line.length - 1);
  return (last === "-" || last === "–" || last === "—") && line.charAt(line.length - 2) === " " ? line.length - 2 : -1;
}

/** Punctuation of sentences, never of names: ! : ; ? … */
function isSentencePunctuation(code: number): boolean {
  return code === 33 || code === 58 || code === 59 || code === 63 || code === 0x2026;
}

const NOT_A_NAME = 0;
const UNUSUAL_NAME = 1;
const WRITTEN_AS_A_NAME = 2;
type NameShape = typeof NOT_A_NAME | typeof UNUSUAL_NAME | typeof WRITTEN_AS_A_NAME;

/**
 * Up to 7 words with a letter or digit and no sentence punctuation is a name; written as a name when every word is a
 * name word. One pass over the character codes.
 */
function nameShape(name: string): NameShape {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return NOT_A_NAME;
  let words = 0;
  let previous = 32;
  let nameWords = true;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isSentencePunctuation(code)) return NOT_A_NAME;
    const wordStart = code !== 32 && previous === 32;
    previous = code;
    if (!wordStart) continue;
    if (++words > 7) return NOT_A_NAME;
    if (nameWords && !isNameWordAt(name, i)) nameWords = false;
  }
  // A name word holds a letter or digit, or is a particle; "***" has neither.
  if (nameWords) return WRITTEN_AS_A_NAME;
  return HAS_LETTER_OR_DIGIT.test(name) ? UNUSUAL_NAME : NOT_A_NAME;
}

/** The word starting at `start` is a name word; sliced out only in the rare case a capital does not settle it. */
function isNameWordAt(name: string, start: number): boolean {
  const code = name.charCodeAt(start);
  if ((code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return true;
  const end = name.indexOf(" ", start);
  return isNameWord(end === -1 ? name.slice(start) : name.slice(start, end));
}

const OPENING_QUOTES = /^["'“‘(]+/;

/** A name word starts with a capital (or a letter of a script without case, or a digit), or is a particle. */
function isNameWord(word: string): boolean {
  const code = word.charCodeAt(0);
  // ASCII first: nearly every name word is "Drew" or "Barrymore".
  if ((code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return true;
  const bare = code < 97 || code > 122 ? word.replace(OPENING_QUOTES, "") : word;
  const first = bare.charAt(0);
  if (first === "") return false;
  if (first >= "0" && first <= "9") return true;
  const lower = first.toLowerCase();
  const upper = first.toUpperCase();
  if (lower !== first) return true;
  if (upper === first && /\p{L}/u.test(first)) return true;
  return (
    NAME_PARTICLES.has(bare.toLowerCase()) || (bare.length > 1 && (bare.charAt(1) === "'" || bare.charAt(1) === "’"))
  );
}

// ─── Values ─────────────────────────────────────────────────────────────────────────────────────────────────────

const SEPARATOR_CHARACTERS = /[,.\s'’_\u00a0\u202f]/g;

/** "1,234,567" / "1.234.567" / "1 234 567" → 1234567; null for anything that is not a non-negative whole number. */
export function parseCount(text: string): number | null {
  const digits = text.trim().replace(SEPARATOR_CHARACTERS, "");
  if (!/^\d+$/.test(digits)) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

/** "6,6" (decimal comma) → 6.6; null when not a plain number. */
function parseDecimal(text: string): number | null {
  const trimmed = text.trim().replace(",", ".");
  if (!/^-?\d+(?:\.\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

const RATING = /^(-?\d+(?:[.,]\d+)?)\s*(?:\/\s*(\d+(?:[.,]\d+)?))?/;
const VOTES = /(-?\d[\d,.\s'’\u00a0\u202f]*?)\s*([km])?\s*(?:votes?|voted|users?|ratings?)\b/i;
/** A bare count in brackets right after the score: "8.1/10 (1,234,567)", "8.1/10 (1.2M)". */
const BRACKETED_VOTES = /^\s*\(\s*(\d[\d,.\s'’\u00a0\u202f]*?)\s*([km])?\s*\)/i;

/**
 * "6.6/10 (567 voted)", "7/10", "7.5/10 (1,234,567 votes)", "8.3/10 (700K voted)", "8.8/10 (2.1M)"; null when
 * unreadable or out of range.
 */
export function parseRating(value: string): Rating | null {
  const match = RATING.exec(value);
  if (!match) return null;
  const score = parseDecimal(match[1]!);
  const outOf = match[2] === undefined ? 10 : parseDecimal(match[2]);
  if (score === null || outOf !== 10 || score < 0 || score > 10) return null;
  const rest = value.slice(match[0].length);
  const votes = VOTES.exec(rest) ?? BRACKETED_VOTES.exec(rest);
  return { score, outOf: 10, votes: votes ? parseVotes(votes[1]!, votes[2]) : null };
}

/** "1,234" → 1234; with a K or M suffix the number is a decimal ("1.2M", "1,2M" → 1200000, "700K" → 700000). */
function parseVotes(number: string, suffix: string | undefined): number | null {
  if (suffix === undefined) return parseCount(number);
  const value = parseDecimal(number.replace(/[\s'’\u00a0\u202f]/g, ""));
  if (value === null || value < 0) return null;
  return Math.round(value * (suffix.toLowerCase() === "k" ? 1_000 : 1_000_000));
}

/** "46/100", "46", "46%"; null when out of 0–100. */
export function parseCriticScore(value: string): number | null {
  const match = /^(-?\d+(?:[.,]\d+)?)\s*(?:%|\/\s*100\b)?/.exec(value);
  if (!match || /^\s*\/\s*(?!100\b)\d/.test(value.slice(match[0].length))) return null;
  const score = parseDecimal(match[1]!);
  return score !== null && score >= 0 && score <= 100 ? score : null;
}

export function parseYear(value: string): number | null {
  const match = /^(\d{4})\b/.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  return year >= MIN_FILM_YEAR && year <= MAX_FILM_YEAR ? year : null;
}

/** "1h 52min", "112 min", "2 hours", "1 hr 30 mins", "112"; null when unreadable or not a plausible length. */
export function parseRuntime(value: string): number | null {
  const text = value.toLowerCase();
  const hours = /(\d+)\s*h(?:ours?|rs?)?\b|(\d+)\s*h(?=\s*\d)/.exec(text);
  const minutes = /(\d+)\s*m(?:in(?:ute)?s?)?\b/.exec(text);
  let total: number;
  if (hours || minutes) {
    total = Number(hours?.[1] ?? hours?.[2] ?? 0) * 60 + Number(minutes?.[1] ?? 0);
  } else {
    const bare = /^(\d+)$/.exec(text.trim());
    if (!bare) return null;
    total = Number(bare[1]);
  }
  return total >= 1 && total <= 2000 ? total : null;
}

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i;
const MONTH_DAY_YEAR = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const MONTH_YEAR = /^([a-z]+)\.?,?\s+(\d{4})$/i;

export interface ParsedDate {
  /** ISO "YYYY-MM-DD", or null when the day is not known (or the date does not exist). */
  iso: string | null;
  year: number;
}

/**
 * "6 November 2015", "November 6, 2015", "November 6th, 2015", "2015-11-06", with an optional trailing "(UK)";
 * "November 2015" and "2015" give the year only. Null when no date is recognisable.
 */
export function parseDate(value: string): ParsedDate | null {
  if (value.length > 60) return null;
  const text = value.replace(/\s*\([^)]*\)\s*$/, "").trim();
  let match = ISO_DATE.exec(text);
  if (match) return dateOf(Number(match[1]), Number(match[2]), Number(match[3]));
  match = DAY_MONTH_YEAR.exec(text);
  if (match) return dateOf(Number(match[3]), monthOf(match[2]!), Number(match[1]));
  match = MONTH_DAY_YEAR.exec(text);
  if (match) return dateOf(Number(match[3]), monthOf(match[1]!), Number(match[2]));
  match = MONTH_YEAR.exec(text);
  if (match && monthOf(match[1]!) > 0) return yearOnly(Number(match[2]));
  if (/^\d{4}$/.test(text)) return yearOnly(Number(text));
  return null;
}

function monthOf(name: string): number {
  return monthNumber(name) ?? 0;
}

function yearOnly(year: number): ParsedDate | null {
  return year >= MIN_FILM_YEAR && year <= MAX_FILM_YEAR ? { iso: null, year } : null;
}

function dateOf(year: number, month: number, day: number): ParsedDate | null {
  if (month < 1 || month > 12 || year < MIN_FILM_YEAR || year > MAX_FILM_YEAR) return null;
  // Date.UTC rolls 31 April over to 1 May; a round trip tells real dates from impossible ones.
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const iso = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return { iso: real ? iso : null, year };
}

/** "A, B | C" → ["A", "B", "C"], without link labels ("See full cast & crew »") and duplicates. */
export function parseList(value: string): string[] {
  const items: string[] = [];
  const parts = value.includes("|") ? value.replaceAll("|", ",").split(",") : value.split(",");
  for (const part of parts) {
    const item = part.trim();
    if (item === "" || item.endsWith("»") || containsText(items, item)) continue;
    items.push(item);
  }
  return items;
}

/**
 * Case-insensitive membership for the handful of names on one line; the merge compares across records with
 * normalizeText. Comparing lengths first avoids lower-casing anything in the common case of no duplicate.
 */
function containsText(items: readonly string[], item: string): boolean {
  for (const existing of items) {
    if (existing.length === item.length && existing.toLowerCase() === item.toLowerCase()) return true;
  }
  return false;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s|<>"]+/i;
const DOMAIN_PATTERN =
  /(?:^|[\s(])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24})(?:\/[^\s|<>"]*)?)(?=$|[\s),|])/i;

/** The first URL or domain in the value; null when it is only link labels ("Official Facebook | Official Twitter"). */
export function parseWebsite(value: string): string | null {
  const url = URL_PATTERN.exec(value);
  if (url) return url[0].replace(/[.,;]+$/, "");
  const domain = DOMAIN_PATTERN.exec(value);
  // "Mr.Smith" is not a domain: top-level domains are written in lower case, and "www." settles any doubt.
  if (!domain || !(domain[1]!.toLowerCase().startsWith("www.") || domain[2] === domain[2]!.toLowerCase())) return null;
  return `https://${domain[1]!.replace(/[.,;]+$/, "")}`;
}

/** An IMDb title URL, on any of IMDb's hosts and paths ("https://m.imdb.com/fr/title/tt0211915/?ref_=…"). */
const IMDB_TITLE_URL = /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*imdb\.com\/(?:[a-z-]+\/)?title\/(tt\d{1,10})(?!\d)/i;
const BARE_IMDB_ID = /^(tt\d{1,10})(?!\d)/i;

/** "tt0133093", from the id itself or an IMDb title URL; null for anything else. */
export function parseImdbId(value: string): string | null {
  const match = BARE_IMDB_ID.exec(value) ?? IMDB_TITLE_URL.exec(value);
  const id = match?.[1]?.toLowerCase();
  return id !== undefined && isImdbId(id) ? id : null;
}

/** The first URL in the value when it is an https URL a card can use; null otherwise (http, link labels). */
export function parseHttpsUrl(value: string): string | null {
  const url = URL_PATTERN.exec(value)?.[0].replace(/[.,;]+$/, "");
  return url !== undefined && isHttpsUrl(url) ? url : null;
}

// ─── The reader ─────────────────────────────────────────────────────────────────────────────────────────────────

type Section = "header" | "body" | "footer" | Heading;

/** Collects paragraphs: consecutive lines joined by "\n", a blank line closes the paragraph. */
class Paragraphs {
  readonly done: string[] = [];
  private current: string[] = [];

  add(line: string): void {
    this.current.push(line);
  }

  close(): void {
    if (this.current.length > 0) this.done.push(this.current.join("\n"));
    this.current = [];
  }

  result(): string[] {
    this.close();
    return this.done;
  }
}

class PageReader {
  private readonly film: Film;
  /** Computed on first use: most pages repeat the title verbatim, and normalizing costs more than comparing. */
  private normalizedTitle: string | undefined;
  private section: Section = "header";
  private seenHeaderLabel = false;
  private dateLineYear: number | null = null;
  private releaseYear: number | null = null;
  private releaseDateYear: number | null = null;
  /** The year the title line gave ("Heat (1995)"). */
  private readonly titleYear: number | null;
  /** Synopsis and cast lines, "" for a blank line; split apart once the body is over. */
  private readonly bodyLines: string[] = [];
  private readonly trivia = new Paragraphs();
  private readonly review = new Paragraphs();
  /** A line other than the title, its repeats and noise: a page with text but no film field is not a film page. */
  private text = false;
  /** A known label, a date line, a section of the film page (specs, trivia, review); a cast shows after finish(). */
  private filmField = false;

  constructor(
    private readonly titleLine: string,
    source: string,
    private readonly pool: StringPool,
    /** False for a summary (see PageDetail): the texts and lists no index reads are skipped. */
    private readonly full: boolean,
  ) {
    const { title, year } = splitTitleYear(titleLine);
    this.film = emptyFilm(title, source);
    this.titleYear = year;
  }

  /** A list value, its items shared through the pool. */
  private sharedList(value: string): string[] {
    const items = parseList(value);
    for (let i = 0; i < items.length; i++) items[i] = this.pool.share(items[i]!);
    return items;
  }

  /** A list of people, without credit notes: "Lilly Wachowski (as The Wachowski Brothers)" is Lilly Wachowski. */
  private peopleList(value: string): string[] {
    const items = parseList(value);
    for (let i = 0; i < items.length; i++) items[i] = this.pool.share(withoutCreditNote(items[i]!));
    return items.filter((name, i) => name !== "" && items.indexOf(name) === i);
  }

  read(line: string): void {
    if (this.section === "end") return;
    if (line === "") return this.blank();
    const heading = headingOf(line);
    // Inside a review a lone "Trivia" or "Review" is more likely the reviewer's words than a new section.
    if (heading !== undefined && !(this.section === "review" && heading !== "end" && !line.includes(" "))) {
      return this.enter(heading);
    }
    if (isNoise(line)) return;
    if (this.section !== "header") this.text = true;
    switch (this.section) {
      case "header":
        return this.readHeader(line);
      case "body":
        return this.readBody(line);
      case "specs":
        return this.readSpecs(line);
      case "trivia":
        return this.readTrivia(line);
      case "review":
        return this.readReview(line);
      case "footer":
        return this.readFooter(line);
    }
  }

  finish(): Film {
    const film = this.film;
    this.splitBody();
    film.trivia = this.trivia
      .result()
      .map(withoutSeeMore)
      .filter((item) => item !== "");
    const review = this.review.result();
    film.review = review.length > 0 ? review.join("\n\n") : null;
    film.year = this.releaseYear ?? this.titleYear ?? this.releaseDateYear ?? this.dateLineYear;
    film.id = filmId(film.title, film.year);
    if (film.alternateTitles.length > 0) {
      this.normalizedTitle ??= normalizeText(film.title);
      const own = this.normalizedTitle;
      film.alternateTitles = film.alternateTitles.filter((title) => normalizeText(title) !== own);
    }
    return film;
  }

  private blank(): void {
    if (this.section === "body") this.bodyLines.push("");
    else if (this.section === "trivia") this.trivia.close();
    else if (this.section === "review") this.review.close();
  }

  private enter(section: Heading): void {
    if (section !== "end") this.filmField = true;
    this.section = section;
  }

  /** Whether the page had any film field (see filmField), or a cast: after finish(). */
  hasFilmField(): boolean {
    return this.filmField || this.film.cast.length > 0;
  }

  hasText(): boolean {
    return this.text;
  }

  private readHeader(line: string): void {
    if (isBodyHeading(line)) {
      this.section = "body";
      return;
    }
    const label = labelOf(line);
    if (label) {
      // A title shaped like a label ("Mission: Impossible") repeated is still only the title.
      if (line !== this.titleLine) this.text = true;
      // Unknown labels ("Original Title: …") are skipped: they are neither the logline nor the start of the synopsis.
      if (label.field === undefined) return;
      this.applyField(label.field, label.value);
      if (!FOOTER_FIELDS.has(label.field) && !LOOSE_FIELDS.has(label.field)) this.seenHeaderLabel = true;
      return;
    }
    if (this.isRepeatedTitle(line)) return;
    if (this.film.logline === null && !this.seenHeaderLabel) {
      this.text = true;
      const date = this.dateLineYear === null ? parseDate(line) : null;
      if (date !== null) {
        this.dateLineYear = date.year;
        this.filmField = true;
        return;
      }
      const logline = withoutSeeMore(line);
      if (logline !== "") this.film.logline = logline;
      return;
    }
    this.text = true;
    this.section = "body";
    this.readBody(line);
  }

  private isRepeatedTitle(line: string): boolean {
    if (line === this.titleLine || line === this.film.title) return true;
    if (this.film.logline !== null) return false;
    const title = splitTitleYear(line).title;
    if (Math.abs(title.length - this.film.title.length) >= 8) return false;
    this.normalizedTitle ??= normalizeText(this.film.title);
    return normalizeText(title) === this.normalizedTitle;
  }

  private readBody(line: string): void {
    if (isBodyHeading(line)) return;
    const label = labelOf(line);
    if (label?.field !== undefined) {
      // A footer label ("Country:") ends the synopsis and cast; header labels out of place are just applied.
      if (FOOTER_FIELDS.has(label.field)) this.section = "footer";
      this.applyField(label.field, label.value);
      return;
    }
    if (!isLinkLine(line)) this.bodyLines.push(line);
  }

  private readFooter(line: string): void {
    const label = labelOf(line);
    if (label?.field !== undefined) this.applyField(label.field, label.value);
    // Anything else after the cast block and before the next heading is a leftover of the original layout.
  }

  private readSpecs(line: string): void {
    const label = labelOf(line) ?? (this.full ? looseLabelOf(line) : undefined);
    if (!label) return;
    if (label.field !== undefined && label.field !== "runtime") {
      this.applyField(label.field, label.value);
      return;
    }
    if (label.field === "runtime") this.applyField("runtime", label.value);
    // "__proto__" as a key would replace the object's prototype instead of adding a spec.
    if (label.value !== "" && label.label !== "__proto__" && this.full)
      this.film.technicalSpecs[label.label] = label.value;
  }

  private readTrivia(line: string): void {
    const label = labelOf(line);
    if (label?.field !== undefined && FOOTER_FIELDS.has(label.field)) {
      this.section = "footer";
      this.applyField(label.field, label.value);
      return;
    }
    if (!isLinkLine(line)) this.trivia.add(line);
  }

  private readReview(line: string): void {
    // The closing line is sometimes glued to the last sentence of the review.
    const closing = endsWithClosing(line) ? line.toLowerCase().lastIndexOf("comments are closed") : -1;
    if (closing > 0) {
      const text = line.slice(0, closing).trimEnd();
      if (text !== "" && this.full) this.review.add(text);
      this.section = "end";
      return;
    }
    if (this.full) this.review.add(line);
  }

  private applyField(field: Field, rawValue: string): void {
    this.filmField = true;
    if (!this.full && !SUMMARY_FIELDS.has(field)) return;
    const film = this.film;
    // Real values are short; capping them keeps every value parser linear on a garbage megabyte line.
    const value = rawValue.length > MAX_VALUE_LENGTH ? rawValue.slice(0, MAX_VALUE_LENGTH) : rawValue;
    switch (field) {
      case "year":
        this.releaseYear ??= parseYear(value);
        return;
      case "rating":
        film.rating ??= parseRating(value);
        return;
      case "criticScore":
        film.criticScore ??= parseCriticScore(value);
        return;
      case "directors":
        film.directors = mergeLists(film.directors, this.peopleList(value));
        return;
      case "stars":
        film.stars = mergeLists(film.stars, this.peopleList(value));
        return;
      case "runtime":
        film.runtimeMinutes ??= parseRuntime(value);
        return;
      case "genres":
        film.genres = mergeLists(film.genres, this.sharedList(value.replace(/\//g, ",")));
        return;
      case "website":
        film.website ??= parseWebsite(value);
        return;
      case "countries":
        film.countries = mergeLists(film.countries, this.sharedList(value));
        return;
      case "languages":
        film.languages = mergeLists(film.languages, this.sharedList(value));
        return;
      case "releaseDate":
        this.applyReleaseDate(value);
        return;
      case "filmingLocations":
        film.filmingLocations ??= textOf(value);
        return;
      case "imdbId":
        film.imdbId ??= parseImdbId(value);
        return;
      case "poster":
        film.poster ??= parseHttpsUrl(value);
        return;
      case "trailer":
        film.trailer ??= parseHttpsUrl(value);
        return;
      case "tagline":
        film.tagline ??= textOf(value);
        return;
      case "alternateTitles":
        film.alternateTitles = mergeLists(film.alternateTitles, parseList(withoutSeeMore(value)));
        return;
      case "certification": {
        const certification = textOf(value);
        if (certification !== null) film.certification ??= this.pool.share(certification);
        return;
      }
      case "keywords":
        film.keywords = mergeLists(film.keywords, this.sharedList(withoutSeeMore(value)));
        return;
    }
  }

  private applyReleaseDate(value: string): void {
    const date = parseDate(value);
    if (!date) return;
    this.film.releaseDate ??= date.iso;
    this.releaseDateYear ??= date.year;
  }

  /**
   * The body is synopsis paragraphs followed by the cast block, the run of `Name - Role` lines ending it. The block
   * is decided by its shape, so that no one line decides the rest: it starts at the earliest credit from which on at
   * least half the names are written as names are, and the others ("k.d. lang", "**Bold Name**") are credits too,
   * anywhere in the block. An unusual name only opens the block where a paragraph opens and the next credit follows
   * on the next line: a synopsis line that happens to read "the kids - and the rest", run on from the synopsis or
   * standing alone as a paragraph, stays in the synopsis. Blank lines inside the block are skipped.
   */
  private splitBody(): void {
    const lines = this.bodyLines;
    // The run of credit-shaped lines ending the body, last first, and where each is in `lines`.
    const run: CastLine[] = [];
    const at: number[] = [];
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!;
      if (line === "") continue;
      const credit = castLineOf(line);
      if (credit === undefined) break;
      run.push(credit);
      at.push(i);
    }
    let first = -1;
    let named = 0;
    for (let k = 0; k < run.length; k++) {
      const credit = run[k]!;
      if (credit.named) named++;
      if (named * 2 < k + 1) continue;
      const line = at[k]!;
      if (credit.named || (k > 0 && at[k - 1] === line + 1 && (line === 0 || lines[line - 1] === ""))) first = k;
    }
    const cast: CastMember[] = [];
    for (let k = first; k >= 0; k--) {
      const { name, role } = run[k]!;
      // Roles repeat too ("Himself", "Narrator", "Police Officer").
      cast.push({ name: this.pool.share(name), role: role === null ? null : this.pool.share(role) });
    }
    this.film.cast = cast;
    if (!this.full) return;
    const castStart = first === -1 ? lines.length : at[first]!;
    const synopsis = new Paragraphs();
    for (let i = 0; i < castStart; i++) {
      const line = lines[i]!;
      if (line === "") synopsis.close();
      else synopsis.add(line);
    }
    const paragraphs = synopsis
      .result()
      .map(withoutSeeMore)
      .filter((paragraph) => paragraph !== "");
    this.film.synopsis = paragraphs.length > 0 ? paragraphs.join("\n\n") : null;
  }
}

/** A labelled text without a trailing link label; null when nothing is left. */
function textOf(value: string): string | null {
  const text = withoutSeeMore(value);
  return text === "" ? null : text;
}

/** A trailing note in brackets after a credited name: "(as Jim Smith)", "(uncredited)", "(co-director)", "(I)". */
function withoutCreditNote(name: string): string {
  if (!name.endsWith(")")) return name;
  const open = name.lastIndexOf(" (");
  return open > 0 ? name.slice(0, open).trimEnd() : name;
}

function endsWithClosing(line: string): boolean {
  const tail = line.slice(-21).toLowerCase();
  return tail.endsWith("comments are closed.") || tail.endsWith("comments are closed");
}

/** Technical specs keys are free-form ("Sound Mix (2.0)", "Aspect Ratio"); accept any short key before a colon. */
function looseLabelOf(line: string): LabelLine | undefined {
  const colon = line.indexOf(":");
  if (colon <= 0 || colon > MAX_LABEL_LENGTH) return undefined;
  return { label: line.slice(0, colon).trim(), field: undefined, value: line.slice(colon + 1).trim() };
}

/** Appends the new names that are not already there (by normalized form). */
function mergeLists(existing: string[], added: string[]): string[] {
  if (existing.length === 0) return added;
  return [...existing, ...added.filter((item) => !containsText(existing, item))];
}
