import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { buildFilmCard } from "../src/cards/film-card.js";
import { UserFacingError } from "../src/errors.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { CommandOptions } from "../src/interactions/options.js";
import {
  type AskedFrom,
  GUILD_AND_DM,
  GUILD_INSTALL,
  noAdultRegionFor,
  regionFor,
  YEAR_FILTER_OPTION,
} from "./shared.js";

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
  context: Pick<BotContext, "catalog" | "random" | "settings">,
  from: AskedFrom,
): MessageReply {
  const filter = {
    ...(options.min_rating === null ? {} : { minRating: options.min_rating }),
    ...(options.year === null ? {} : { year: options.year }),
    noAdultIn: noAdultRegionFor(context, from),
  };
  const catalog = context.catalog.current;
  const drawn = catalog.random(filter, context.random);
  const film = drawn === undefined ? undefined : catalog.details(drawn.id);
  if (film === undefined) throw new UserFacingError(noMatchMessage(options, catalog.size));
  return buildFilmCard(film, "overview", 0, regionFor(context, from));
}

function noMatchMessage(options: CommandOptions<typeof randomDefinition>, catalogSize: number): string {
  const conditions = [
    ...(options.min_rating === null ? [] : [`rated ${options.min_rating} or more`]),
    ...(options.year === null ? [] : [`from ${options.year}`]),
  ];
  if (conditions.length > 0) return `No film in the catalog is ${conditions.join(" and ")}.`;
  // Nothing asked for, yet nothing drawn: every film is rated for adults, and this server leaves them out.
  return catalogSize === 0
    ? "The catalog is empty."
    : "Every film in the catalog is rated for adults, and this server leaves them out (`/settings set adult-films`).";
}

export const random = defineCommand({
  definition: randomDefinition,
  visibility: "public",
  // Drawing filters the whole catalog: cheap, but not something to run in a tight loop.
  cooldownSeconds: 3,
  reply: randomReply,
});
