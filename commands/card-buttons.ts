/**
 * The buttons under a film card (Overview / Cast / Trivia / Review / Where to watch, and ◀ ▶ pages). Their ids carry the film id,
 * view and page, so any process, before or after a restart, redraws the same message from the id alone.
 */
import { buildFilmCard, parseCardButtonId, type CardButtonTarget } from "../src/cards/film-card.js";
import { UserFacingError } from "../src/errors.js";
import { defineComponent, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import { type AskedFrom, regionFor } from "./shared.js";

export const FILM_GONE_MESSAGE = "That film is no longer in the catalog.";

/** The card a button asks for; a UserFacingError (answered privately) for a film gone since. */
export function cardViewReply(
  target: CardButtonTarget,
  context: Pick<BotContext, "catalog" | "settings">,
  use: { invoker: AskedFrom },
): MessageReply {
  const film = context.catalog.current.details(target.filmId);
  if (film === undefined) throw new UserFacingError(FILM_GONE_MESSAGE);
  return buildFilmCard(film, target.view, target.page, regionFor(context, use.invoker));
}

export const cardButtons = defineComponent({
  // Any version of the card id comes here: an id from a future or past format gets "doesn't work any more".
  prefix: "film:",
  answer: "update",
  parse: parseCardButtonId,
  reply: cardViewReply,
});
