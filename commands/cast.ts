import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { GUILD_AND_DM, GUILD_INSTALL, MAX_FILM_YEAR, MIN_FILM_YEAR, TITLE_OPTION_MAX_LENGTH } from "../src/discord/definitions.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { filmChoices, requireFilm } from "../src/discord/film-lookup.js";
import { readAutocomplete, readOptions, type CommandOptions } from "../src/discord/options.js";
import { sendReply, type ReplyPayload } from "../src/discord/reply.js";

export const castDefinition = {
  name: "cast",
  description: "A film's cast and their roles",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: "title",
      description: "The film's title (pick one from the list, or type and send)",
      required: true,
      autocomplete: true,
      max_length: TITLE_OPTION_MAX_LENGTH,
    },
    {
      type: ApplicationCommandOptionType.Integer,
      name: "year",
      description: "Release year, to tell films with the same title apart",
      min_value: MIN_FILM_YEAR,
      max_value: MAX_FILM_YEAR,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The film card opened on its (paged) cast view. */
export function castReply(options: CommandOptions<typeof castDefinition>, context: Pick<BotContext, "catalog">): ReplyPayload {
  return filmCardReply(requireFilm(context.catalog.current, options.title, options.year), "cast");
}

export const cast = defineCommand({
  definition: castDefinition,
  async execute(interaction, context) {
    await sendReply(interaction, castReply(readOptions(castDefinition, interaction.options.data), context));
  },
  async autocomplete(interaction, context) {
    const input = readAutocomplete(castDefinition, interaction.options.data);
    await interaction.respond(input === null ? [] : filmChoices(context.catalog.current, input.focused.value, input.values.year ?? null));
  },
});
