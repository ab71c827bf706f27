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

export const movieDefinition = {
  name: "movie",
  description: "Show a film: summary, rating, people, with buttons for cast, trivia and review",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [FILM_TITLE_OPTION, FILM_YEAR_OPTION],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The film's card, or a FilmNotFoundError with suggestions. */
export const movieReply = filmCardReply("overview");

export const movie = defineCommand({
  definition: movieDefinition,
  visibility: "public",
  reply: movieReply,
  autocomplete: filmTitleChoices,
});
