import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { buildFilmCard } from "../src/cards/film-card.js";
import { genreLabel, requireGenre } from "../src/cards/genre-lookup.js";
import { UserFacingError } from "../src/errors.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { CommandOptions } from "../src/interactions/options.js";
import {
  type AskedFrom,
  GENRE_FILTER_OPTION,
  genreFilterChoices,
  GUILD_AND_DM,
  GUILD_INSTALL,
  noAdultRegionFor,
  regionFor,
  YEAR_FILTER_OPTION,
} from "./shared.js";

export const randomDefinition = {
  name: "random",
  description: "A random film, optionally well rated, from a given year or of a genre",
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
    GENRE_FILTER_OPTION,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** A random film's card, drawn with the context's random source; a genre the catalog lacks is answered privately. */
export function randomReply(
  options: CommandOptions<typeof randomDefinition>,
  context: Pick<BotContext, "catalog" | "random" | "settings">,
  from: AskedFrom,
): MessageReply {
  const catalog = context.catalog.current;
  const genre = options.genre === null ? null : requireGenre(catalog, options.genre).name;
  const filter = {
    ...(options.min_rating === null ? {} : { minRating: options.min_rating }),
    ...(options.year === null ? {} : { year: options.year }),
    ...(genre === null ? {} : { genre }),
    noAdultIn: noAdultRegionFor(context, from),
  };
  const drawn = catalog.random(filter, context.random);
  const film = drawn === undefined ? undefined : catalog.details(drawn.id);
  if (film === undefined) throw new UserFacingError(noMatchMessage(options, genre, catalog.size));
  return buildFilmCard(film, "overview", 0, regionFor(context, from));
}

function noMatchMessage(
  options: CommandOptions<typeof randomDefinition>,
  genre: string | null,
  catalogSize: number,
): string {
  const conditions = [
    ...(options.min_rating === null ? [] : [`rated ${options.min_rating} or more`]),
    ...(options.year === null ? [] : [`from ${options.year}`]),
  ];
  const films = genre === null ? "film" : `${genreLabel(genre)} film`;
  if (conditions.length > 0) return `No ${films} in the catalog is ${conditions.join(" and ")}.`;
  if (catalogSize === 0) return "The catalog is empty.";
  // Nothing asked for but a genre the catalog has, yet nothing drawn: every one of those films is rated for adults,
  // and this server leaves them out.
  return `Every ${films} in the catalog is rated for adults, and this server leaves them out (\`/settings set adult-films\`).`;
}

export const random = defineCommand({
  definition: randomDefinition,
  visibility: "public",
  // Drawing filters the whole catalog: cheap, but not something to run in a tight loop.
  cooldownSeconds: 3,
  reply: randomReply,
  autocomplete: genreFilterChoices,
});
