/**
 * Pieces shared by commands: where they work, the film title, year and genre options with their completion, and the
 * reply of the commands that show a film's card. Where a command may run is not needed at the type level, so these
 * are plain (mutable-typed, never mutated) arrays that fit Discord's JSON body types inside `as const` definitions.
 */
import {
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
} from "discord-api-types/v10";
import { buildFilmCard, type FilmView } from "../src/cards/film-card.js";
import { filmChoices, requireFilm, type LookupChoice } from "../src/cards/film-lookup.js";
import { genreChoices } from "../src/cards/genre-lookup.js";
import { MAX_FILM_YEAR, MIN_FILM_YEAR } from "../src/catalog/film.js";
import type { Invoker, MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";

/** Installed to servers (the `bot applications.commands` invite); no user installs. */
export const GUILD_INSTALL: ApplicationIntegrationType[] = [ApplicationIntegrationType.GuildInstall];
/** Usable in servers and in DMs with the bot. */
export const GUILD_AND_DM: InteractionContextType[] = [InteractionContextType.Guild, InteractionContextType.BotDM];
/** Usable in servers only. */
export const GUILD_ONLY: InteractionContextType[] = [InteractionContextType.Guild];

/** Titles typed by hand are longer than ids; nothing real is longer than this. */
export const TITLE_OPTION_MAX_LENGTH = 200;

/** The film title option of /movie, /cast, /trivia and /watchlist add: completes as the member types. */
export const FILM_TITLE_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: "title",
  description: "The film's title (pick one from the list, or type and send)",
  required: true,
  autocomplete: true,
  max_length: TITLE_OPTION_MAX_LENGTH,
} as const;

/** The year that tells films of the same title apart, next to FILM_TITLE_OPTION. */
export const FILM_YEAR_OPTION = {
  type: ApplicationCommandOptionType.Integer,
  name: "year",
  description: "Release year, to tell films with the same title apart",
  min_value: MIN_FILM_YEAR,
  max_value: MAX_FILM_YEAR,
} as const;

/** A year that narrows a list (/random, /top) to the films of that year. */
export const YEAR_FILTER_OPTION = { ...FILM_YEAR_OPTION, description: "Only films from this year" } as const;

/** A genre that narrows a list (/random, /top): completes from the catalog's genres, with their film counts. */
export const GENRE_FILTER_OPTION = {
  type: ApplicationCommandOptionType.String,
  name: "genre",
  description: "Only films of this genre (pick one from the list)",
  autocomplete: true,
  max_length: 100,
} as const;

/** Suggestions for GENRE_FILTER_OPTION as the member types. */
export function genreFilterChoices(
  input: { readonly focused: { readonly value: string } },
  context: Pick<BotContext, "catalog">,
): LookupChoice[] {
  return genreChoices(context.catalog.current, input.focused.value);
}

/** Suggestions for FILM_TITLE_OPTION as the member types, narrowed by the `year` option when filled in first. */
export function filmTitleChoices(
  input: { readonly focused: { readonly value: string }; readonly values: { readonly year?: number | null } },
  context: Pick<BotContext, "catalog">,
): LookupChoice[] {
  return filmChoices(context.catalog.current, input.focused.value, input.values.year ?? null);
}

/** Who asks, as a card reads it: the server whose settings apply (null in DMs). */
export type AskedFrom = Pick<Invoker, "guildId">;

/** The region whose watch offers a card shows: the server's setting, else WATCH_REGION. */
export function regionFor(context: Pick<BotContext, "settings">, from: AskedFrom): string {
  return context.settings.of(from.guildId).region;
}

/**
 * The region in which /random and /top leave out films rated for adults, or undefined where the server allows them
 * (/settings adult-films).
 */
export function noAdultRegionFor(context: Pick<BotContext, "settings">, from: AskedFrom): string | undefined {
  const settings = context.settings.of(from.guildId);
  return settings.adultFilms ? undefined : settings.region;
}

/**
 * The reply of a command that shows the card of the film named by its title and year options, on `view`, with the
 * watch offers of the server's region.
 */
export function filmCardReply(
  view: FilmView,
): (
  options: { title: string; year: number | null },
  context: Pick<BotContext, "catalog" | "settings">,
  from: AskedFrom,
) => MessageReply {
  return (options, context, from) =>
    buildFilmCard(
      requireFilm(context.catalog.current, options.title, options.year, { kind: "card", view }),
      view,
      0,
      regionFor(context, from),
    );
}
