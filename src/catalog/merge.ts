/**
 * Merging records that describe the same film: the same normalized title and the same year (a remake with another
 * year stays a separate film). The data folder often holds the same film twice — a scraped page and a JSON record,
 * or two scrapes — and a catalog with duplicates shows members two identical autocomplete entries.
 *
 * Rules, field by field:
 * - The richest record (most fields with a value; the earliest on a tie) is the base: its title and id are kept.
 * - Single values: a value wins over null; text (logline, synopsis, review, filming locations) — the longer wins;
 *   rating — the one with more votes wins.
 * - Lists (directors, stars, countries, languages, genres, trivia) are unioned in order, duplicates compared by
 *   normalizeText ("Amélie" = "Amelie"); cast members are unioned by name, and a known role fills a missing one.
 * - Technical specs: union of keys; the base's value wins for a key both have.
 * - `source`: every distinct source, joined with ", " ("a.txt, b.json"). Decision: the record keeps its full
 *   provenance, so `catalog show` and the JSON output say where each film came from; the merge note lists the
 *   same files as an array for tools.
 */
import type { CastMember, Film, Rating } from "./film.js";
import { filmId, normalizeText } from "./normalize.js";
import { filmDetails, type LoadedFilm, normalizedTitleOf } from "./pages/page-film.js";
import { ShardedMap } from "./sharded-map.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";

export interface MergeNote {
  id: string;
  title: string;
  year: number | null;
  /** The sources of the records that were merged, in load order. */
  files: string[];
}

export interface MergeResult {
  /** One film per title + year, in the order each was first seen. */
  films: LoadedFilm[];
  merges: MergeNote[];
}

export const SOURCE_SEPARATOR = ", ";

/** Films with the same key describe the same film. */
export function mergeKey(film: LoadedFilm): string {
  return `${normalizedTitleOf(film) || film.title}\u0000${film.year ?? ""}`;
}

export function mergeFilms(films: readonly LoadedFilm[]): MergeResult {
  return runSteps(mergeSteps(films));
}

/** mergeFilms as steps (see steps.ts): at 100,000 films it takes ~0.3 s, which a loading bot spends answering too. */
export function* mergeSteps(films: readonly LoadedFilm[]): Steps<MergeResult> {
  // A film alone under its key is stored as itself: a list per film would be 100,000 arrays for nothing.
  // Sharded (see ShardedMap), with the keys in load order beside it: the films keep their order.
  const groups = new ShardedMap<LoadedFilm | LoadedFilm[]>();
  const keys: string[] = [];
  for (let i = 0; i < films.length; i++) {
    const film = films[i]!;
    const key = mergeKey(film);
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, film);
      keys.push(key);
    } else if (Array.isArray(group)) group.push(film);
    else groups.set(key, [group, film]);
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const merged: LoadedFilm[] = [];
  /** Merged groups, by their position in `merged`: notes are written once ids are final. */
  const mergedGroups = new Map<number, LoadedFilm[]>();
  for (const key of keys) {
    const group = groups.get(key)!;
    if (Array.isArray(group)) mergedGroups.set(merged.length, group);
    merged.push(Array.isArray(group) ? mergeGroup(group) : group);
    // A merge reads its films whole (a page is parsed again): it counts for many plain films.
    if (merged.length % ITEMS_PER_STEP === 0 || Array.isArray(group)) yield;
  }
  const unique = yield* withUniqueIds(merged);
  const merges: MergeNote[] = [];
  for (const [index, group] of mergedGroups) {
    const film = unique[index]!;
    merges.push({
      id: film.id,
      title: film.title,
      year: film.year,
      files: distinct(group.map((member) => member.source)),
    });
  }
  return { films: unique, merges };
}

/** Several records of one film → one film; see the rules at the top of this file. */
export function mergeGroup(group: readonly LoadedFilm[]): Film {
  const ranked = group
    .map(filmDetails)
    .map((film, order) => ({ film, order, richness: richnessOf(film) }))
    .sort((a, b) => b.richness - a.richness || a.order - b.order)
    .map((entry) => entry.film);
  let merged = ranked[0]!;
  for (const other of ranked.slice(1)) merged = mergeTwo(merged, other);
  // Sources in load order, not richness order: easier to read next to the merge note.
  merged.source = distinct(group.map((film) => film.source)).join(SOURCE_SEPARATOR);
  return merged;
}

/** A new film: `base` completed and enriched with `other`. Neither input is changed. */
export function mergeTwo(base: Film, other: Film): Film {
  return {
    id: base.id,
    title: base.title,
    year: base.year ?? other.year,
    releaseDate: base.releaseDate ?? other.releaseDate,
    logline: longerText(base.logline, other.logline),
    synopsis: longerText(base.synopsis, other.synopsis),
    rating: moreVoted(base.rating, other.rating),
    criticScore: base.criticScore ?? other.criticScore,
    directors: unionTexts(base.directors, other.directors),
    stars: unionTexts(base.stars, other.stars),
    cast: unionCast(base.cast, other.cast),
    countries: unionTexts(base.countries, other.countries),
    languages: unionTexts(base.languages, other.languages),
    filmingLocations: longerText(base.filmingLocations, other.filmingLocations),
    genres: unionTexts(base.genres, other.genres),
    runtimeMinutes: base.runtimeMinutes ?? other.runtimeMinutes,
    trivia: unionTexts(base.trivia, other.trivia),
    review: longerText(base.review, other.review),
    website: base.website ?? other.website,
    technicalSpecs: unionSpecs(base.technicalSpecs, other.technicalSpecs),
    source: base.source,
  };
}

/** How many fields hold a value: the record that knows the most about the film leads the merge. */
function richnessOf(film: Film): number {
  let count = 0;
  for (const value of Object.values(film)) {
    if (value === null || value === "") continue;
    if (Array.isArray(value) ? value.length > 0 : typeof value !== "object" || Object.keys(value).length > 0) count++;
  }
  return count;
}

function longerText(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.length > a.length ? b : a;
}

function moreVoted(a: Rating | null, b: Rating | null): Rating | null {
  if (a === null) return b;
  if (b === null) return a;
  return (b.votes ?? -1) > (a.votes ?? -1) ? b : a;
}

function keyOf(text: string): string {
  return normalizeText(text) || text;
}

function unionTexts(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a.map(keyOf));
  const out = [...a];
  for (const text of b) {
    const key = keyOf(text);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

function unionCast(a: readonly CastMember[], b: readonly CastMember[]): CastMember[] {
  const out = a.map((member) => ({ ...member }));
  const byName = new Map(out.map((member) => [keyOf(member.name), member]));
  for (const member of b) {
    const known = byName.get(keyOf(member.name));
    if (!known) {
      const copy = { ...member };
      out.push(copy);
      byName.set(keyOf(member.name), copy);
    } else if (known.role === null && member.role !== null) {
      known.role = member.role;
    }
  }
  return out;
}

function unionSpecs(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { ...a };
  const keys = new Set(Object.keys(a).map((key) => key.toLowerCase()));
  for (const [key, value] of Object.entries(b)) {
    if (keys.has(key.toLowerCase())) continue;
    keys.add(key.toLowerCase());
    out[key] = value;
  }
  return out;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Catalog lookups are by id, so ids must be unique. They differ by construction for films with different keys,
 * except when JSON records bring their own ids: a later film whose id is taken gets its computed id, or a numbered
 * one ("-2") if that is taken too. Films are copied, never changed in place.
 */
function* withUniqueIds(films: readonly LoadedFilm[]): Steps<LoadedFilm[]> {
  const used = new ShardedMap<true>();
  const unique: LoadedFilm[] = [];
  for (let i = 0; i < films.length; i++) {
    const film = films[i]!;
    const id = used.has(film.id) ? freeId(film, used) : film.id;
    used.set(id, true);
    unique.push(id === film.id ? film : { ...filmDetails(film), id });
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return unique;
}

function freeId(film: LoadedFilm, used: ShardedMap<true>): string {
  const computed = filmId(film.title, film.year);
  if (!used.has(computed)) return computed;
  for (let n = 2; ; n++) {
    const candidate = `${computed}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
