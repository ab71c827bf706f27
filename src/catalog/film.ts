/**
 * The film record. Field names are a contract shared by the catalog CLI's JSON output, the JSON / JSON Lines
 * catalog format, and the bot: rename nothing without changing all three.
 */
/** Years a film can plausibly have: anything else in a data file is a typo or noise, and options accept no other. */
export const MIN_FILM_YEAR = 1870;
export const MAX_FILM_YEAR = 2100;

/** Whether `year` is one a film can have. */
export function isFilmYear(year: number): boolean {
  return Number.isInteger(year) && year >= MIN_FILM_YEAR && year <= MAX_FILM_YEAR;
}

export interface Rating {
  score: number;
  outOf: 10;
  votes: number | null;
}

export interface CastMember {
  name: string;
  role: string | null;
}

/** The region whose watch offers TMDb's import asks for and a card shows, unless told another. */
export const DEFAULT_REGION = "US";

/** ISO 3166-1 alpha-2, upper case, as records key their regions. */
const REGION_CODE = /^[A-Z]{2}$/;

export function isRegionCode(text: string): boolean {
  return REGION_CODE.test(text);
}

/** A region code as a person may type it ("gb", " US "), upper-cased; null for anything but two letters. */
export function regionCodeOf(text: string): string | null {
  const code = text.trim().toUpperCase();
  return isRegionCode(code) ? code : null;
}

/** Where a film can be watched in one region, as TMDb passes on JustWatch's data: provider names, best first. */
export interface WatchOffers {
  /** TMDb's watch page for the film in that region: the link TMDb asks to be given with the offers. */
  link: string | null;
  streaming: string[];
  rent: string[];
  buy: string[];
}

/**
 * What the catalog's index and lists hold of a film: enough for a label, a ranking or a filter. The whole record
 * comes from `Catalog.details(id)`.
 */
export interface FilmSummary {
  readonly id: string;
  readonly title: string;
  readonly year: number | null;
  readonly rating: Rating | null;
  /** The file(s) the record came from (relative to the data folder when loaded from one). */
  readonly source: string;
}

export interface Film {
  /** Stable and unique: slug of title + year, e.g. "miss-you-already-2015". */
  id: string;
  title: string;
  year: number | null;
  /** ISO date, "2015-11-06". */
  releaseDate: string | null;
  /** The one-sentence summary. */
  logline: string | null;
  /** The longer plot text; paragraphs separated by a blank line. */
  synopsis: string | null;
  rating: Rating | null;
  /** 0-100. */
  criticScore: number | null;
  directors: string[];
  stars: string[];
  cast: CastMember[];
  countries: string[];
  languages: string[];
  filmingLocations: string | null;
  genres: string[];
  runtimeMinutes: number | null;
  trivia: string[];
  review: string | null;
  website: string | null;
  technicalSpecs: Record<string, string>;
  /** The file the record came from (relative to the data folder when loaded from one). */
  source: string;
  /** "tt0133093": the film on IMDb; the same id in two records means the same film, whatever their titles. */
  imdbId: string | null;
  /** The film on TMDb: a positive whole number. */
  tmdbId: number | null;
  /** An https URL of the poster image. */
  poster: string | null;
  tagline: string | null;
  /** The age rating ("PG-13", "12A") in the region the record's source was asked for. */
  certification: string | null;
  /** Age ratings by ISO 3166-1 region code ("GB": "12A"), where the source knows them. */
  certifications: Record<string, string>;
  /** An adult (pornographic) title, as IMDb and TMDb flag them. */
  adult: boolean;
  /** Other titles of the film: the original title, titles in other countries. */
  alternateTitles: string[];
  keywords: string[];
  /** An https URL of a trailer. */
  trailer: string | null;
  /** Offers by ISO 3166-1 region code ("US"). */
  watchProviders: Record<string, WatchOffers>;
}

/**
 * The fields that come from film databases (IMDb, TMDb) rather than from every source: an importer that knows none
 * of them writes a PlainFilm, and the loader reads a missing field as empty.
 */
export type RichFields = Pick<
  Film,
  | "imdbId"
  | "tmdbId"
  | "poster"
  | "tagline"
  | "certification"
  | "certifications"
  | "adult"
  | "alternateTitles"
  | "keywords"
  | "trailer"
  | "watchProviders"
>;

/** A film record without the rich fields. */
export type PlainFilm = Omit<Film, keyof RichFields>;

/** Everything but the title may be missing from a record read from JSON. */
export type FilmInput = Partial<Omit<Film, "title">> & { title: string };

/** A record with every field present and empty where unknown, in contract order. */
export function emptyFilm(title: string, source: string): Film {
  // Not a literal spreading both: V8 copies a second spread field by field through its slow path, 40 µs a film.
  return Object.assign(emptyPlainFilm(title, source), emptyRichFields());
}

/** The rich fields, empty, in contract order: after `source`, where the importers have always written them. */
export function emptyRichFields(): RichFields {
  return {
    imdbId: null,
    tmdbId: null,
    poster: null,
    tagline: null,
    certification: null,
    certifications: {},
    adult: false,
    alternateTitles: [],
    keywords: [],
    trailer: null,
    watchProviders: {},
  };
}

/** A plain record with every field present and empty where unknown, in contract order. */
export function emptyPlainFilm(title: string, source: string): PlainFilm {
  return {
    id: "",
    title,
    year: null,
    releaseDate: null,
    logline: null,
    synopsis: null,
    rating: null,
    criticScore: null,
    directors: [],
    stars: [],
    cast: [],
    countries: [],
    languages: [],
    filmingLocations: null,
    genres: [],
    runtimeMinutes: null,
    trivia: [],
    review: null,
    website: null,
    technicalSpecs: {},
    source,
  };
}

/** The technical spec the IMDb importer also writes the IMDb id in, and older records hold it in alone. */
export const IMDB_ID_SPEC = "IMDb ID";

/** IMDb's title ids: "tt" and digits. */
const IMDB_ID = /^tt\d{1,10}$/;

export function isImdbId(text: string): boolean {
  return IMDB_ID.test(text);
}

/**
 * Characters a URL may hold as written (RFC 3986): Discord refuses a link or an image whose address has others (a
 * space, "|", an accent), so a record's URL with any is no address for a card.
 */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/** Whether `text` is an https URL a card can link to or show an image from. */
export function isHttpsUrl(text: string): boolean {
  if (!text.startsWith("https://") || !URI_CHARACTERS.test(text)) return false;
  try {
    return new URL(text).hostname !== "";
  } catch {
    return false;
  }
}

/** The film's age rating in `region` when the record knows it, else the one it was imported with. */
export function certificationIn(film: Pick<Film, "certification" | "certifications">, region: string): string | null {
  // Own keys only: a region read from elsewhere ("__proto__") must not reach Object.prototype.
  return (Object.hasOwn(film.certifications, region) ? film.certifications[region] : undefined) ?? film.certification;
}

/**
 * Ratings that admit adults only: NC-17, X, and any rating of 18 or more ("18", "R18+", "FSK 18"); "18A" and "14A"
 * (Canada: younger viewers with an adult) are not.
 */
const ADULTS_ONLY = /^(?:NC-?17|X+|.*?(?<!\d)(?:1[89]|2\d)\+?)$/i;

/** Whether `/random` and `/top` count the film as rated for adults in `region`: flagged adult, or adults-only there. */
export function isAdultRated(film: Pick<Film, "adult" | "certification" | "certifications">, region: string): boolean {
  if (film.adult) return true;
  const certification = certificationIn(film, region);
  return certification !== null && ADULTS_ONLY.test(certification.trim());
}

/** Votes, or 0 when unknown: the popularity signal used for ties and for "popular" lists. */
export function votesOf(film: FilmSummary): number {
  return film.rating?.votes ?? 0;
}
