/**
 * The answer to a card's Similar button: films like this one (Catalog.similar), each with what it shares with it,
 * and the pick menu of film-pick.ts, whose pick posts that film's card in the channel.
 */
import type { Catalog, SimilarMatch } from "../catalog/catalog.js";
import type { FilmSummary } from "../catalog/film.js";
import type { PrivateMessage } from "../errors.js";
import { FILM_CARD_COLOUR } from "./film-card.js";
import { pickMessage } from "./film-pick.js";
import { filmListLabel, packLines, personLabel } from "./film-text.js";
import { genreLabel } from "./genre-lookup.js";
import { EMBED_DESCRIPTION_LIMIT, fitMessage } from "./limits.js";

/** How many films the answer lists: a short list worth reading, well within a menu's 25. */
export const SIMILAR_COUNT = 10;
/** Names and genres shown per reason; the rest are counted. */
const NAMES_SHOWN = 2;
const GENRES_SHOWN = 3;

/** The list of films like `film`, and a menu to post one's card; `matches` must not be empty. */
export function similarMessage(film: FilmSummary, matches: readonly SimilarMatch[], catalog: Catalog): PrivateMessage {
  const question = `Films like ${filmListLabel(film)}: pick one to post its card in the channel.`;
  const message = pickMessage(
    question,
    matches.map((match) => match.film),
    catalog,
    { kind: "card", view: "overview" },
  );
  const lines = matches.map((match, index) => `${index + 1}. ${similarLine(match)}`);
  return {
    ...message,
    embeds: fitMessage([
      {
        description: packLines(lines, EMBED_DESCRIPTION_LIMIT, (hidden) => `…and ${hidden} more`),
        footer: { text: "Alike in who made them, who is in them, their genres, era and rating." },
        color: FILM_CARD_COLOUR,
      },
    ]),
  };
}

/** "**Thief** (1981) ★ 7.4 — by Michael Mann · with James Caan · Crime, Drama". */
function similarLine(match: SimilarMatch): string {
  const rating = match.film.rating === null ? "" : ` ★ ${match.film.rating.score.toFixed(1)}`;
  const reasons = [
    match.directors.length > 0 ? `by ${names(match.directors.map(personLabel), NAMES_SHOWN)}` : "",
    match.cast.length > 0 ? `with ${names(match.cast.map(personLabel), NAMES_SHOWN)}` : "",
    match.genres.length > 0 ? names(match.genres.map(genreLabel), GENRES_SHOWN) : "",
  ].filter((reason) => reason !== "");
  return `${filmListLabel(match.film)}${rating}${reasons.length > 0 ? ` — ${reasons.join(" · ")}` : ""}`;
}

/** "A, B" or "A, B +3". */
function names(all: readonly string[], shown: number): string {
  const listed = all.slice(0, shown).join(", ");
  return all.length > shown ? `${listed} +${all.length - shown}` : listed;
}
