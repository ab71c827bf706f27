/**
 * The menus a member is asked with when what they typed could be several films (see src/cards/film-pick.ts):
 * picking one posts its card in the channel, or adds it to their watchlist.
 */
import { buildFilmCard } from "../src/cards/film-card.js";
import { parsePickId } from "../src/cards/film-pick.js";
import { UserFacingError } from "../src/errors.js";
import { defineComponent } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import { FILM_GONE_MESSAGE } from "./card-buttons.js";
import { regionFor } from "./shared.js";
import { addFilm } from "./watchlist.js";

/** The film picked, still in the catalog. */
function picked(values: readonly string[], context: Pick<BotContext, "catalog">) {
  const film = context.catalog.current.details(values[0] ?? "");
  if (film === undefined) throw new UserFacingError(FILM_GONE_MESSAGE);
  return film;
}

export const pickCard = defineComponent({
  prefix: "pick:v1:card:",
  answer: { reply: "public" },
  parse: (customId) => {
    const action = parsePickId(customId);
    return action?.kind === "card" ? action : null;
  },
  reply: (action, context, { values, invoker }) =>
    buildFilmCard(picked(values, context), action.view, 0, regionFor(context, invoker)),
});

export const pickWatchlist = defineComponent({
  prefix: "pick:v1:watchlist",
  answer: { reply: "private" },
  parse: (customId) => (parsePickId(customId)?.kind === "watchlist" ? true : null),
  reply: (_, context, { invoker, values }) => addFilm(picked(values, context), invoker.userId, context),
});
