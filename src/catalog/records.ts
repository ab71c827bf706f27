/**
 * Validation of film records read from JSON / JSON Lines files. Only `title` is required; every other field may be
 * missing or null. Unknown fields are ignored (so files can carry extra data), strings are trimmed, empty strings
 * count as missing, and a wrong type or an out-of-range number rejects the record with a message naming the field
 * ("rating.score: expected at most 10") — a catalog author is better told than silently losing a value. Texts and
 * lists past their caps (RECORD_LIMITS) are cut, with a warning; a URL no card can use (not https, too long) is
 * dropped, with a warning, as a cut address would lead nowhere.
 */
import { z } from "zod";
import { detach } from "./compact.js";
import {
  emptyFilm,
  IMDB_ID_SPEC,
  isHttpsUrl,
  isImdbId,
  isRegionCode,
  MAX_FILM_YEAR,
  MIN_FILM_YEAR,
  type CastMember,
  type Film,
  type WatchOffers,
} from "./film.js";
import { filmId } from "./normalize.js";

/** A record that does not describe a film; the message names the offending fields. */
export class RecordError extends Error {
  override readonly name = "RecordError";
}

/** What `filmId` produces: lower-case words of letters and digits joined by single dashes. */
const VALID_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Ids travel inside Discord custom ids (100 characters in all, shared with a prefix). */
const MAX_ID_LENGTH = 80;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The most one record may hold, as pages are capped (2 MB a file): without caps, one record with a synopsis of a few
 * hundred megabytes keeps all of it in memory for as long as the catalog lives.
 *
 * A text or list past its cap is cut to it (a cut text ends in "…") and the load reports a warning; the record is
 * kept. Cutting rather than rejecting: the rest of such a record (title, year, rating, people) is usually sound — one
 * field pasted whole from somewhere else — and no card shows more than a few thousand characters of any text, so the
 * cut loses nothing a member would see, where a rejected record is a film missing from search. Two exceptions: a
 * title past its cap rejects the record, since a cut title is another title and the id is made from it, and an
 * over-long website is dropped, since a cut address leads nowhere. The title's cap is well above a page's title line
 * (300 characters, where a longer first line is a paragraph): in a record the field says it is the title, and long
 * titles exist.
 * Lengths are in UTF-16 code units, as Discord counts them.
 */
const RECORD_LIMITS = {
  title: 1_000,
  logline: 2_000,
  synopsis: 20_000,
  review: 20_000,
  filmingLocations: 2_000,
  /** Website, poster, trailer and watch-provider links. */
  url: 2_000,
  tagline: 1_000,
  certification: 100,
  /** Items of directors, stars, countries, languages, genres, alternate titles, keywords, providers. */
  listItems: 500,
  /** A name in a list, a cast member's name or role. */
  name: 300,
  castMembers: 2_000,
  triviaItems: 500,
  triviaItem: 5_000,
  specs: 100,
  specKey: 300,
  specValue: 2_000,
} as const;

/** A bad record's message names this many problems: a list of 10,000 bad items is one problem told 10,000 times. */
const MAX_LISTED_ISSUES = 5;

/** A trimmed string, or null when missing or blank. */
const optionalText = z
  .string()
  .trim()
  .nullish()
  .transform((value) => (value ? value : null));

/** A list of names or texts: trimmed, blanks dropped, duplicates (by normalized form) dropped. */
const textList = z
  .array(z.string().trim())
  .nullish()
  .transform((values) => uniqueTexts(values ?? []));

const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max).nullish().transform(orNull);

const ratingSchema = z
  .object({
    score: z.number().min(0).max(10),
    outOf: z.literal(10).optional(),
    votes: z.number().int().min(0).nullish(),
  })
  .nullish()
  .transform((rating) => (rating ? { score: rating.score, outOf: 10 as const, votes: rating.votes ?? null } : null));

const castSchema = z
  .array(z.object({ name: z.string().trim().min(1, "must not be empty"), role: optionalText }))
  .nullish()
  .transform((members) => uniqueCast(members ?? []));

const releaseDateSchema = optionalText.refine((value) => value === null || isIsoDate(value), {
  message: 'expected an ISO date like "2015-11-06"',
});

const technicalSpecsSchema = z
  .record(z.string(), z.string().trim())
  .nullish()
  .transform((specs) => cleanSpecs(specs ?? {}));

const imdbIdSchema = optionalText.refine((value) => value === null || isImdbId(value), {
  message: 'expected an IMDb id like "tt0133093"',
});

const watchProvidersSchema = z
  .record(
    z.string().refine(isRegionCode, 'expected a region code like "US"'),
    z.object({ link: optionalText, streaming: textList, rent: textList, buy: textList }),
  )
  .nullish()
  .transform((regions): Record<string, WatchOffers> => regions ?? {});

const certificationsSchema = z
  .record(z.string().refine(isRegionCode, 'expected a region code like "US"'), z.string().trim())
  .nullish()
  .transform((regions) => Object.fromEntries(Object.entries(regions ?? {}).filter(([, rating]) => rating !== "")));

const recordSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(RECORD_LIMITS.title, `longer than ${count(RECORD_LIMITS.title)} characters`),
  id: optionalText,
  year: wholeNumber(MIN_FILM_YEAR, MAX_FILM_YEAR),
  releaseDate: releaseDateSchema,
  logline: optionalText,
  synopsis: optionalText,
  rating: ratingSchema,
  criticScore: z.number().min(0).max(100).nullish().transform(orNull),
  directors: textList,
  stars: textList,
  cast: castSchema,
  countries: textList,
  languages: textList,
  filmingLocations: optionalText,
  genres: textList,
  runtimeMinutes: wholeNumber(1, 2000),
  trivia: textList,
  review: optionalText,
  website: optionalText,
  technicalSpecs: technicalSpecsSchema,
  imdbId: imdbIdSchema,
  tmdbId: wholeNumber(1, Number.MAX_SAFE_INTEGER),
  poster: optionalText,
  tagline: optionalText,
  certification: optionalText,
  certifications: certificationsSchema,
  adult: z
    .boolean()
    .nullish()
    .transform((adult) => adult ?? false),
  alternateTitles: textList,
  keywords: textList,
  trailer: optionalText,
  watchProviders: watchProvidersSchema,
});

/**
 * A Film from one parsed JSON value. `source` (the file it came from) replaces any `source` in the record; the id is
 * recomputed from title and year when missing or not a valid slug. Texts and lists past RECORD_LIMITS are cut, and
 * what was cut is told in one line added to `warnings`. Throws RecordError.
 */
export function recordToFilm(value: unknown, source: string, warnings?: string[]): Film {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RecordError(`expected a film record (an object with a "title"), got ${describeType(value)}`);
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) throw new RecordError(describeIssues(parsed.error.issues));
  const { id, ...fields } = parsed.data;
  // Assigned, not spread into a literal: a literal of two spreads is copied field by field on V8's slow path.
  const film: Film = Object.assign(emptyFilm(fields.title, source), fields);
  film.source = source;
  film.id = id !== null && isValidId(id) ? id : filmId(film.title, film.year);
  const cuts = capFields(film);
  if (cuts.length > 0) warnings?.push(cuts.join("; "));
  // The IMDb importer writes the id there too, and a record may hold it only there.
  const specId = film.technicalSpecs[IMDB_ID_SPEC];
  if (film.imdbId === null && specId !== undefined && isImdbId(specId)) film.imdbId = specId;
  film.alternateTitles = withoutText(film.alternateTitles, film.title);
  return film;
}

// ─── Caps ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Cuts the film's texts and lists to RECORD_LIMITS, in place; what was cut, one phrase per field. */
function capFields(film: Film): string[] {
  const cuts: string[] = [];
  film.logline = capText(film.logline, "logline", RECORD_LIMITS.logline, cuts);
  film.synopsis = capText(film.synopsis, "synopsis", RECORD_LIMITS.synopsis, cuts);
  film.review = capText(film.review, "review", RECORD_LIMITS.review, cuts);
  film.filmingLocations = capText(film.filmingLocations, "filmingLocations", RECORD_LIMITS.filmingLocations, cuts);
  film.website = urlWithinCap(film.website, "website", cuts);
  film.poster = usableUrl(film.poster, "poster", cuts);
  film.trailer = usableUrl(film.trailer, "trailer", cuts);
  film.tagline = capText(film.tagline, "tagline", RECORD_LIMITS.tagline, cuts);
  film.certification = capText(film.certification, "certification", RECORD_LIMITS.certification, cuts);
  for (const [region, rating] of Object.entries(film.certifications)) {
    film.certifications[region] = capText(rating, `certifications.${region}`, RECORD_LIMITS.certification, cuts)!;
  }
  film.directors = capNames(film.directors, "directors", cuts);
  film.stars = capNames(film.stars, "stars", cuts);
  film.cast = capCast(film.cast, cuts);
  film.countries = capNames(film.countries, "countries", cuts);
  film.languages = capNames(film.languages, "languages", cuts);
  film.genres = capNames(film.genres, "genres", cuts);
  film.trivia = capItems(film.trivia, "trivia", RECORD_LIMITS.triviaItems, "items", cuts);
  film.trivia = capEach(film.trivia, "trivia", RECORD_LIMITS.triviaItem, "item", cuts);
  film.technicalSpecs = capSpecs(film.technicalSpecs, cuts);
  film.alternateTitles = capEach(
    capItems(film.alternateTitles, "alternateTitles", RECORD_LIMITS.listItems, "items", cuts),
    "alternateTitles",
    RECORD_LIMITS.title,
    "title",
    cuts,
  );
  film.keywords = capNames(film.keywords, "keywords", cuts);
  for (const [region, offers] of Object.entries(film.watchProviders)) {
    const field = `watchProviders.${region}`;
    offers.link = usableUrl(offers.link, `${field}.link`, cuts);
    offers.streaming = capNames(offers.streaming, `${field}.streaming`, cuts);
    offers.rent = capNames(offers.rent, `${field}.rent`, cuts);
    offers.buy = capNames(offers.buy, `${field}.buy`, cuts);
  }
  return cuts;
}

/** The URL when within its cap; else null, and why it was dropped. */
function urlWithinCap(url: string | null, field: string, cuts: string[]): string | null {
  if (url === null || url.length <= RECORD_LIMITS.url) return url;
  cuts.push(`${field} dropped (${count(url.length)} characters; at most ${count(RECORD_LIMITS.url)})`);
  return null;
}

/** The URL when a card can use it (https, within the cap); else null, and why it was dropped. */
function usableUrl(url: string | null, field: string, cuts: string[]): string | null {
  const kept = urlWithinCap(url, field, cuts);
  if (kept === null || isHttpsUrl(kept)) return kept;
  cuts.push(`${field} dropped (not an https URL)`);
  return null;
}

function capText(text: string | null, field: string, max: number, cuts: string[]): string | null {
  if (text === null || text.length <= max) return text;
  cuts.push(`${field} cut to ${count(max)} characters (was ${count(text.length)})`);
  return cut(text, max);
}

function capNames(names: string[], field: string, cuts: string[]): string[] {
  return capEach(
    capItems(names, field, RECORD_LIMITS.listItems, "items", cuts),
    field,
    RECORD_LIMITS.name,
    "name",
    cuts,
  );
}

function capItems<T>(items: T[], field: string, max: number, noun: string, cuts: string[]): T[] {
  if (items.length <= max) return items;
  cuts.push(`${field} cut to ${count(max)} ${noun} (was ${count(items.length)})`);
  return items.slice(0, max);
}

/** Each text cut to `max`; one phrase for all the texts of a field that were. */
function capEach(texts: string[], field: string, max: number, noun: string, cuts: string[]): string[] {
  let over = 0;
  for (let i = 0; i < texts.length; i++) {
    if (texts[i]!.length <= max) continue;
    texts[i] = cut(texts[i]!, max);
    over++;
  }
  if (over > 0) cuts.push(`${field}: ${count(over)} ${over === 1 ? noun : `${noun}s`} cut to ${count(max)} characters`);
  return texts;
}

function capCast(members: CastMember[], cuts: string[]): CastMember[] {
  const kept = capItems(members, "cast", RECORD_LIMITS.castMembers, "members", cuts);
  let names = 0;
  let roles = 0;
  for (const member of kept) {
    if (member.name.length > RECORD_LIMITS.name) {
      member.name = cut(member.name, RECORD_LIMITS.name);
      names++;
    }
    if (member.role !== null && member.role.length > RECORD_LIMITS.name) {
      member.role = cut(member.role, RECORD_LIMITS.name);
      roles++;
    }
  }
  const max = count(RECORD_LIMITS.name);
  if (names > 0) cuts.push(`cast: ${count(names)} ${names === 1 ? "name" : "names"} cut to ${max} characters`);
  if (roles > 0) cuts.push(`cast: ${count(roles)} ${roles === 1 ? "role" : "roles"} cut to ${max} characters`);
  return kept;
}

function capSpecs(specs: Record<string, string>, cuts: string[]): Record<string, string> {
  let entries = Object.entries(specs);
  const tooMany = entries.length > RECORD_LIMITS.specs;
  let keys = 0;
  let values = 0;
  if (tooMany) {
    cuts.push(`technicalSpecs cut to ${count(RECORD_LIMITS.specs)} entries (was ${count(entries.length)})`);
    entries = entries.slice(0, RECORD_LIMITS.specs);
  }
  for (const entry of entries) {
    if (entry[0].length > RECORD_LIMITS.specKey) {
      entry[0] = cut(entry[0], RECORD_LIMITS.specKey);
      keys++;
    }
    if (entry[1].length > RECORD_LIMITS.specValue) {
      entry[1] = cut(entry[1], RECORD_LIMITS.specValue);
      values++;
    }
  }
  if (keys > 0)
    cuts.push(
      `technicalSpecs: ${count(keys)} ${keys === 1 ? "key" : "keys"} cut to ${count(RECORD_LIMITS.specKey)} characters`,
    );
  if (values > 0)
    cuts.push(
      `technicalSpecs: ${count(values)} ${values === 1 ? "value" : "values"} cut to ${count(RECORD_LIMITS.specValue)} characters`,
    );
  if (!tooMany && keys === 0 && values === 0) return specs;
  // Built again rather than assigned into: the keys were cleaned of "__proto__" already (cleanSpecs).
  return Object.fromEntries(entries);
}

/**
 * The first `max` characters of `text`, the last one "…", never half a surrogate pair; a copy, since a slice of a
 * string keeps the whole string alive in V8, and the whole is what the cap is for.
 */
function cut(text: string, max: number): string {
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return detach(`${text.slice(0, end)}…`);
}

function count(value: number): string {
  return value.toLocaleString("en");
}

export function isValidId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && VALID_ID.test(id);
}

function orNull<T>(value: T | null | undefined): T | null {
  return value ?? null;
}

function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Blanks and case-insensitive repeats dropped. Lower case rather than normalizeText: this runs for every list of
 * every record of a large catalog, and the merge compares across records with normalizeText anyway.
 */
function uniqueTexts(values: string[]): string[] {
  if (values.length === 0) return values;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const key = value.toLowerCase();
    if (value === "" || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** `texts` without `text` (case-insensitively): a film's own title is not another title of it. */
function withoutText(texts: string[], text: string): string[] {
  const key = text.toLowerCase();
  return texts.some((item) => item.toLowerCase() === key) ? texts.filter((item) => item.toLowerCase() !== key) : texts;
}

/** Exact repeats (same name, same role) dropped; one actor in two roles stays twice. */
function uniqueCast(members: CastMember[]): CastMember[] {
  if (members.length === 0) return members;
  const seen = new Set<string>();
  return members.filter((member) => {
    const key = `${member.name.toLowerCase()}\u0000${member.role ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function cleanSpecs(specs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(specs)) {
    const name = key.trim();
    // An own "__proto__" key (JSON.parse creates them) would replace the prototype when assigned.
    if (name === "" || value === "" || name === "__proto__") continue;
    out[name] = value;
  }
  return out;
}

/** The fields a record may have: any other is ignored (see isPlainRecord). */
const RECORD_FIELDS: ReadonlySet<string> = new Set(Object.keys(recordSchema.shape));

/**
 * Whether a parsed record holds only fields the catalog reads: then its JSON, kept as it came, is no bigger than the
 * film made from it, and recordToFilm gives that film again from it (a load worker keeps such a record's line as it
 * was read rather than writing the film out as JSON again).
 */
export function isPlainRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  for (const key in value) if (!RECORD_FIELDS.has(key)) return false;
  return true;
}

/** The first few issues, and how many more there are. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map(describeIssue).join("; ");
  const more = issues.length - MAX_LISTED_ISSUES;
  return more > 0 ? `${listed}; and ${count(more)} more ${more === 1 ? "problem" : "problems"}` : listed;
}

/** "cast[2].name: expected string, received number". */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text === "" ? String(key) : `${text}.${String(key)}`),
    "",
  );
  // A bad key of a record ("watchProviders.us") carries its own message underneath.
  const own = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const message = own.replace(/^Invalid input: /, "").replace(/^Too (?:small|big): /, "");
  return `${path === "" ? "record" : path}: ${message}`;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
