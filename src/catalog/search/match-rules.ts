/**
 * When a search result is an answer and when it is only a guess: the rules that decide whether free text a member
 * sent names a film or a person, next to the search whose scores they judge. Scores are 1 for the title or name
 * itself and about 0.7 with typos (see ranking.ts).
 */
import { isFilmYear } from "../film.js";
import { normalizeText, withoutLeadingArticle } from "../normalize.js";

/** A best match scoring below this is a guess, not an answer. */
export const MATCH_THRESHOLD = 0.6;

/**
 * Members look people up by surname, and a surname is half a name: "kubrick" scores 0.7 against Stanley Kubrick and
 * "kubrik" 0.56. Below the usual threshold, a person is still taken when no one else comes close.
 */
const PERSON_SURNAME_THRESHOLD = 0.5;
const PERSON_CLEAR_LEAD = 0.1;

/** Whether the best match (of a title, or a name in a film lookup) is an answer. */
export function isConvincingMatch(best: number): boolean {
  return best >= MATCH_THRESHOLD;
}

/** Whether the best person match (`second`: the runner-up's score) is an answer. */
export function isConvincingPerson(best: number, second: number | undefined): boolean {
  if (best >= MATCH_THRESHOLD) return true;
  return best >= PERSON_SURNAME_THRESHOLD && (second === undefined || best - second >= PERSON_CLEAR_LEAD);
}

/**
 * How far the best film match must lead the next one to be the answer: closer than this, the text could mean either
 * (remakes of one title, sequels, a title with a typo near another), and the member is asked. Chosen on the query
 * set (`npm run bench -- search` prints the figures per kind of query).
 */
export const FILM_CLEAR_LEAD = 0.1;

/** What a search says about free text a member sent: one film for sure, several it could be, or none. */
export type FilmVerdict = "answer" | "ask" | "none";

/** What the judge reads of a match. */
export interface JudgedMatch {
  score: number;
  film: { title: string; year: number | null };
}

export interface FilmJudgement {
  verdict: FilmVerdict;
  /** A year typed after the title ("the avengers 2012") that the best match neither has nor carries in its title. */
  missingYear: number | null;
}

/**
 * The verdict on the best matches (best first) for the text a member sent. A year ending the text is read like the
 * year option: a film of another year is not the one asked for, and of namesakes it picks the one of that year.
 * `yearOption`: the search was already limited to a year, so the text's own year is only words.
 */
export function judgeFilmMatches(
  query: string,
  matches: readonly JudgedMatch[],
  options: { yearOption?: boolean } = {},
): FilmJudgement {
  const [best, ...others] = matches;
  if (best === undefined || !isConvincingMatch(best.score)) return { verdict: "none", missingYear: null };
  const typedYear = options.yearOption === true ? null : trailingYear(query);
  const hasTypedYear = (film: JudgedMatch["film"]): boolean =>
    typedYear === null || film.year === typedYear || hasWord(film.title, typedYear);
  if (!hasTypedYear(best.film)) return { verdict: "ask", missingYear: typedYear };
  const rival = others.find((match) => hasTypedYear(match.film));
  return { verdict: rival === undefined || leadsClearly(best, rival) ? "answer" : "ask", missingYear: null };
}

/**
 * Whether the best match is the answer over its closest rival: it leads by FILM_CLEAR_LEAD, or it scores higher and
 * its whole title is part of the rival's ("jurasic park" is Jurassic Park, not Jurassic Park 3: the member typed
 * nothing of the sequel's extra words, or it would have won).
 */
function leadsClearly(best: JudgedMatch, rival: JudgedMatch): boolean {
  if (best.score - rival.score >= FILM_CLEAR_LEAD) return true;
  if (best.score <= rival.score) return false;
  const title = withoutLeadingArticle(normalizeText(best.film.title));
  const rivalTitle = withoutLeadingArticle(normalizeText(rival.film.title));
  return title !== rivalTitle && ` ${rivalTitle} `.includes(` ${title} `);
}

/** The year ending a query after a title ("the avengers 2012"), or null. */
export function trailingYear(query: string): number | null {
  const match = /\s(\d{4})\s*$/.exec(query);
  const year = match === null ? Number.NaN : Number(match[1]);
  return isFilmYear(year) ? year : null;
}

/** Whether `year` is a word of the title ("Blade Runner 2049"). */
function hasWord(title: string, year: number): boolean {
  return normalizeText(title).split(" ").includes(String(year));
}
