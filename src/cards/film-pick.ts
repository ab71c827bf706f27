/**
 * A private question with a menu to pick a film from, when what a member typed could be several films (remakes,
 * sequels, a title shared by films of different years) or none for sure: a wrong card in public is worse than a
 * question. The menu's custom id says what picking does — post the film's card in the channel (on a view), or add it
 * to the member's watchlist — so that any process, before or after a restart, can act on it.
 */
import {
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APISelectMenuOption,
} from "discord-api-types/v10";
import type { Catalog } from "../catalog/catalog.js";
import type { FilmSummary } from "../catalog/film.js";
import type { PrivateMessage } from "../errors.js";
import { cleanLine } from "./escape.js";
import { FILM_VIEWS, isEncodableFilmId, type FilmView } from "./film-card.js";
import { titleOrUntitled, yearLabel } from "./film-text.js";
import { truncate } from "./limits.js";

/** What picking a film does. */
export type PickAction = { readonly kind: "card"; readonly view: FilmView } | { readonly kind: "watchlist" };

/** Discord's limits on a select menu: 25 options, labels and descriptions of 100 characters. */
const MENU_OPTIONS = 25;
const OPTION_TEXT_LIMIT = 100;
const PICK_PREFIX = "pick:v1";

export function encodePickId(action: PickAction): string {
  return action.kind === "card" ? `${PICK_PREFIX}:card:${action.view}` : `${PICK_PREFIX}:watchlist`;
}

/** The action of a pick menu's custom id, or null for anything else (the id is untrusted input). */
export function parsePickId(customId: unknown): PickAction | null {
  if (typeof customId !== "string") return null;
  if (customId === `${PICK_PREFIX}:watchlist`) return { kind: "watchlist" };
  const view = /^pick:v1:card:([a-z]+)$/.exec(customId)?.[1];
  const known = FILM_VIEWS.find((candidate) => candidate === view);
  return known === undefined ? null : { kind: "card", view: known };
}

/** The private message: `question`, and a menu of `films` (each with its year and director) to pick from. */
export function pickMessage(
  question: string,
  films: readonly FilmSummary[],
  catalog: Catalog,
  action: PickAction,
): PrivateMessage {
  const options: APISelectMenuOption[] = films
    .filter((film) => isEncodableFilmId(film.id))
    .slice(0, MENU_OPTIONS)
    .map((film) => ({
      label: optionLabel(film),
      value: film.id,
      ...(optionDescription(film, catalog) === "" ? {} : { description: optionDescription(film, catalog) }),
    }));
  if (options.length === 0) return { content: question };
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: encodePickId(action),
        placeholder: action.kind === "card" ? "Pick the film to show" : "Pick the film to add",
        options,
      },
    ],
  };
  return { content: question, components: [row] };
}

/** "Solaris (1972)", the year always kept (menus show plain text: nothing to escape). */
function optionLabel(film: FilmSummary): string {
  const tail = ` ${yearLabel(film.year)}`;
  return titleOrUntitled(truncate(cleanLine(film.title), OPTION_TEXT_LIMIT - tail.length)) + tail;
}

/** "Andrei Tarkovsky · ★ 8.0": who made it and how it is rated, to tell remakes apart. */
function optionDescription(film: FilmSummary, catalog: Catalog): string {
  const directors = catalog.details(film.id)?.directors ?? [];
  const parts = [
    directors.length > 0 ? cleanLine(directors.slice(0, 2).join(", ")) : "",
    film.rating === null ? "" : `★ ${film.rating.score.toFixed(1)}`,
  ].filter((part) => part !== "");
  return truncate(parts.join(" · "), OPTION_TEXT_LIMIT);
}
