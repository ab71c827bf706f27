/**
 * A TMDb movie (details with the appended sections) as a catalog film record: every Film field in contract order
 * (film.ts), the rich fields (imdbId, tmdbId, poster, tagline, certification, alternateTitles, keywords, trailer,
 * watchProviders) included.
 */
import {
  emptyFilm,
  isImdbId,
  MAX_FILM_YEAR,
  regionCodeOf,
  MIN_FILM_YEAR,
  type CastMember,
  type Film,
  type RichFields,
  type WatchOffers,
} from "../catalog/film.js";
import { filmId, normalizeText } from "../catalog/normalize.js";
import {
  describeIssues,
  watchRegionSchema,
  type CastPayload,
  type MovieDetails,
  type VideoPayload,
  type WatchRegionPayload,
} from "./tmdb-payloads.js";

/** How many of the top-billed cast are the film's stars (as for the IMDb importer). */
export const STAR_COUNT = 3;
export const MAX_ALTERNATE_TITLES = 20;
export const MAX_KEYWORDS = 30;
export const POSTER_BASE = "https://image.tmdb.org/t/p/w500";
export const YOUTUBE_BASE = "https://www.youtube.com/watch?v=";

/** The runtimes the catalog's record validation accepts (records.ts); others are written as unknown. */
const MIN_RUNTIME = 1;
const MAX_RUNTIME = 2000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Release types, as TMDb numbers them: theatrical releases carry the certification people know. */
const THEATRICAL = 3;
const THEATRICAL_LIMITED = 2;

/** The rich fields, as TMDb fills them: the TMDb id always. */
export type TmdbFields = RichFields & { tmdbId: number };

export type TmdbRecord = Film & TmdbFields;

export interface RecordOptions {
  /** ISO 3166-1 code, upper case: certification, alternative titles and watch providers are for this region. */
  region: string;
  /** The records' `source`, the output file's name. */
  source: string;
  /**
   * The catalog film this TMDb film was matched to (--enrich): the record keeps that film's title, year and id, so the
   * loader merges the two; TMDb's own title, when different, becomes the first alternate title.
   */
  catalogFilm?: { id: string; title: string; year: number | null };
}

/** The record, or why the film cannot be one (no title, or malformed offers for the region). */
export function toRecord(movie: MovieDetails, options: RecordOptions): TmdbRecord | string {
  const tmdbTitle = movie.title.trim() || movie.original_title.trim();
  if (tmdbTitle === "") return "TMDb has no title for it";
  const release = isoDate(movie.release_date);
  const tmdbYear = release === null ? null : yearOf(release);
  const catalog = options.catalogFilm;
  const title = catalog?.title ?? tmdbTitle;
  const year = catalog === undefined ? tmdbYear : catalog.year;

  const film = emptyFilm(title, options.source);
  film.id = catalog?.id ?? filmId(title, year);
  film.year = year;
  film.releaseDate = release;
  film.synopsis = textOrNull(movie.overview);
  const votes = movie.vote_count ?? 0;
  film.rating =
    votes > 0 && movie.vote_average !== null && movie.vote_average !== undefined
      ? { score: clamp(movie.vote_average, 0, 10), outOf: 10, votes: Math.round(votes) }
      : null;
  film.directors = distinct((movie.credits?.crew ?? []).filter((member) => member.job === "Director").map(nameOf));
  film.cast = castOf(movie.credits?.cast ?? []);
  film.stars = distinct(film.cast.map((member) => member.name)).slice(0, STAR_COUNT);
  film.countries = distinct(movie.production_countries.map((country) => country.name));
  film.languages = distinct(movie.spoken_languages.map((language) => language.english_name || language.name));
  film.genres = distinct(movie.genres.map(nameOf));
  const runtime = movie.runtime ?? 0;
  film.runtimeMinutes = Number.isInteger(runtime) && runtime >= MIN_RUNTIME && runtime <= MAX_RUNTIME ? runtime : null;
  film.website = textOrNull(movie.homepage);
  // Only in `imdbId`, not also in technicalSpecs["IMDb ID"] as the IMDb importer writes it: the loader reads either.
  const imdbId = imdbIdOf(movie);

  const watchProviders = watchProvidersOf(movie, options.region);
  if (typeof watchProviders === "string") return watchProviders;
  const certifications = certificationsOf(movie);
  const tmdb: TmdbFields = {
    imdbId,
    tmdbId: movie.id,
    poster: movie.poster_path.trim() === "" ? null : `${POSTER_BASE}${movie.poster_path.trim()}`,
    tagline: textOrNull(movie.tagline),
    certification: certifications[options.region] ?? null,
    certifications,
    adult: movie.adult === true,
    alternateTitles: alternateTitlesOf(movie, title, tmdbTitle, options.region),
    keywords: distinct((movie.keywords?.keywords ?? []).map(nameOf)).slice(0, MAX_KEYWORDS),
    trailer: trailerOf(movie.videos?.results ?? []),
    watchProviders,
  };
  return { ...film, ...tmdb };
}

function castOf(cast: readonly CastPayload[]): CastMember[] {
  // A stable sort: members TMDb gives no order keep their place after the ordered ones.
  return cast
    .map((member, index) => ({ member, index }))
    .filter(({ member }) => member.name.trim() !== "")
    .sort((a, b) => (a.member.order ?? Infinity) - (b.member.order ?? Infinity) || a.index - b.index)
    .map(({ member }) => ({ name: member.name.trim(), role: textOrNull(member.character) }));
}

export function imdbIdOf(movie: MovieDetails): string | null {
  for (const candidate of [movie.imdb_id, movie.external_ids?.imdb_id ?? ""]) {
    const id = candidate.trim();
    if (isImdbId(id)) return id;
  }
  return null;
}

/**
 * Each region's certification: theatrical releases first, then the others, each in TMDb's order; the first
 * non-empty. Regions with none are left out.
 */
function certificationsOf(movie: MovieDetails): Record<string, string> {
  const byRegion: Record<string, string> = {};
  for (const { iso_3166_1: code, release_dates: releases } of movie.release_dates?.results ?? []) {
    const region = regionCodeOf(code);
    if (region === null || byRegion[region] !== undefined) continue;
    const ordered = [
      ...releases.filter((release) => isTheatrical(release.type)),
      ...releases.filter((release) => !isTheatrical(release.type)),
    ];
    const certification = ordered.map((release) => release.certification.trim()).find((rating) => rating !== "");
    if (certification !== undefined) byRegion[region] = certification;
  }
  return byRegion;
}

function isTheatrical(type: number | null | undefined): boolean {
  return type === THEATRICAL || type === THEATRICAL_LIMITED;
}

/**
 * The original title when it differs, then TMDb's alternative titles for the region and for the country of the
 * film's original language; distinct by normalized text, never the record's own title, at most MAX_ALTERNATE_TITLES.
 */
function alternateTitlesOf(movie: MovieDetails, title: string, tmdbTitle: string, region: string): string[] {
  const countries = new Set([region]);
  const languageCountry = countryOfLanguage(movie.original_language);
  if (languageCountry !== null) countries.add(languageCountry);
  const candidates = [
    tmdbTitle,
    movie.original_title,
    ...(movie.alternative_titles?.titles ?? [])
      .filter((alternative) => countries.has(alternative.iso_3166_1))
      .map((alternative) => alternative.title),
  ];
  const seen = new Set([normalizeText(title)]);
  const titles: string[] = [];
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    const key = normalizeText(trimmed);
    if (trimmed === "" || seen.has(key)) continue;
    seen.add(key);
    titles.push(trimmed);
    if (titles.length === MAX_ALTERNATE_TITLES) break;
  }
  return titles;
}

/**
 * Languages whose ISO 639-1 code is not the ISO 3166-1 code of the country most of their films come from (for the
 * others, "fr" → "FR", "de" → "DE", the codes coincide). A language spoken in many countries maps to its largest
 * film industry; "cn" is TMDb's code for Cantonese.
 */
const LANGUAGE_COUNTRIES: Readonly<Record<string, string>> = {
  en: "US",
  ja: "JP",
  ko: "KR",
  zh: "CN",
  cn: "HK",
  sv: "SE",
  da: "DK",
  cs: "CZ",
  el: "GR",
  hi: "IN",
  ta: "IN",
  te: "IN",
  ml: "IN",
  kn: "IN",
  bn: "IN",
  mr: "IN",
  pa: "IN",
  ur: "PK",
  uk: "UA",
  fa: "IR",
  he: "IL",
  ar: "EG",
  vi: "VN",
  ka: "GE",
  et: "EE",
  sl: "SI",
  sr: "RS",
  nb: "NO",
  nn: "NO",
  ms: "MY",
  ga: "IE",
  ca: "ES",
  eu: "ES",
  gl: "ES",
  sq: "AL",
  hy: "AM",
  kk: "KZ",
  km: "KH",
  pt: "BR",
  tl: "PH",
  fil: "PH",
  be: "BY",
  bs: "BA",
  lb: "LU",
  af: "ZA",
  sw: "KE",
  xx: "",
};

function countryOfLanguage(language: string): string | null {
  const code = language.trim().toLowerCase();
  if (!/^[a-z]{2,3}$/.test(code)) return null;
  const country = Object.hasOwn(LANGUAGE_COUNTRIES, code) ? LANGUAGE_COUNTRIES[code]! : code.toUpperCase();
  return /^[A-Z]{2}$/.test(country) ? country : null;
}

/** The best YouTube trailer: official ones first, then the larger, then the newer; TMDb's order breaks ties. */
function trailerOf(videos: readonly VideoPayload[]): string | null {
  const trailers = videos
    .map((video, index) => ({ video, index }))
    .filter(({ video }) => video.site === "YouTube" && video.type === "Trailer" && /^[\w-]+$/.test(video.key));
  trailers.sort(
    (a, b) =>
      Number(b.video.official === true) - Number(a.video.official === true) ||
      (b.video.size ?? 0) - (a.video.size ?? 0) ||
      (b.video.published_at > a.video.published_at ? 1 : b.video.published_at < a.video.published_at ? -1 : 0) ||
      a.index - b.index,
  );
  const best = trailers[0];
  return best === undefined ? null : `${YOUTUBE_BASE}${best.video.key}`;
}

/** The region's offers; a string when they do not have TMDb's shape. */
function watchProvidersOf(movie: MovieDetails, region: string): Record<string, WatchOffers> | string {
  const results = movie["watch/providers"]?.results;
  if (results === null || results === undefined || !Object.hasOwn(results, region)) return {};
  const parsed = watchRegionSchema.safeParse(results[region]);
  if (!parsed.success) {
    return `malformed response: watch/providers.results.${region}.${describeIssues(parsed.error)}`;
  }
  const offers = parsed.data;
  return {
    [region]: {
      link: offers.link.trim(),
      streaming: providerNames(offers.flatrate),
      rent: providerNames(offers.rent),
      buy: providerNames(offers.buy),
    },
  };
}

/** Provider names in TMDb's display order (display_priority), each once. */
function providerNames(providers: WatchRegionPayload["flatrate"]): string[] {
  return distinct(
    providers
      .map((provider, index) => ({ provider, index }))
      .sort(
        (a, b) =>
          (a.provider.display_priority ?? Infinity) - (b.provider.display_priority ?? Infinity) || a.index - b.index,
      )
      .map(({ provider }) => provider.provider_name),
  );
}

function nameOf(item: { name: string }): string {
  return item.name;
}

/** Trimmed, blanks dropped, exact repeats dropped, in order. */
function distinct(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed !== "" && !out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

function textOrNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** A valid ISO date within the years the catalog accepts, or null. */
function isoDate(value: string): string | null {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid && year >= MIN_FILM_YEAR && year <= MAX_FILM_YEAR ? value.trim() : null;
}

/** The year of a valid ISO date. */
export function yearOf(isoDateText: string): number {
  return Number(isoDateText.slice(0, 4));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
