import {
  ApplicationCommandOptionType,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { FILM_CARD_COLOUR } from "../src/cards/film-card.js";
import { filmListLabel, packLines } from "../src/cards/film-text.js";
import { genreLabel, requireGenre } from "../src/cards/genre-lookup.js";
import { EMBED_DESCRIPTION_LIMIT, fitMessage } from "../src/cards/limits.js";
import type { FilmSummary } from "../src/catalog/film.js";
import { UserFacingError } from "../src/errors.js";
import { plural, pluralNoun } from "../src/format.js";
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
  YEAR_FILTER_OPTION,
} from "./shared.js";

export const topDefinition = {
  name: "top",
  description: "The best-rated films (ratings weighted by their number of votes)",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    {
      type: ApplicationCommandOptionType.Integer,
      name: "count",
      description: "How many films (1-25, default 10)",
      min_value: 1,
      max_value: 25,
    },
    YEAR_FILTER_OPTION,
    GENRE_FILTER_OPTION,
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const DEFAULT_TOP_COUNT = 10;

/** The ranked list as one embed; a genre the catalog lacks is answered privately. */
export function topReply(
  options: CommandOptions<typeof topDefinition>,
  context: Pick<BotContext, "catalog" | "settings">,
  from: AskedFrom,
): MessageReply {
  const count = options.count ?? DEFAULT_TOP_COUNT;
  const catalog = context.catalog.current;
  const genre = options.genre === null ? null : requireGenre(catalog, options.genre).name;
  const films = catalog.top(count, {
    ...(options.year === null ? {} : { year: options.year }),
    ...(genre === null ? {} : { genre }),
    noAdultIn: noAdultRegionFor(context, from),
  });
  const kind = genre === null ? "" : `${genreLabel(genre)} `;
  if (films.length === 0) {
    throw new UserFacingError(
      options.year === null && genre === null
        ? "No film in the catalog has a rating yet."
        : `No rated ${kind}film${options.year === null ? "" : ` from ${options.year}`} in the catalog.`,
    );
  }
  const lines = films.map((film, index) => `${index + 1}. ${filmListLabel(film)} — ${ratingText(film)}`);
  const embed: APIEmbed = {
    title: `Top ${films.length} ${kind}${pluralNoun(films.length, "film")}${options.year === null ? "" : ` of ${options.year}`}`,
    description: packLines(lines, EMBED_DESCRIPTION_LIMIT, (hidden) => `…and ${hidden} more`),
    footer: { text: "Ranked by rating, weighted by votes: a few enthusiastic votes do not beat many good ones." },
    color: FILM_CARD_COLOUR,
  };
  return { embeds: fitMessage([embed]) };
}

function ratingText(film: FilmSummary): string {
  const rating = film.rating;
  if (rating === null) return "unrated";
  const votes = rating.votes === null ? "" : ` (${plural(rating.votes, "vote")})`;
  return `★ ${rating.score.toFixed(1)}${votes}`;
}

export const top = defineCommand({
  definition: topDefinition,
  visibility: "public",
  // Ranking sorts the whole catalog; a few seconds between uses keeps a burst from stalling everyone else.
  cooldownSeconds: 5,
  reply: topReply,
  autocomplete: genreFilterChoices,
});
