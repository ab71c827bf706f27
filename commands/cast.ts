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

export const castDefinition = {
  name: "cast",
  description: "A film's cast and their roles",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [FILM_TITLE_OPTION, FILM_YEAR_OPTION],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The film card opened on its (paged) cast view. */
export function castReply(
  options: CommandOptions<typeof castDefinition>,
  context: Pick<BotContext, "catalog">,
): MessageReply {
  return buildFilmCard(requireFilm(context.catalog.current, options.title, options.year), "cast");
}

export const cast = defineCommand({
  definition: castDefinition,
  visibility: "public",
  reply: castReply,
  autocomplete: filmTitleChoices,
});
