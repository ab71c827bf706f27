import { createRequire } from "node:module";
import path from "node:path";
import { emptyFilm, type Film } from "../catalog/film.js";
import { filmId, normalizeText } from "../catalog/normalize.js";
import { monthNumber } from "../format.js";

/**
 * Converts the `movies.json` of the vega-datasets package (3,201 real films, BSD-3-Clause) into film records,
 * mending what the source gets wrong rather than copying it.
 */

export interface VegaImportReport {
  films: Film[];
  /** Rows not imported, with why. */
  dropped: { row: number; title: string; reason: string }[];
  /** Rows imported with a repair, with what was repaired. */
  repaired: { row: number; title: string; repair: string }[];
}

/** The last year the dataset covers: dates past it are 1900s films whose two-digit year was read as 20xx. */
const DATASET_LAST_YEAR = 2011;

export const VEGA_SOURCE = "vega-datasets/movies.json";

/** Where the installed vega-datasets package keeps movies.json (the package exports only its JS entry). */
export function vegaMoviesPath(): string {
  const entry = createRequire(import.meta.url).resolve("vega-datasets");
  return path.join(path.dirname(entry), "..", "data", "movies.json");
}

// The titles were Latin-1 text decoded as Mac Roman ("AmÈlie" for "Amélie"): map each Mac Roman character back to
// its byte, then read the bytes as Windows-1252.
const MAC_ROMAN_BYTE = new Map<string, number>();
{
  const decoder = new TextDecoder("macintosh");
  for (let byte = 0x80; byte <= 0xff; byte++) MAC_ROMAN_BYTE.set(decoder.decode(Uint8Array.of(byte)), byte);
}

/**
 * Windows-1252's 0x80-0x9F, spelled out: Node's TextDecoder reads these bytes as Latin-1 control characters in some
 * versions and as Windows-1252 in others; the conversion must not depend on which Node runs it. (0xA0-0xFF are
 * Latin-1, the code point itself; the five unassigned bytes stay undefined.)
 */
const WINDOWS_1252_HIGH = "€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ";

function windows1252(bytes: readonly number[]): string | null {
  let text = "";
  for (const byte of bytes) {
    if (byte < 0x80 || byte >= 0xa0) text += String.fromCharCode(byte);
    else {
      const char = WINDOWS_1252_HIGH[byte - 0x80]!;
      if (char === "\u0000") return null;
      text += char;
    }
  }
  return text;
}

/**
 * How much a text looks like real Western European writing: lower-case accented letters and typographic
 * punctuation count for it; capitals with accents inside a word ("AmÈlie") and rare symbols ("Ž", "Ω", "‰") against.
 */
function plausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    const previous = i > 0 ? text[i - 1]! : " ";
    const insideWord = /\p{Ll}/u.test(previous);
    if (/[\u00e0-\u00ff]/.test(char) || "…’‘“”–—½".includes(char)) score++;
    else if (/\p{Lu}/u.test(char) && insideWord) score -= 2;
    else score--;
  }
  return score;
}

/**
 * Undo the source's mis-decoding. Only when the repaired text reads better: a title spelled right in the first place
 * ("Amélie") is left alone, though it too could be "repaired" into nonsense ("AmŽlie").
 */
export function repairMojibake(text: string): string {
  if (!/[\u0080-\uffff]/.test(text)) return text;
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else {
      const byte = MAC_ROMAN_BYTE.get(char);
      if (byte === undefined) return text; // a character Mac Roman cannot produce: the text is genuine
      bytes.push(byte);
    }
  }
  const repaired = windows1252(bytes);
  return repaired !== null && plausibility(repaired) > plausibility(text) ? repaired : text;
}

/**
 * Library-catalogue forms back to the title as shown: "Secret, The" → "The Secret", and a year the title repeats
 * ("King Kong (1933)") removed, since the year is its own field.
 */
export function tidyTitle(title: string, year: number | null): string {
  let tidy = title;
  const article = /^(.*\S),\s*(The|A|An)$/.exec(tidy);
  if (article) tidy = `${article[2]} ${article[1]}`;
  if (year !== null) tidy = tidy.replace(new RegExp(`\\s*\\(${year}\\)$`), "");
  return tidy;
}

type VegaRow = Record<string, unknown>;

function numberField(row: VegaRow, key: string): number | null {
  const value = row[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function textField(row: VegaRow, key: string): string | null {
  const value = row[key];
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  return null;
}

/** "Jun 12 1998" → { iso: "1998-06-12", year: 1998 }, with the dataset's 20xx-for-19xx slip undone. */
export function parseVegaDate(value: unknown): { iso: string; year: number; shifted: boolean } | null {
  if (typeof value !== "string") return null;
  const match = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4})$/.exec(value.trim());
  if (!match) return null;
  const month = monthNumber(match[1]!);
  const day = Number(match[2]);
  let year = Number(match[3]);
  if (month === undefined || day < 1 || day > 31) return null;
  const shifted = year > DATASET_LAST_YEAR;
  if (shifted) year -= 100;
  // "Feb 31": a date that does not exist is no date (the loader would reject the whole record for it).
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  const iso = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return { iso, year, shifted };
}

function titleOf(row: VegaRow): string | null {
  const value = row.Title;
  // Some titles are numbers in the JSON ("1941", "300"): they are still titles.
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "" && value.trim().toLowerCase() !== "null") return value.trim();
  return null;
}

function convertRow(row: VegaRow, index: number, report: VegaImportReport): Film | null {
  const rawTitle = titleOf(row);
  if (rawTitle === null) {
    report.dropped.push({ row: index, title: String(row.Title), reason: "no title" });
    return null;
  }
  const date = parseVegaDate(row["Release Date"]);
  const title = tidyTitle(repairMojibake(rawTitle), date?.year ?? null);
  if (title !== rawTitle) report.repaired.push({ row: index, title, repair: `title "${rawTitle}" tidied` });
  if (date?.shifted)
    report.repaired.push({ row: index, title, repair: `year ${date.year + 100} read as ${date.year}` });

  const film = emptyFilm(title, VEGA_SOURCE);
  film.year = date?.year ?? null;
  film.releaseDate = date?.iso ?? null;
  film.id = filmId(title, film.year);

  const score = numberField(row, "IMDB Rating");
  const votes = numberField(row, "IMDB Votes");
  if (score !== null && score >= 0 && score <= 10) {
    film.rating = { score, outOf: 10, votes: votes !== null && votes >= 0 ? Math.round(votes) : null };
  }
  const critics = numberField(row, "Rotten Tomatoes Rating");
  if (critics !== null && critics >= 0 && critics <= 100) film.criticScore = critics;

  const director = textField(row, "Director");
  if (director) film.directors = [repairMojibake(director)];
  const genre = textField(row, "Major Genre");
  if (genre)
    film.genres = genre
      .split("/")
      .map((part) => part.trim())
      .filter(Boolean);
  const runtime = numberField(row, "Running Time min");
  if (runtime !== null && runtime > 0 && runtime < 1000) film.runtimeMinutes = Math.round(runtime);

  const mpaa = textField(row, "MPAA Rating");
  if (mpaa) film.technicalSpecs["MPAA Rating"] = mpaa;
  const distributor = textField(row, "Distributor");
  if (distributor) film.technicalSpecs.Distributor = distributor;
  return film;
}

/** Keeps the first of two rows for the same title and year (the source lists a few twice) and reports the other. */
function dropDuplicates(films: Film[], rows: number[], report: VegaImportReport): Film[] {
  const seen = new Map<string, Film>();
  const kept: Film[] = [];
  films.forEach((film, i) => {
    const key = `${normalizeText(film.title)}|${film.year}`;
    const first = seen.get(key);
    if (first) {
      report.dropped.push({
        row: rows[i]!,
        title: film.title,
        reason: `duplicate of "${first.title}" (${first.year ?? "no year"})`,
      });
      return;
    }
    seen.set(key, film);
    kept.push(film);
  });
  return kept;
}

export function convertVegaMovies(data: unknown): VegaImportReport {
  if (!Array.isArray(data)) throw new Error("movies.json: expected an array of films");
  const report: VegaImportReport = { films: [], dropped: [], repaired: [] };
  const films: Film[] = [];
  const rows: number[] = [];
  data.forEach((row: unknown, index) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      report.dropped.push({ row: index, title: "", reason: "not an object" });
      return;
    }
    const film = convertRow(row as VegaRow, index, report);
    if (film) {
      films.push(film);
      rows.push(index);
    }
  });
  report.films = dropDuplicates(films, rows, report);
  return report;
}
