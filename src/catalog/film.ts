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
}

/** Everything but the title may be missing from a record read from JSON. */
export type FilmInput = Partial<Omit<Film, "title">> & { title: string };

/** A record with every field present and empty where unknown. */
export function emptyFilm(title: string, source: string): Film {
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

/** Votes, or 0 when unknown: the popularity signal used for ties and for "popular" lists. */
export function votesOf(film: FilmSummary): number {
  return film.rating?.votes ?? 0;
}
