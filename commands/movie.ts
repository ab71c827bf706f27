import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord-api-types/v10";
import { buildFilmCard } from "../src/cards/film-card.js";
import { requireFilm } from "../src/cards/film-lookup.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { CommandOptions } from "../src/interactions/options.js";
import {
  FILM_TITLE_OPTION,
  FILM_YEAR_OPTION,
  filmTitleChoices,
  GUILD_AND_DM,
  GUILD_INSTALL,
} from "./shared-options.js";

export const movieDefinition = {
  name: "movie",
  description: "Show a film: summary, rating, people, with buttons for cast, trivia and review",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [FILM_TITLE_OPTION, FILM_YEAR_OPTION],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The film's card, or a FilmNotFoundError with suggestions. */
export function movieReply(
  options: CommandOptions<typeof movieDefinition>,
  context: Pick<BotContext, "catalog">,
): MessageReply {
  return buildFilmCard(requireFilm(context.catalog.current, options.title, options.year));
}

export const movie = defineCommand({
  definition: movieDefinition,
  visibility: "public",
  reply: movieReply,
  autocomplete: filmTitleChoices,
});
