/**
 * A fake of TMDb's API v3 for the importer's tests and benchmark: an HTTP server on 127.0.0.1 (a random port) that
 * answers the endpoints the importer uses with TMDb's documented field names and shapes
 * (https://developer.themoviedb.org/reference):
 *
 *   GET /3/movie/{movie_id}?append_to_response=…&language=…   details, plus each appended section requested
 *   GET /3/find/{external_id}?external_source=imdb_id         { movie_results, person_results, tv_results, … }
 *   GET /3/search/movie?query=…&year=…&primary_release_year=…  { page, results, total_pages, total_results }
 *
 * Every request must carry the configured credentials, a v4 token as `Authorization: Bearer …` or a v3 key as the
 * `api_key` query parameter; otherwise 401 with TMDb's error body (status_code 7). An unknown film or path is 404
 * with status_code 34. Faults can be scripted per path (429 with Retry-After, 5xx, 404, a malformed body, a dropped
 * connection), a latency added to every answer, and every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const INVALID_KEY_BODY = {
  success: false,
  status_code: 7,
  status_message: "Invalid API key: You must be granted a valid key.",
};
export const NOT_FOUND_BODY = {
  success: false,
  status_code: 34,
  status_message: "The resource you requested could not be found.",
};
const RATE_LIMIT_BODY = {
  success: false,
  status_code: 25,
  status_message: "Your request count (#) is over the allowed limit of (40).",
};
const SERVER_ERROR_BODY = {
  success: false,
  status_code: 11,
  status_message: "Internal error: Something went wrong, contact TMDB.",
};

/** The sections /movie/{id} can append, by their append_to_response names. */
export const APPENDABLE = [
  "credits",
  "release_dates",
  "videos",
  "alternative_titles",
  "external_ids",
  "keywords",
  "watch/providers",
] as const;
type Section = (typeof APPENDABLE)[number];

/** A film as TMDb holds it: the details payload, and each appendable section's payload. */
export interface FakeMovie {
  details: Record<string, unknown> & { id: number; title: string; original_title: string; release_date: string };
  sections: Record<Section, unknown>;
}

export interface CastInput {
  name: string;
  character?: string;
}

export interface MovieInput {
  id: number;
  title: string;
  /** "1999-03-30"; "" for none. */
  release_date?: string;
  original_title?: string;
  original_language?: string;
  imdb_id?: string | null;
  overview?: string;
  tagline?: string;
  runtime?: number;
  vote_average?: number;
  vote_count?: number;
  popularity?: number;
  homepage?: string;
  genres?: string[];
  cast?: CastInput[];
  directors?: string[];
  /** Release dates for the certification: [country, certification, type]. */
  certifications?: [string, string, number][];
  alternative_titles?: [string, string][];
  keywords?: string[];
  videos?: Partial<FakeVideo>[];
  /** Watch providers by region. */
  providers?: Record<string, { flatrate?: string[]; rent?: string[]; buy?: string[] }>;
}

interface FakeVideo {
  iso_639_1: string;
  iso_3166_1: string;
  name: string;
  key: string;
  site: string;
  size: number;
  type: string;
  official: boolean;
  published_at: string;
  id: string;
}

const GENRE_IDS: Record<string, number> = { Action: 28, Comedy: 35, Crime: 80, Drama: 18, "Science Fiction": 878 };

/** A complete film payload with TMDb's field names; whatever the input leaves out gets a plausible value. */
export function fakeMovie(input: MovieInput): FakeMovie {
  const { id, title } = input;
  const imdbId = input.imdb_id === undefined ? `tt${String(9_000_000 + id).padStart(7, "0")}` : input.imdb_id;
  const releaseDate = input.release_date ?? "2000-01-01";
  const cast = (input.cast ?? [{ name: `Lead of ${title}`, character: "Lead" }]).map((member, order) => ({
    adult: false,
    gender: 2,
    id: id * 100 + order,
    known_for_department: "Acting",
    name: member.name,
    original_name: member.name,
    popularity: 10 - order / 10,
    profile_path: `/cast${id}-${order}.jpg`,
    cast_id: order + 1,
    character: member.character ?? "",
    credit_id: `c${id}x${order}`,
    order,
  }));
  const crew = (input.directors ?? [`Director of ${title}`]).map((name, index) => ({
    adult: false,
    gender: 2,
    id: id * 100 + 50 + index,
    known_for_department: "Directing",
    name,
    original_name: name,
    popularity: 5,
    profile_path: null,
    credit_id: `d${id}x${index}`,
    department: "Directing",
    job: "Director",
  }));
  crew.push({
    adult: false,
    gender: 1,
    id: id * 100 + 99,
    known_for_department: "Writing",
    name: `Writer of ${title}`,
    original_name: `Writer of ${title}`,
    popularity: 2,
    profile_path: null,
    credit_id: `w${id}`,
    department: "Writing",
    job: "Screenplay",
  });
  const releasesByCountry = new Map<string, { certification: string; type: number }[]>();
  for (const [country, certification, type] of input.certifications ?? [["US", "PG-13", 3]]) {
    releasesByCountry.set(country, [...(releasesByCountry.get(country) ?? []), { certification, type }]);
  }
  const providers: Record<string, unknown> = {};
  for (const [region, offers] of Object.entries(input.providers ?? {})) {
    providers[region] = {
      link: `https://www.themoviedb.org/movie/${id}/watch?locale=${region}`,
      ...(offers.flatrate ? { flatrate: providerList(offers.flatrate) } : {}),
      ...(offers.rent ? { rent: providerList(offers.rent) } : {}),
      ...(offers.buy ? { buy: providerList(offers.buy) } : {}),
    };
  }
  return {
    details: {
      adult: false,
      backdrop_path: `/backdrop${id}.jpg`,
      belongs_to_collection: null,
      budget: 1_000_000,
      genres: (input.genres ?? ["Drama"]).map((name) => ({ id: GENRE_IDS[name] ?? 99, name })),
      homepage: input.homepage ?? "",
      id,
      imdb_id: imdbId,
      origin_country: ["US"],
      original_language: input.original_language ?? "en",
      original_title: input.original_title ?? title,
      overview: input.overview ?? `The story of ${title}.`,
      popularity: input.popularity ?? 10,
      poster_path: `/poster${id}.jpg`,
      production_companies: [{ id: 1, logo_path: null, name: "A Studio", origin_country: "US" }],
      production_countries: [{ iso_3166_1: "US", name: "United States of America" }],
      release_date: releaseDate,
      revenue: 2_000_000,
      runtime: input.runtime ?? 101,
      spoken_languages: [{ english_name: "English", iso_639_1: "en", name: "English" }],
      status: "Released",
      tagline: input.tagline ?? "",
      title,
      video: false,
      vote_average: input.vote_average ?? 7.25,
      vote_count: input.vote_count ?? 1234,
    },
    sections: {
      credits: { cast, crew },
      release_dates: {
        results: [...releasesByCountry].map(([iso_3166_1, releases]) => ({
          iso_3166_1,
          release_dates: releases.map(({ certification, type }) => ({
            certification,
            descriptors: [],
            iso_639_1: "",
            note: "",
            release_date: `${releaseDate || "2000-01-01"}T00:00:00.000Z`,
            type,
          })),
        })),
      },
      videos: {
        results: (input.videos ?? []).map((video, index) => ({
          iso_639_1: "en",
          iso_3166_1: "US",
          name: `${title} video ${index + 1}`,
          key: `key${id}v${index}`,
          site: "YouTube",
          size: 1080,
          type: "Trailer",
          official: true,
          published_at: "2020-01-01T00:00:00.000Z",
          id: `v${id}x${index}`,
          ...video,
        })),
      },
      alternative_titles: {
        titles: (input.alternative_titles ?? []).map(([iso_3166_1, alternative]) => ({
          iso_3166_1,
          title: alternative,
          type: "",
        })),
      },
      external_ids: {
        imdb_id: imdbId,
        wikidata_id: null,
        facebook_id: null,
        instagram_id: null,
        twitter_id: null,
      },
      keywords: { keywords: (input.keywords ?? []).map((name, index) => ({ id: id * 10 + index, name })) },
      "watch/providers": { results: providers },
    },
  };
}

/** Providers as TMDb lists them, in display order. */
function providerList(names: string[]): Record<string, unknown>[] {
  return names.map((provider_name, display_priority) => ({
    logo_path: `/logo-${provider_name.length}.jpg`,
    provider_id: 1000 + provider_name.length,
    provider_name,
    display_priority,
  }));
}

/** A scripted answer for the next matching request. */
export type Fault =
  | { status: 429; retryAfter?: string }
  | { status: 404 | 500 | 502 | 503 | 504 }
  /** 200 with a body that is JSON but not TMDb's shape. */
  | { malformed: true }
  /** The connection is closed without an answer. */
  | { drop: true };

export interface RecordedTmdbRequest {
  /** Without the /3 prefix: "/movie/603". */
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeTmdbOptions {
  movies?: readonly FakeMovie[];
  /** The v4 token accepted; "good-token" by default. */
  token?: string;
  /** The v3 key accepted; "good-key" by default. */
  apiKey?: string;
  /** Added to every answer: a fixed delay, or one drawn evenly from [min, max]. */
  latencyMs?: number | { min: number; max: number };
}

export class FakeTmdb {
  readonly requests: RecordedTmdbRequest[] = [];
  private readonly movies = new Map<number, FakeMovie>();
  private readonly faults: { path: string | RegExp; fault: Fault }[] = [];
  private latency: number | { min: number; max: number };

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeTmdbOptions,
  ) {
    for (const movie of options.movies ?? []) this.movies.set(movie.details.id, movie);
    this.latency = options.latencyMs ?? 0;
  }

  static async start(options: FakeTmdbOptions = {}): Promise<FakeTmdb> {
    let fake: FakeTmdb | undefined;
    const server = createServer((request, response) => {
      void fake!.handle(request, response);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTmdb(server, `http://127.0.0.1:${port}/3`, options);
    return fake;
  }

  get token(): string {
    return this.options.token ?? "good-token";
  }

  get apiKey(): string {
    return this.options.apiKey ?? "good-key";
  }

  get requestCount(): number {
    return this.requests.length;
  }

  /** Requests to one path ("/movie/603"). */
  requestsTo(path: string): RecordedTmdbRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  addMovie(movie: FakeMovie): void {
    this.movies.set(movie.details.id, movie);
  }

  /** The next requests whose path equals (or matches) `path` get these answers, one each, in order. */
  failNext(path: string | RegExp, ...faults: Fault[]): void {
    for (const fault of faults) this.faults.push({ path, fault });
  }

  setLatency(latency: number | { min: number; max: number }): void {
    this.latency = latency;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const path = url.pathname.replace(/^\/3(?=\/)/, "");
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedTmdbRequest = { path, query, status: 0 };
    this.requests.push(record);
    await this.wait();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { "content-type": "application/json;charset=utf-8", ...headers });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET")
      return send(405, { success: false, status_code: 4, status_message: "Invalid format" });
    if (!this.authorized(request, url)) return send(401, INVALID_KEY_BODY);
    const fault = this.takeFault(path);
    if (fault !== undefined) {
      if ("drop" in fault) {
        record.status = -1;
        response.socket?.destroy();
        return;
      }
      if ("malformed" in fault) return send(200, { id: "not a number", title: 42 });
      if (fault.status === 429) {
        return send(429, RATE_LIMIT_BODY, fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter });
      }
      return send(fault.status, fault.status === 404 ? NOT_FOUND_BODY : SERVER_ERROR_BODY);
    }
    const [status, body] = this.route(path, url.searchParams);
    send(status, body);
  }

  private route(path: string, params: URLSearchParams): [number, unknown] {
    const movieMatch = /^\/movie\/(\d+)$/.exec(path);
    if (movieMatch) {
      const movie = this.movies.get(Number(movieMatch[1]));
      if (movie === undefined) return [404, NOT_FOUND_BODY];
      const appended = (params.get("append_to_response") ?? "").split(",").filter((name) => name !== "");
      const body: Record<string, unknown> = { ...movie.details };
      for (const name of appended) {
        if ((APPENDABLE as readonly string[]).includes(name)) body[name] = movie.sections[name as Section];
      }
      return [200, body];
    }
    const findMatch = /^\/find\/([^/]+)$/.exec(path);
    if (findMatch) {
      if (params.get("external_source") !== "imdb_id") {
        return [400, { success: false, status_code: 5, status_message: "Invalid parameters" }];
      }
      const imdbId = decodeURIComponent(findMatch[1]!);
      const found = [...this.movies.values()].filter((movie) => movie.details.imdb_id === imdbId);
      return [
        200,
        {
          movie_results: found.map((movie) => ({ ...listResult(movie), media_type: "movie" })),
          person_results: [],
          tv_results: [],
          tv_episode_results: [],
          tv_season_results: [],
        },
      ];
    }
    if (path === "/search/movie") return [200, this.search(params)];
    return [404, NOT_FOUND_BODY];
  }

  /**
   * Every word of the query in the title or original title; `year` matches any release, primary_release_year the first.
   */
  private search(params: URLSearchParams): unknown {
    const words = (params.get("query") ?? "")
      .toLowerCase()
      .split(/\W+/)
      .filter((word) => word !== "");
    const year = params.get("year");
    const primaryYear = params.get("primary_release_year");
    const page = Number(params.get("page") ?? "1");
    const results = [...this.movies.values()]
      .filter((movie) => {
        const titles = `${movie.details.title} ${movie.details.original_title}`.toLowerCase();
        if (words.length === 0 || !words.every((word) => titles.includes(word))) return false;
        const released = movie.details.release_date.slice(0, 4);
        if (primaryYear !== null && released !== primaryYear) return false;
        return year === null || releaseYears(movie).includes(year);
      })
      .sort((a, b) => Number(b.details.popularity) - Number(a.details.popularity))
      .map(listResult);
    return {
      page,
      results: results.slice((page - 1) * 20, page * 20),
      total_pages: Math.max(1, Math.ceil(results.length / 20)),
      total_results: results.length,
    };
  }

  private authorized(request: IncomingMessage, url: URL): boolean {
    const header = request.headers.authorization;
    if (header !== undefined) return header === `Bearer ${this.token}`;
    return url.searchParams.get("api_key") === this.apiKey;
  }

  private takeFault(path: string): Fault | undefined {
    const index = this.faults.findIndex((entry) =>
      typeof entry.path === "string" ? entry.path === path : entry.path.test(path),
    );
    if (index < 0) return undefined;
    return this.faults.splice(index, 1)[0]!.fault;
  }

  private async wait(): Promise<void> {
    const latency = this.latency;
    const ms = typeof latency === "number" ? latency : latency.min + Math.random() * (latency.max - latency.min);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** A film as search and find list it. */
function listResult(movie: FakeMovie): Record<string, unknown> {
  const details = movie.details;
  return {
    adult: false,
    backdrop_path: details.backdrop_path,
    genre_ids: (details.genres as { id: number }[]).map((genre) => genre.id),
    id: details.id,
    original_language: details.original_language,
    original_title: details.original_title,
    overview: details.overview,
    popularity: details.popularity,
    poster_path: details.poster_path,
    release_date: details.release_date,
    title: details.title,
    video: false,
    vote_average: details.vote_average,
    vote_count: details.vote_count,
  };
}

/** The years of the primary release and of every dated release, as "1999". */
function releaseYears(movie: FakeMovie): string[] {
  const years = new Set([movie.details.release_date.slice(0, 4)]);
  const releases = movie.sections.release_dates as { results: { release_dates: { release_date: string }[] }[] };
  for (const country of releases.results) {
    for (const release of country.release_dates) years.add(release.release_date.slice(0, 4));
  }
  return [...years];
}
