import {
  ApplicationCommandOptionType,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { escapeWithin } from "../src/cards/escape.js";
import { FILM_CARD_COLOUR } from "../src/cards/film-card.js";
import { CHOICE_LIMIT, cleanQuery, requireFilm, type LookupChoice } from "../src/cards/film-lookup.js";
import { filmChoiceName, filmListLabel, packLines } from "../src/cards/film-text.js";
import { AUTOCOMPLETE_CHOICE_NAME_LIMIT, EMBED_DESCRIPTION_LIMIT, fitMessage, truncate } from "../src/cards/limits.js";
import type { Catalog } from "../src/catalog/catalog.js";
import type { FilmSummary } from "../src/catalog/film.js";
import { isConvincingMatch } from "../src/catalog/search/match-rules.js";
import { normalizeText } from "../src/catalog/normalize.js";
import { UserFacingError } from "../src/errors.js";
import { plural } from "../src/format.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { SubcommandInput } from "../src/interactions/options.js";
import { StoreUnavailableError, WATCHLIST_LIMIT, type WatchlistEntry } from "../src/store/store.js";
import {
  FILM_TITLE_OPTION,
  FILM_YEAR_OPTION,
  filmTitleChoices,
  GUILD_AND_DM,
  GUILD_INSTALL,
  TITLE_OPTION_MAX_LENGTH,
} from "./shared.js";

export const watchlistDefinition = {
  name: "watchlist",
  description: "Your personal list of films to watch",
  // Personal, so it works in DMs with the bot as well as in servers.
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "add",
      description: "Add a film to your watchlist",
      options: [FILM_TITLE_OPTION, FILM_YEAR_OPTION],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "remove",
      description: "Remove a film from your watchlist",
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "title",
          description: "A film on your watchlist",
          required: true,
          autocomplete: true,
          max_length: TITLE_OPTION_MAX_LENGTH,
        },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Show your watchlist" },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

type WatchlistContext = Pick<BotContext, "catalog" | "store" | "clock">;

/** What a watchlist subcommand answers (always privately: a watchlist is the member's own business). */
export async function watchlistReply(
  input: SubcommandInput<typeof watchlistDefinition>,
  userId: string,
  context: WatchlistContext,
): Promise<MessageReply> {
  try {
    switch (input.subcommand) {
      case "add":
        return await addReply(input.options.title, input.options.year, userId, context);
      case "remove":
        return await removeReply(input.options.title, userId, context);
      case "list":
        return await listReply(userId, context);
    }
  } catch (error) {
    throw explainStoreFailure(error);
  }
}

/** What a member is told when the store cannot answer; the store logs the outage itself, once. */
export const WATCHLIST_UNAVAILABLE = {
  cannotSave: "Your watchlist can't be saved right now: nothing was changed. Please try again later.",
  tryAgain: "Watchlists are temporarily unavailable. Please try again in a minute.",
} as const;

/**
 * A store failure as the member's message (a write cut off by a timeout happened entirely or not at all, so trying
 * again is safe); any other error as it is.
 */
function explainStoreFailure(error: unknown): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  const cannotSave = error.reason === "full" || error.reason === "read-only";
  return new UserFacingError(cannotSave ? WATCHLIST_UNAVAILABLE.cannotSave : WATCHLIST_UNAVAILABLE.tryAgain, {
    cause: error,
  });
}

async function addReply(
  title: string,
  year: number | null,
  userId: string,
  context: WatchlistContext,
): Promise<MessageReply> {
  return addFilm(requireFilm(context.catalog.current, title, year, { kind: "watchlist" }), userId, context);
}

/** Adds `film` to the member's list: from /watchlist add, or a film picked from the menu it asked with. */
export async function addFilm(film: FilmSummary, userId: string, context: WatchlistContext): Promise<MessageReply> {
  const result = await context.store.watchlists.add(userId, film.id, context.clock()).catch((error: unknown) => {
    throw explainStoreFailure(error);
  });
  if (result === "full")
    throw new UserFacingError(
      `Your watchlist is full (${WATCHLIST_LIMIT} films). Make room with \`/watchlist remove\`.`,
    );
  if (result === "already-listed") return text(`${filmListLabel(film)} is already on your watchlist.`);
  return text(`Added ${filmListLabel(film)} to your watchlist.`);
}

async function removeReply(title: string, userId: string, context: WatchlistContext): Promise<MessageReply> {
  const catalog = context.catalog.current;
  const entries = await context.store.watchlists.list(userId);
  const filmId = entryFor(entries, title, catalog)?.filmId;
  if (filmId === undefined || !(await context.store.watchlists.remove(userId, filmId))) {
    throw new UserFacingError("That film is not on your watchlist. `/watchlist list` shows what is.");
  }
  const film = catalog.get(filmId);
  return text(
    `Removed ${film === undefined ? escapeWithin(filmId, 100, { singleLine: true }) : filmListLabel(film)} from your watchlist.`,
  );
}

/**
 * The entry a member meant: the id autocomplete sends, else a title typed by hand — as /watchlist add takes it, with
 * typos or a year after the title — looked up in the catalog and matched against their own list.
 */
function entryFor(entries: readonly WatchlistEntry[], typed: string, catalog: Catalog): WatchlistEntry | undefined {
  const exact = entries.find((entry) => entry.filmId === typed.trim());
  if (exact !== undefined) return exact;
  const query = cleanQuery(typed);
  if (query === "") return undefined;
  const normalized = normalizeText(query);
  const byTitle = entries.find(
    (entry) => normalizeText(catalog.get(entry.filmId)?.title ?? entry.filmId) === normalized,
  );
  if (byTitle !== undefined) return byTitle;
  const listed = new Map(entries.map((entry) => [entry.filmId, entry]));
  const best = catalog
    .search(query, { limit: 25 })
    .find((match) => listed.has(match.film.id) && isConvincingMatch(match.score));
  return best === undefined ? undefined : listed.get(best.film.id);
}

async function listReply(userId: string, context: WatchlistContext): Promise<MessageReply> {
  const catalog = context.catalog.current;
  const entries = await context.store.watchlists.list(userId);
  if (entries.length === 0) return text("Your watchlist is empty. Add films with `/watchlist add`.");
  const lines = entries.map((entry, index) => {
    const film = catalog.get(entry.filmId);
    // A film dropped from the catalog since it was added still shows, by its id.
    const label =
      film === undefined
        ? `${escapeWithin(entry.filmId, 100, { singleLine: true })} (no longer in the catalog)`
        : filmListLabel(film);
    return `${index + 1}. ${label}`;
  });
  const embed: APIEmbed = {
    title: "Your watchlist",
    description: packLines(lines, EMBED_DESCRIPTION_LIMIT, (hidden) => `…and ${hidden} more`),
    footer: { text: `${plural(entries.length, "film")} · oldest first` },
    color: FILM_CARD_COLOUR,
  };
  return { embeds: fitMessage([embed]) };
}

/** Choices for `remove`: the member's own films whose title contains what they typed. */
export async function watchlistRemoveChoices(
  userId: string,
  typed: string,
  context: WatchlistContext,
): Promise<LookupChoice[]> {
  const catalog = context.catalog.current;
  const query = normalizeText(cleanQuery(typed));
  const choices: LookupChoice[] = [];
  for (const entry of await context.store.watchlists.list(userId)) {
    if (entry.filmId.length > 100) continue;
    const film = catalog.get(entry.filmId);
    const name =
      film === undefined
        ? truncate(`${entry.filmId} (no longer in the catalog)`, AUTOCOMPLETE_CHOICE_NAME_LIMIT)
        : filmChoiceName(film);
    if (query !== "" && !normalizeText(name).includes(query)) continue;
    choices.push({ name, value: entry.filmId });
    if (choices.length === CHOICE_LIMIT) break;
  }
  return choices;
}

function text(content: string): MessageReply {
  return { content };
}

export const watchlist = defineCommand({
  definition: watchlistDefinition,
  visibility: "private",
  reply: (input, context, invoker) => watchlistReply(input, invoker.userId, context),
  autocomplete: (input, context, invoker) =>
    input.subcommand === "remove"
      ? watchlistRemoveChoices(invoker.userId, input.focused.value, context)
      : filmTitleChoices(input, context),
});
