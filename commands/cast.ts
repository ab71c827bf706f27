import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { FILM_TITLE_OPTION, FILM_YEAR_OPTION, GUILD_AND_DM, GUILD_INSTALL } from "../src/discord/definitions.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { filmTitleAutocomplete, requireFilm } from "../src/discord/film-lookup.js";
import { readOptions, type CommandOptions } from "../src/discord/options.js";
import { sendReply, type ReplyPayload } from "../src/discord/reply.js";

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
): ReplyPayload {
  return filmCardReply(requireFilm(context.catalog.current, options.title, options.year), "cast");
}

export const cast = defineCommand({
  definition: castDefinition,
  async execute(interaction, context) {
    await sendReply(interaction, castReply(readOptions(castDefinition, interaction.options.data), context));
  },
  autocomplete: filmTitleAutocomplete(castDefinition),
});
