/**
 * From what a member gave to a film or a person: an id picked in autocomplete, or free text typed and sent with
 * enter. Free text goes through the catalog's search; a weak best match is treated as not found, and the member
 * gets the closest titles (and people) instead, privately.
 */
import type { Catalog, FilmMatch, Person } from "../catalog/catalog.js";
import type { Film, FilmSummary } from "../catalog/film.js";
import { isConvincingMatch, isConvincingPerson } from "../catalog/search/match-rules.js";
import { UserFacingError } from "../errors.js";
import { plural } from "../format.js";
import { cleanLine, escapeWithin } from "./escape.js";
import { pickMessage, type PickAction } from "./film-pick.js";
import { filmChoiceName, filmListLabel, personLabel } from "./film-text.js";
import { AUTOCOMPLETE_CHOICE_NAME_LIMIT, truncate } from "./limits.js";

/** An autocomplete suggestion: what the member sees, and what the command receives when they pick it. */
export interface LookupChoice {
  name: string;
  value: string;
}

/** Discord shows at most 25 autocomplete choices, each value at most 100 characters. */
export const CHOICE_LIMIT = 25;
export const CHOICE_VALUE_LIMIT = 100;
/** What members type is searched up to this length: titles are shorter, and huge input must cost nothing. */
export const QUERY_LIMIT = 100;
const SUGGESTION_COUNT = 5;
/** Films offered in a pick menu: Discord's most. */
const PICK_COUNT = 25;
const POPULAR_SUGGESTION_COUNT = 3;

/**
 * What was typed, ready to search: one line, bounded, trimmed but for one trailing space, which tells the search the
 * last word is finished ("alien " is Alien, not the start of Aliens).
 */
export function cleanQuery(typed: string): string {
  const raw = typed.slice(0, QUERY_LIMIT * 4);
  const line = cleanLine(raw).slice(0, QUERY_LIMIT);
  return line !== "" && line.length < QUERY_LIMIT && /\s$/.test(raw) ? `${line} ` : line;
}

/** Autocomplete choices for a title option: popular films for empty input, search results otherwise. */
export function filmChoices(catalog: Catalog, typed: string, year: number | null): LookupChoice[] {
  const query = cleanQuery(typed);
  const matches: { film: FilmSummary; alias: string | null }[] =
    query === ""
      ? catalog.popular(CHOICE_LIMIT).map((film) => ({ film, alias: null }))
      : searchFilms(catalog, query, year, CHOICE_LIMIT);
  return matches
    .filter(({ film }) => film.id.length > 0 && film.id.length <= CHOICE_VALUE_LIMIT)
    .slice(0, CHOICE_LIMIT)
    .map(({ film, alias }) => ({ name: filmChoiceName(film, alias), value: film.id }));
}

/** Autocomplete choices for a person option; the value is the name as the catalog spells it. */
export function personChoices(catalog: Catalog, typed: string): LookupChoice[] {
  const query = cleanQuery(typed);
  const people = query === "" ? catalog.popularPeople(CHOICE_LIMIT) : catalog.searchPeople(query, CHOICE_LIMIT);
  return people
    .filter((person) => person.name.length > 0 && person.name.length <= CHOICE_VALUE_LIMIT)
    .map((person) => {
      const tail = ` (${plural(person.filmCount, "film")})`;
      return {
        name: truncate(cleanLine(person.name), AUTOCOMPLETE_CHOICE_NAME_LIMIT - tail.length) + tail,
        value: person.name,
      };
    });
}

/** Search with the year as a filter; when nothing matches in that year, the same search across all years. */
function searchFilms(catalog: Catalog, query: string, year: number | null, limit: number): FilmMatch[] {
  const inYear = catalog.search(query, { limit, ...(year === null ? {} : { year }) });
  return inYear.length > 0 || year === null ? inYear : catalog.search(query, { limit });
}

/** A film that was asked for and is not in the catalog; the message lists suggestions and is shown as is. */
export class FilmNotFoundError extends UserFacingError {}

/**
 * The film a member asked for: an exact id (what autocomplete sends), else the search's answer for the text (in
 * `year` if given). When the text could be several films, or names a year the best match does not have, the member
 * is asked privately, with a menu whose pick does `action` (a UserFacingError carrying the question); when nothing
 * matches well, a FilmNotFoundError lists suggestions.
 */
export function requireFilm(
  catalog: Catalog,
  input: string,
  year: number | null,
  action: PickAction = { kind: "card", view: "overview" },
): Film {
  const byId = catalog.details(input.trim());
  if (byId !== undefined) return byId;
  const query = cleanQuery(input);
  if (query !== "") {
    const resolved = catalog.resolve(query, { limit: PICK_COUNT, ...(year === null ? {} : { year }) });
    const found = resolved.verdict === "answer" ? catalog.details(resolved.film.id) : undefined;
    if (found !== undefined) return found;
    if (resolved.verdict === "ask") {
      const asked = `“${escapeWithin(query, QUERY_LIMIT, { singleLine: true })}”`;
      const question =
        resolved.missingYear === null
          ? `${asked} could be more than one film. Which one did you mean?`
          : `No film in the catalog matches ${asked} in ${resolved.missingYear}. Is it one of these?`;
      const films = resolved.matches.map((match) => match.film);
      throw new UserFacingError(question, { reply: pickMessage(question, films, catalog, action) });
    }
  }
  throw new FilmNotFoundError(notFoundMessage(catalog, query, year));
}

function notFoundMessage(catalog: Catalog, query: string, year: number | null): string {
  const asked = query === "" ? "that" : `“${escapeWithin(query, QUERY_LIMIT, { singleLine: true })}”`;
  const lines = [`No film in the catalog matches ${asked}${year === null ? "" : ` in ${year}`}.`];
  const close = query === "" ? [] : searchFilms(catalog, query, year, SUGGESTION_COUNT).map((match) => match.film);
  if (close.length > 0) {
    lines.push("Did you mean:", ...close.map((film) => `• ${filmListLabel(film)}`));
  } else {
    lines.push(
      "Some popular films:",
      ...catalog.popular(POPULAR_SUGGESTION_COUNT).map((film) => `• ${filmListLabel(film)}`),
    );
  }
  const person = query === "" ? undefined : catalog.searchPeople(query, 1)[0];
  if (person !== undefined && isConvincingMatch(person.score)) {
    lines.push(`Looking for a person? Try \`/person\` with ${personLabel(person.name)}.`);
  }
  lines.push("Tip: pick a title from the list that appears while you type.");
  return lines.join("\n");
}

/** A person's filmography by exact name (what autocomplete sends) or the best search match. */
export function requirePerson(catalog: Catalog, input: string): Person {
  const exact = catalog.person(input.trim());
  if (exact !== undefined) return exact;
  const query = cleanQuery(input);
  const matches = query === "" ? [] : catalog.searchPeople(query, SUGGESTION_COUNT);
  const best = matches[0];
  if (best !== undefined && isConvincingPerson(best.score, matches[1]?.score)) {
    const person = catalog.person(best.name);
    if (person !== undefined) return person;
  }
  const asked = query === "" ? "that name" : `“${escapeWithin(query, QUERY_LIMIT, { singleLine: true })}”`;
  const lines = [`No one in the catalog is called ${asked}.`];
  if (matches.length > 0) lines.push("Did you mean:", ...matches.map((match) => `• ${personLabel(match.name)}`));
  throw new UserFacingError(lines.join("\n"));
}
