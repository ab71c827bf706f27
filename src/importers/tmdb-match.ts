/**
 * Which TMDb search result, if any, is a catalog film. A wrong match would put another film's cast, synopsis and
 * poster on a card, so the rule accepts only clear cases and lists the rest (ambiguous or unmatched) for a person:
 *
 *   1. Only results whose release year is within one year of the film's count (festival premieres and regional
 *      releases put a film's year one off between sources).
 *   2. Among those, the results whose title or original title equals the film's title after normalizeText (case,
 *      accents, punctuation, "&" / "and", roman sequel numbers): one released in the film's very year wins; else a
 *      single one a year off wins; several equally good ones are ambiguous.
 *   3. When no title is equal: the result is accepted only if it is the only result released in the film's very year
 *      and one title contains the other as whole words ("Star Wars" / "Star Wars: Episode IV – A New Hope");
 *      several such results are ambiguous.
 *   4. Anything else is unmatched.
 */
import { normalizeText } from "../catalog/normalize.js";
import type { MovieResult } from "./tmdb-payloads.js";

export type MatchOutcome =
  | { kind: "matched"; result: MovieResult }
  | { kind: "ambiguous"; candidates: MovieResult[] }
  | { kind: "unmatched"; reason: string };

export function matchSearchResults(
  film: { title: string; year: number },
  results: readonly MovieResult[],
): MatchOutcome {
  const target = normalizeText(film.title);
  const near = results.filter((result) => {
    const year = releaseYear(result);
    return year !== null && Math.abs(year - film.year) <= 1;
  });
  if (near.length === 0) {
    return {
      kind: "unmatched",
      reason:
        results.length === 0 ? "TMDb found no film by this title" : `no result released within a year of ${film.year}`,
    };
  }
  const sameYear = (list: readonly MovieResult[]) => list.filter((result) => releaseYear(result) === film.year);

  const equal = near.filter((result) => titlesOf(result).some((title) => title === target));
  if (equal.length > 0) {
    const exact = sameYear(equal);
    if (exact.length === 1) return { kind: "matched", result: exact[0]! };
    if (exact.length > 1) return { kind: "ambiguous", candidates: exact };
    return equal.length === 1 ? { kind: "matched", result: equal[0]! } : { kind: "ambiguous", candidates: equal };
  }

  const thisYear = sameYear(near);
  const overlapping = thisYear.filter((result) => titlesOf(result).some((title) => wordsContain(title, target)));
  if (overlapping.length === 1 && thisYear.length === 1) return { kind: "matched", result: overlapping[0]! };
  if (overlapping.length > 1) return { kind: "ambiguous", candidates: overlapping };
  return { kind: "unmatched", reason: "no result has this title" };
}

/** The year of a result's release date, or null when it has none. */
export function releaseYear(result: MovieResult): number | null {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(result.release_date.trim());
  return match ? Number(match[1]) : null;
}

function titlesOf(result: MovieResult): string[] {
  return [normalizeText(result.title), normalizeText(result.original_title)].filter((title) => title !== "");
}

/** Whether one normalized title holds the other as a run of whole words. */
function wordsContain(a: string, b: string): boolean {
  if (a === "" || b === "") return false;
  return ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);
}
