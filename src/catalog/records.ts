/**
 * Validation of film records read from JSON / JSON Lines files. Only `title` is required; every other field may be
 * missing or null. Unknown fields are ignored (so files can carry extra data), strings are trimmed, empty strings
 * count as missing, and a wrong type or an out-of-range number rejects the record with a message naming the field
 * ("rating.score: expected at most 10") — a catalog author is better told than silently losing a value.
 */
import { z } from "zod";
import { emptyFilm, MAX_FILM_YEAR, MIN_FILM_YEAR, type CastMember, type Film } from "./film.js";
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

const recordSchema = z.object({
  title: z.string().trim().min(1, "must not be empty"),
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
});

/**
 * A Film from one parsed JSON value. `source` (the file it came from) replaces any `source` in the record; the id is
 * recomputed from title and year when missing or not a valid slug. Throws RecordError.
 */
export function recordToFilm(value: unknown, source: string): Film {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RecordError(`expected a film record (an object with a "title"), got ${describeType(value)}`);
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) throw new RecordError(parsed.error.issues.map(describeIssue).join("; "));
  const { id, ...fields } = parsed.data;
  const film: Film = { ...emptyFilm(fields.title, source), ...fields, source };
  film.id = id !== null && isValidId(id) ? id : filmId(film.title, film.year);
  return film;
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

/** "cast[2].name: expected string, received number". */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text === "" ? String(key) : `${text}.${String(key)}`),
    "",
  );
  const message = issue.message.replace(/^Invalid input: /, "").replace(/^Too (?:small|big): /, "");
  return `${path === "" ? "record" : path}: ${message}`;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
