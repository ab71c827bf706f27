import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord-api-types/v10";
import { defineCommand } from "../src/interactions/command.js";
import {
  FILM_TITLE_OPTION,
  FILM_YEAR_OPTION,
  filmCardReply,
  filmTitleChoices,
  GUILD_AND_DM,
  GUILD_INSTALL,
} from "./shared.js";

export const castDefinition = {
  name: "cast",
  description: "A film's cast and their roles",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [FILM_TITLE_OPTION, FILM_YEAR_OPTION],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The film card opened on its (paged) cast view. */
export const castReply = filmCardReply("cast");

export const cast = defineCommand({
  definition: castDefinition,
  visibility: "public",
  reply: castReply,
  autocomplete: filmTitleChoices,
});
