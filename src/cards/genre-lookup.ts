/**
 * From what a member gave to a genre: the `genre` option's autocomplete (the catalog's genres matching what was
 * typed, each with its film count) and the genre a command was sent with — the catalog's own, case, accents and
 * punctuation aside, or a private answer naming the close ones.
 */
import type { Catalog } from "../catalog/catalog.js";
import type { GenreCount } from "../catalog/genres.js";
import { normalizeText } from "../catalog/normalize.js";
import { boundedEditDistance, boundedPrefixDistance } from "../catalog/search/edit-distance.js";
import { UserFacingError } from "../errors.js";
import { plural } from "../format.js";
import { cleanLine, escapeWithin } from "./escape.js";
import { CHOICE_LIMIT, CHOICE_VALUE_LIMIT, cleanQuery, type LookupChoice } from "./film-lookup.js";
import { LIST_TITLE_LIMIT } from "./film-text.js";
import { AUTOCOMPLETE_CHOICE_NAME_LIMIT, truncate } from "./limits.js";

/** Close genres named when a member sends one the catalog lacks. */
const CLOSE_GENRE_COUNT = 5;
/** Genres named when nothing is close: the largest ones. */
const FALLBACK_GENRE_COUNT = 8;

/** How a genre matches what was typed, best first (see fitOf). */
const FIT = { exact: 0, prefix: 1, wordPrefix: 2, inside: 3, typo: 4 } as const;
type Fit = (typeof FIT)[keyof typeof FIT];

/** Autocomplete choices for a genre option: the largest genres for empty input, matching ones otherwise. */
export function genreChoices(catalog: Catalog, typed: string): LookupChoice[] {
  const query = normalizeText(cleanQuery(typed));
  const genres = query === "" ? catalog.genres : matchingGenres(catalog.genres, query);
  return genres
    .filter((genre) => genre.name.length > 0 && genre.name.length <= CHOICE_VALUE_LIMIT)
    .slice(0, CHOICE_LIMIT)
    .map((genre) => ({ name: genreChoiceName(genre), value: genre.name }));
}

/** "Drama (1,234 films)" within Discord's 100-character choice name, the count always kept. */
export function genreChoiceName(genre: GenreCount): string {
  const tail = ` (${plural(genre.count, "film")})`;
  return truncate(cleanLine(genre.name), AUTOCOMPLETE_CHOICE_NAME_LIMIT - tail.length) + tail;
}

/**
 * The catalog's genre for what a member sent (a pick from the list, or typed: "sci fi" is "Sci-Fi"); otherwise a
 * UserFacingError, shown privately, naming the close genres.
 */
export function requireGenre(catalog: Catalog, typed: string): GenreCount {
  const found = catalog.genre(typed);
  if (found !== undefined) return found;
  const query = normalizeText(cleanQuery(typed));
  const asked = `“${escapeWithin(cleanQuery(typed), LIST_TITLE_LIMIT, { singleLine: true })}”`;
  if (catalog.genres.length === 0) throw new UserFacingError("The catalog's films have no genres listed.");
  const close = closeGenres(catalog.genres, query);
  const lines = [`The catalog has no genre ${asked}.`];
  if (close.length > 0) lines.push(`Close ones: ${close.map(genreLabel).join(", ")}.`);
  else lines.push(`Its genres include ${catalog.genres.slice(0, FALLBACK_GENRE_COUNT).map(genreLabel).join(", ")}.`);
  lines.push("Tip: pick a genre from the list that appears while you type.");
  throw new UserFacingError(lines.join("\n"));
}

/** A genre's name for embeds, escaped and cut. */
export function genreLabel(genre: GenreCount | string): string {
  return escapeWithin(typeof genre === "string" ? genre : genre.name, LIST_TITLE_LIMIT, { singleLine: true });
}

/** Genres matching a normalized query, best fit first, then the largest. */
function matchingGenres(genres: readonly GenreCount[], query: string): GenreCount[] {
  return genres
    .map((genre) => ({ genre, fit: fitOf(normalizeText(genre.name), query) }))
    .filter((entry): entry is { genre: GenreCount; fit: Fit } => entry.fit !== undefined)
    .sort((a, b) => a.fit - b.fit || b.genre.count - a.genre.count)
    .map((entry) => entry.genre);
}

/** How a genre's normalized name matches a normalized query; undefined when it does not. */
function fitOf(key: string, query: string): Fit | undefined {
  if (key === query) return FIT.exact;
  if (key.startsWith(query)) return FIT.prefix;
  if (key.includes(` ${query}`)) return FIT.wordPrefix;
  if (key.includes(query)) return FIT.inside;
  const typos = allowedTypos(query);
  if (typos > 0 && key.split(" ").some((word) => boundedPrefixDistance(query, word, typos) <= typos)) return FIT.typo;
  return undefined;
}

/** Typos forgiven in a query of this length: none in the first letters typed. */
function allowedTypos(query: string): number {
  return query.length >= 7 ? 2 : query.length >= 4 ? 1 : 0;
}

/** Genres close to a query that names none: the autocomplete's matches, else those a few edits away. */
function closeGenres(genres: readonly GenreCount[], query: string): GenreCount[] {
  const matching = query === "" ? [] : matchingGenres(genres, query);
  if (matching.length > 0) return matching.slice(0, CLOSE_GENRE_COUNT);
  const max = Math.max(2, Math.floor(query.length / 3));
  return genres
    .map((genre) => ({ genre, distance: boundedEditDistance(query, normalizeText(genre.name), max) }))
    .filter((entry) => entry.distance <= max)
    .sort((a, b) => a.distance - b.distance || b.genre.count - a.genre.count)
    .slice(0, CLOSE_GENRE_COUNT)
    .map((entry) => entry.genre);
}
