import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { FILM_TITLE_OPTION, FILM_YEAR_OPTION, GUILD_AND_DM, GUILD_INSTALL } from "../src/discord/definitions.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { filmTitleAutocomplete, requireFilm } from "../src/discord/film-lookup.js";
import { readOptions, type CommandOptions } from "../src/discord/options.js";
import { sendReply, type ReplyPayload } from "../src/discord/reply.js";

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
): ReplyPayload {
  return filmCardReply(requireFilm(context.catalog.current, options.title, options.year));
}

export const movie = defineCommand({
  definition: movieDefinition,
  async execute(interaction, context) {
    const options = readOptions(movieDefinition, interaction.options.data);
    await sendReply(interaction, movieReply(options, context));
  },
  autocomplete: filmTitleAutocomplete(movieDefinition),
});
