/**
 * Film text for lists and autocomplete labels. Embed text goes through escapeWithin (markdown shown literally,
 * mentions inert); autocomplete labels are plain text (Discord renders no markdown there) and only cleaned.
 */
import type { FilmSummary } from "../catalog/film.js";
import { cleanLine, escapeWithin } from "./escape.js";
import { AUTOCOMPLETE_CHOICE_NAME_LIMIT, truncate } from "./limits.js";

/** TMDb's API terms ask for this notice, word for word, wherever its data is shown. */
export const TMDB_NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB.";

/** Watch providers are JustWatch's data, passed on by TMDb, which asks that JustWatch be credited where they show. */
export const JUSTWATCH_CREDIT = "Streaming data by JustWatch";

/** Titles in lists are cut here, so one odd record cannot crowd out the rest. */
export const LIST_TITLE_LIMIT = 100;

/**
 * "(1972)"; for a missing year `unknown`: "(year unknown)" by default, since every label in a list must say which
 * film it is (a card's title passes "").
 */
export function yearLabel(year: number | null, unknown = "(year unknown)"): string {
  return Number.isSafeInteger(year) ? `(${year})` : unknown;
}

/** What shows for a title with nothing printable left once cleaned. */
export function titleOrUntitled(title: string): string {
  return title === "" ? "Untitled film" : title;
}

/**
 * "Solaris (1972)" within Discord's 100-character choice name, the year always kept; with the alternate title that
 * matched first when there is one ("Amélie — Le Fabuleux destin d'Amélie Poulain (2001)"), so members see why.
 */
export function filmChoiceName(film: FilmSummary, alias: string | null = null): string {
  const tail = ` ${yearLabel(film.year)}`;
  const title = titleOrUntitled(cleanLine(film.title));
  const named = alias === null ? title : `${cleanLine(alias)} — ${title}`;
  return truncate(named, AUTOCOMPLETE_CHOICE_NAME_LIMIT - tail.length) + tail;
}

/** "**Solaris** (1972)" for embeds, the title escaped. */
export function filmListLabel(film: FilmSummary): string {
  const title = escapeWithin(film.title, LIST_TITLE_LIMIT, { singleLine: true });
  return `**${titleOrUntitled(title)}** ${yearLabel(film.year)}`;
}

/** A person's name for embeds, escaped and cut. */
export function personLabel(name: string): string {
  return escapeWithin(name, LIST_TITLE_LIMIT, { singleLine: true });
}

/**
 * Lines joined by newlines, as many as fit `budget` characters, followed by `more(hidden)` when some had to be left
 * out (its length is reserved). Lines are expected to be short; a line longer than the budget is cut.
 */
export function packLines(lines: readonly string[], budget: number, more: (hidden: number) => string): string {
  const all = lines.join("\n");
  if (all.length <= budget) return all;
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const tail = more(lines.length - index);
    const added = (kept.length === 0 ? 0 : 1) + line.length;
    if (length + added + 1 + tail.length > budget) break;
    kept.push(line);
    length += added;
  }
  const hidden = lines.length - kept.length;
  if (kept.length === 0) return truncate(lines[0] ?? "", Math.max(0, budget));
  return `${kept.join("\n")}\n${more(hidden)}`;
}
