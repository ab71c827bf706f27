import {
  ButtonStyle,
  ComponentType,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { escapeWithin } from "../src/cards/escape.js";
import { encodeCardButtonId, FILM_CARD_COLOUR, isEncodableFilmId } from "../src/cards/film-card.js";
import { yearLabel } from "../src/cards/film-text.js";
import { EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, fitMessage } from "../src/cards/limits.js";
import type { Film } from "../src/catalog/film.js";
import { UserFacingError } from "../src/errors.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { CommandOptions } from "../src/interactions/options.js";
import {
  type AskedFrom,
  FILM_TITLE_OPTION,
  FILM_YEAR_OPTION,
  filmCardReply,
  filmTitleChoices,
  GUILD_AND_DM,
  GUILD_INSTALL,
} from "./shared.js";

export const triviaDefinition = {
  name: "trivia",
  description: "Trivia about a film, or a random piece of film trivia",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    { ...FILM_TITLE_OPTION, required: false, description: "The film's title; leave it out for random trivia" },
    {
      ...FILM_YEAR_OPTION,
      description: "Release year: with a title, tells films apart; without, random trivia of that year",
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const triviaCard = filmCardReply("trivia");

export const NO_TRIVIA_MESSAGE = "There is no trivia in the catalog yet.";

/** Why there is no trivia of that year to draw from. */
export function noTriviaInYearMessage(year: number): string {
  return `No film from ${year} in the catalog has trivia. Try another year, or leave the year out.`;
}
const TRIVIA_HEADING = "Did you know?";

/**
 * With a title: the film card on its trivia view (the year tells films of that title apart). Without: one random piece
 * of trivia (the context's random), from a film of that year when one is given.
 */
export function triviaReply(
  options: CommandOptions<typeof triviaDefinition>,
  context: Pick<BotContext, "catalog" | "random" | "settings">,
  from: AskedFrom,
): MessageReply {
  const catalog = context.catalog.current;
  if (options.title !== null) return triviaCard({ title: options.title, year: options.year }, context, from);
  const pick = catalog.randomTrivia(context.random, options.year === null ? {} : { year: options.year });
  if (pick === undefined)
    throw new UserFacingError(options.year === null ? NO_TRIVIA_MESSAGE : noTriviaInYearMessage(options.year));
  return randomTriviaReply(pick.film, pick.trivia);
}

function randomTriviaReply(film: Film, trivia: string): MessageReply {
  const tail = ` ${yearLabel(film.year)}`;
  const heading = `${TRIVIA_HEADING} — `;
  const title = escapeWithin(film.title, EMBED_TITLE_LIMIT - heading.length - tail.length, { singleLine: true });
  const embed: APIEmbed = {
    title: `${heading}${title}${tail}`,
    description: escapeWithin(trivia, EMBED_DESCRIPTION_LIMIT) || "…",
    color: FILM_CARD_COLOUR,
  };
  const payload: MessageReply = { embeds: fitMessage([embed]) };
  if (isEncodableFilmId(film.id)) {
    payload.components = [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: "Open the film card",
            custom_id: encodeCardButtonId({ filmId: film.id, view: "overview", page: 0 }),
          },
        ],
      },
    ];
  }
  return payload;
}

export const trivia = defineCommand({
  definition: triviaDefinition,
  visibility: "public",
  reply: triviaReply,
  autocomplete: filmTitleChoices,
});
