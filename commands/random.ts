import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { GUILD_AND_DM, GUILD_INSTALL, YEAR_FILTER_OPTION } from "../src/discord/definitions.js";
import { UserFacingError } from "../src/errors.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { readOptions, type CommandOptions } from "../src/discord/options.js";
import { respond, type ReplyPayload } from "../src/discord/reply.js";

export const randomDefinition = {
  name: "random",
  description: "A random film, optionally well rated or from a given year",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    {
      type: ApplicationCommandOptionType.Number,
      name: "min_rating",
      description: "Only films rated at least this (out of 10)",
      min_value: 0,
      max_value: 10,
    },
    YEAR_FILTER_OPTION,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** A random film's card, drawn with the context's random source. */
export function randomReply(
  options: CommandOptions<typeof randomDefinition>,
  context: Pick<BotContext, "catalog" | "random">,
): ReplyPayload {
  const filter = {
    ...(options.min_rating === null ? {} : { minRating: options.min_rating }),
    ...(options.year === null ? {} : { year: options.year }),
  };
  const film = context.catalog.current.random(filter, context.random);
  if (film === undefined) throw new UserFacingError(noMatchMessage(options));
  return filmCardReply(film);
}

function noMatchMessage(options: CommandOptions<typeof randomDefinition>): string {
  const conditions = [
    ...(options.min_rating === null ? [] : [`rated ${options.min_rating} or more`]),
    ...(options.year === null ? [] : [`from ${options.year}`]),
  ];
  return conditions.length === 0 ? "The catalog is empty." : `No film in the catalog is ${conditions.join(" and ")}.`;
}

export const random = defineCommand({
  definition: randomDefinition,
  // Drawing filters the whole catalog: cheap, but not something to run in a tight loop.
  cooldownSeconds: 3,
  async execute(interaction, context) {
    const options = readOptions(randomDefinition, interaction.options.data);
    await respond(interaction, () => randomReply(options, context), { deferEphemeral: false });
  },
});
