import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { GUILD_AND_DM, GUILD_INSTALL, MAX_FILM_YEAR, MIN_FILM_YEAR, TITLE_OPTION_MAX_LENGTH } from "../src/discord/definitions.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { filmChoices, requireFilm } from "../src/discord/film-lookup.js";
import { readAutocomplete, readOptions, type CommandOptions } from "../src/discord/options.js";
import { sendReply, type ReplyPayload } from "../src/discord/reply.js";

export const movieDefinition = {
  name: "movie",
  description: "Show a film: summary, rating, people, with buttons for cast, trivia and review",
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

/** The film's card, or a FilmNotFoundError with suggestions. */
export function movieReply(options: CommandOptions<typeof movieDefinition>, context: Pick<BotContext, "catalog">): ReplyPayload {
  return filmCardReply(requireFilm(context.catalog.current, options.title, options.year));
}

export const movie = defineCommand({
  definition: movieDefinition,
  async execute(interaction, context) {
    const options = readOptions(movieDefinition, interaction.options.data);
    await sendReply(interaction, movieReply(options, context));
  },
  async autocomplete(interaction, context) {
    const input = readAutocomplete(movieDefinition, interaction.options.data);
    await interaction.respond(input === null ? [] : filmChoices(context.catalog.current, input.focused.value, input.values.year ?? null));
  },
});
