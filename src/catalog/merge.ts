/**
 * Merging records that describe the same film. The data folder often holds the same film twice — a scraped page and
 * a JSON record, an IMDb and a TMDb import, or two scrapes — and a catalog with duplicates shows members two
 * identical autocomplete entries.
 *
 * Which records are one film:
 * - Records with the same IMDb id, whatever their titles and years: "Le Fabuleux Destin d'Amélie Poulain" from a page
 *   and "Amélie" from IMDb, or a year that sources put one apart.
 * - Records with the same normalized title and the same year (a remake with another year stays a separate film),
 *   unless both have IMDb ids and these differ: two films of one title and year are two films.
 * - A record without an IMDb id joins the film of that id when the records of its title and year that have one all
 *   have the same; when they have several, it cannot be told which it is, and it stays a film of its own.
 *
 * Rules, field by field:
 * - The richest record (most fields with a value; the earliest on a tie) is the base: its title and id are kept.
 * - Single values: a value wins over null; text (logline, synopsis, review, filming locations) — the longer wins;
 *   rating — the one with more votes wins.
 * - Ids and links (IMDb and TMDb ids, poster, trailer), tagline and certification: the first known, base first.
 * - Lists (directors, stars, countries, languages, genres, trivia, keywords, alternate titles) are unioned in order,
 *   duplicates compared by normalizeText ("Amélie" = "Amelie"). A merged record's title, when it is not the base's,
 *   becomes one of its alternate titles.
 * - Cast members are unioned by name (the same comparison), and their roles too: a known role fills a missing one,
 *   and a role the other record gives besides is added to it, joined with " / " as the IMDb importer joins a person's
 *   characters ("Will Munny / Narrator"); a role that only repeats or shortens a known one ("Walt" beside "Walt
 *   Kowalski") is not.
 * - Watch providers: regions unioned; in a region both know, the first link and the providers of both.
 * - Technical specs: union of keys; the base's value wins for a key both have.
 * - `source`: every distinct source, joined with ", " ("a.txt, b.json"). Decision: the record keeps its full
 *   provenance, so `catalog show` and the JSON output say where each film came from; the merge note lists the
 *   same files as an array for tools.
 */
import type { CastMember, Film, Rating, WatchOffers } from "./film.js";
import { filmId, normalizeText } from "./normalize.js";
import { filmDetails, type LoadedFilm, normalizedTitleOf } from "./pages/page-film.js";
import { ShardedMap } from "./sharded-map.js";
import { int32Array } from "./index-arrays.js";
import { ITEMS_PER_STEP, runSteps, type Steps } from "./steps.js";

export interface MergeNote {
  id: string;
  title: string;
  year: number | null;
  /** The sources of the records that were merged, in load order. */
  files: string[];
}

export interface MergeResult {
  /** One film per IMDb id or title + year, in the order each was first seen. */
  films: LoadedFilm[];
  merges: MergeNote[];
}

export const SOURCE_SEPARATOR = ", ";

export function mergeFilms(films: readonly LoadedFilm[]): MergeResult {
  return runSteps(mergeSteps(films));
}

/**
 * mergeFilms as steps (see steps.ts): at 100,000 films it takes ~0.3 s, which a loading bot spends answering too.
 * Films are told apart by index, in typed arrays and maps of strings the films already hold (their normalized title,
 * IMDb id and id), not by a new key string or group object per film: a merge runs while members search the old
 * catalog, and hundreds of thousands of new short-lived objects meant back-to-back young-generation collections.
 */
export function* mergeSteps(films: readonly LoadedFilm[]): Steps<MergeResult> {
  const count = films.length;
  // The first film of each film's title and year.
  const firstOfKey = int32Array(count);
  // Per title: the first film of the title's only year so far, or the first film of each of its years.
  const byTitle = new ShardedMap<number | Map<number | null, number>>();
  // The IMDb id each title and year belongs to, by its first film; null when records of it have several. An array,
  // not a Map: with an IMDb import every film has an id, and a Map that large holds the event loop when it grows.
  const imdbIdOfKey: (string | null | undefined)[] = Array.from({ length: count });
  for (let i = 0; i < count; i++) {
    const film = films[i]!;
    const title = normalizedTitleOf(film) || film.title;
    const known = byTitle.get(title);
    let first = i;
    if (known === undefined) byTitle.set(title, i);
    else if (typeof known === "number") {
      const year = films[known]!.year;
      if (year === film.year) first = known;
      else
        byTitle.set(
          title,
          new Map([
            [year, known],
            [film.year, i],
          ]),
        );
    } else {
      const firstOfYear = known.get(film.year);
      if (firstOfYear === undefined) known.set(film.year, i);
      else first = firstOfYear;
    }
    firstOfKey[i] = first;
    if (film.imdbId !== null) {
      const imdbId = imdbIdOfKey[first];
      if (imdbId === undefined) imdbIdOfKey[first] = film.imdbId;
      else if (imdbId !== film.imdbId) imdbIdOfKey[first] = null;
    }
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  // The first film of each film's group. A group is an IMDb id's, or else a title and year's films without one; it
  // takes the place of its first film, so films keep their order.
  const firstOfGroup = int32Array(count);
  const firstOfImdbId = new ShardedMap<number>();
  // The first film without an IMDb id of each title and year, plus one (0: none yet), by the key's first film.
  const firstPlainOfKey = int32Array(count);
  // Only the groups of two or more films get a list: a list per film would be 100,000 arrays for nothing.
  const members = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const film = films[i]!;
    const key = firstOfKey[i]!;
    const imdbId = film.imdbId ?? imdbIdOfKey[key] ?? null;
    let first: number;
    if (imdbId !== null) {
      first = firstOfImdbId.get(imdbId) ?? i;
      if (first === i) firstOfImdbId.set(imdbId, i);
    } else {
      first = firstPlainOfKey[key]! - 1;
      if (first === -1) {
        first = i;
        firstPlainOfKey[key] = i + 1;
      }
    }
    firstOfGroup[i] = first;
    if (first !== i) {
      const list = members.get(first);
      if (list === undefined) members.set(first, [first, i]);
      else list.push(i);
    }
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  const merged: LoadedFilm[] = [];
  /** Merged groups, by their position in `merged`: notes are written once ids are final. */
  const mergedGroups = new Map<number, LoadedFilm[]>();
  for (let i = 0; i < count; i++) {
    if (firstOfGroup[i] !== i) continue;
    const list = members.get(i);
    if (list === undefined) merged.push(films[i]!);
    else {
      const group = list.map((index) => films[index]!);
      mergedGroups.set(merged.length, group);
      merged.push(mergeGroup(group));
    }
    // A merge reads its films whole (a page is parsed again): it counts for many plain films.
    if (merged.length % ITEMS_PER_STEP === 0 || list !== undefined) yield;
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
    imdbId: base.imdbId ?? other.imdbId,
    tmdbId: base.tmdbId ?? other.tmdbId,
    poster: base.poster ?? other.poster,
    tagline: base.tagline ?? other.tagline,
    certification: base.certification ?? other.certification,
    certifications: { ...other.certifications, ...base.certifications },
    adult: base.adult || other.adult,
    alternateTitles: unionTexts(base.alternateTitles, [other.title, ...other.alternateTitles], base.title),
    keywords: unionTexts(base.keywords, other.keywords),
    trailer: base.trailer ?? other.trailer,
    watchProviders: unionOffers(base.watchProviders, other.watchProviders),
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

/** `a` and then what `b` adds, compared by normalizeText; never `except` (a film's own title among its others). */
function unionTexts(a: readonly string[], b: readonly string[], except?: string): string[] {
  const seen = new Set(a.map(keyOf));
  if (except !== undefined) seen.add(keyOf(except));
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
  // A person listed twice in `a` (two parts, as some sources list them) keeps both entries; `b` adds to the first.
  const byName = new Map<string, CastMember>();
  for (const member of out) if (!byName.has(keyOf(member.name))) byName.set(keyOf(member.name), member);
  for (const member of b) {
    const known = byName.get(keyOf(member.name));
    if (!known) {
      const copy = { ...member };
      out.push(copy);
      byName.set(keyOf(member.name), copy);
    } else if (member.role !== null) {
      const others = out.filter((entry) => entry !== known && keyOf(entry.name) === keyOf(member.name));
      known.role = unionRole(known.role, member.role, others);
    }
  }
  return out;
}

const ROLE_SEPARATOR = " / ";

/**
 * `known` with `added` joined on, unless `added` says nothing new: a role already there, in this entry or in
 * another entry of the same person (`others`), or a shorter form of one ("Walt" beside "Walt Kowalski"). A longer
 * form replaces the shorter one it contains.
 */
function unionRole(known: string | null, added: string, others: readonly CastMember[]): string | null {
  if (known === null) return added;
  const addedKey = keyOf(added);
  const parts = known.split(ROLE_SEPARATOR);
  const elsewhere = others.map((entry) => keyOf(entry.role ?? "")).filter((key) => key !== "");
  if ([...parts.map(keyOf), ...elsewhere].some((key) => containsWords(key, addedKey))) return known;
  const shorter = parts.findIndex((part) => containsWords(addedKey, keyOf(part)));
  if (shorter !== -1) return parts.map((part, index) => (index === shorter ? added : part)).join(ROLE_SEPARATOR);
  return `${known}${ROLE_SEPARATOR}${added}`;
}

/** Whether the normalized text `whole` holds all of `part`, as whole words in order ("walt kowalski" ⊇ "walt"). */
function containsWords(whole: string, part: string): boolean {
  return part !== "" && ` ${whole} `.includes(` ${part} `);
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

/** Regions of both; for a region both have, the first link and the providers of both. */
function unionOffers(
  a: Readonly<Record<string, WatchOffers>>,
  b: Readonly<Record<string, WatchOffers>>,
): Record<string, WatchOffers> {
  const out: Record<string, WatchOffers> = { ...a };
  for (const [region, offers] of Object.entries(b)) {
    const known = out[region];
    out[region] =
      known === undefined
        ? offers
        : {
            link: known.link ?? offers.link,
            streaming: unionTexts(known.streaming, offers.streaming),
            rent: unionTexts(known.rent, offers.rent),
            buy: unionTexts(known.buy, offers.buy),
          };
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
