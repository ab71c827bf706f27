/**
 * The parts of TMDb's API v3 responses the importer reads, as zod schemas, with TMDb's field names
 * (https://developer.themoviedb.org/reference): movie details with appended credits, release_dates, videos,
 * alternative_titles, external_ids, keywords and watch/providers; find by external id; search movie; the error body;
 * a line of the daily id export.
 *
 * Every response is checked before it is used: a field of the wrong type makes the response malformed, and the film
 * is reported as failed rather than written with half its data or crashing the run. Fields TMDb leaves out or sends
 * as null are read as empty; fields the importer does not use are not checked.
 */
import { z } from "zod";

/** Text TMDb may leave out or send as null; "" when absent. */
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? "");

/** A list TMDb may leave out or send as null; [] when absent. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);

const named = z.object({ name: text });

export const castMemberSchema = z.object({
  name: text,
  character: text,
  order: z.number().nullish(),
});

export const crewMemberSchema = z.object({
  name: text,
  job: text,
});

export const releaseDateSchema = z.object({
  certification: text,
  /** 1 Premiere, 2 Theatrical (limited), 3 Theatrical, 4 Digital, 5 Physical, 6 TV. */
  type: z.number().int().nullish(),
});

export const videoSchema = z.object({
  key: text,
  site: text,
  type: text,
  official: z.boolean().nullish(),
  size: z.number().nullish(),
  published_at: text,
  iso_639_1: text,
});

const providerSchema = z.object({
  provider_name: text,
  display_priority: z.number().nullish(),
});

export const watchRegionSchema = z.object({
  link: text,
  flatrate: listOf(providerSchema),
  rent: listOf(providerSchema),
  buy: listOf(providerSchema),
});

/** An appended section TMDb leaves out when it has nothing: read as empty. */
const section = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish();

/**
 * GET
 * /movie/{id}?append_to_response=credits,release_dates,videos,alternative_titles,external_ids,keywords,watch/providers
 */
export const movieDetailsSchema = z.object({
  id: z.number().int().positive(),
  title: text,
  adult: z.boolean().nullish(),
  original_title: text,
  original_language: text,
  overview: text,
  tagline: text,
  release_date: text,
  runtime: z.number().nullish(),
  homepage: text,
  imdb_id: text,
  poster_path: text,
  vote_average: z.number().nullish(),
  vote_count: z.number().nullish(),
  genres: listOf(named),
  production_countries: listOf(z.object({ iso_3166_1: text, name: text })),
  spoken_languages: listOf(z.object({ english_name: text, name: text })),
  credits: section({ cast: listOf(castMemberSchema), crew: listOf(crewMemberSchema) }),
  release_dates: section({
    results: listOf(z.object({ iso_3166_1: text, release_dates: listOf(releaseDateSchema) })),
  }),
  videos: section({ results: listOf(videoSchema) }),
  alternative_titles: section({ titles: listOf(z.object({ iso_3166_1: text, title: text })) }),
  external_ids: section({ imdb_id: text }),
  keywords: section({ keywords: listOf(named) }),
  // Every region's offers come along; only --region's are read and checked (tmdb-record.ts), so a malformed entry for
  // another country does not cost the film.
  "watch/providers": section({ results: z.record(z.string(), z.unknown()).nullish() }),
});

export type MovieDetails = z.infer<typeof movieDetailsSchema>;
export type CastPayload = z.infer<typeof castMemberSchema>;
export type VideoPayload = z.infer<typeof videoSchema>;
export type WatchRegionPayload = z.infer<typeof watchRegionSchema>;

/** A film in the results of search and find. */
export const movieResultSchema = z.object({
  id: z.number().int().positive(),
  title: text,
  original_title: text,
  release_date: text,
});

export type MovieResult = z.infer<typeof movieResultSchema>;

/** GET /search/movie */
export const searchMovieSchema = z.object({
  results: listOf(movieResultSchema),
  total_results: z.number().nullish(),
});

/** GET /find/{external_id}?external_source=imdb_id (the other result lists are not read). */
export const findSchema = z.object({
  movie_results: listOf(movieResultSchema),
});

/** TMDb's error body: `{ "success": false, "status_code": 7, "status_message": "Invalid API key: …" }`. */
export const errorBodySchema = z.object({
  status_code: z.number().nullish(),
  status_message: z.string().nullish(),
});

/** One line of the daily export movie_ids_MM_DD_YYYY.json.gz. */
export const exportLineSchema = z.object({
  id: z.number().int().positive(),
  original_title: z.string().nullish(),
  popularity: z.number().nullish(),
  adult: z.boolean().nullish(),
  video: z.boolean().nullish(),
});

/** "credits.cast[3].name: expected string, received number": where a response went wrong, in one line. */
export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return "does not match TMDb's documented shape";
  const path = first.path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`),
    "",
  );
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return `${path === "" ? "body" : path}: ${first.message.replace(/^Invalid input: /, "")}${more}`;
}
