/**
 * The buttons under a film card (Overview / Cast / Trivia / Review, and ◀ ▶ pages). Their ids carry the film id,
 * view and page, so any process, before or after a restart, redraws the same message from the id alone.
 */
import type { ButtonHandler } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { UserFacingError } from "../src/errors.js";
import { filmCardReply } from "../src/discord/film-card-reply.js";
import { updateMessage, type ReplyPayload } from "../src/discord/reply.js";
import { ROUTER_MESSAGES } from "../src/discord/router.js";
import { parseCardButtonId } from "../src/embeds/film-card.js";

export const FILM_GONE_MESSAGE = "That film is no longer in the catalog.";

/** The redrawn card for a button id; a UserFacingError (answered privately) for a bad id or a film gone since. */
export function cardButtonReply(customId: string, context: Pick<BotContext, "catalog">): ReplyPayload {
  const target = parseCardButtonId(customId);
  if (target === null) throw new UserFacingError(ROUTER_MESSAGES.unknownButton);
  const film = context.catalog.current.get(target.filmId);
  if (film === undefined) throw new UserFacingError(FILM_GONE_MESSAGE);
  return filmCardReply(film, target.view, target.page);
}

export const cardButtons: ButtonHandler = {
  // Any version of the card id comes here: an id from a future or past format gets "doesn't work any more".
  prefix: "film:",
  async handle(interaction, context) {
    await updateMessage(interaction, cardButtonReply(interaction.customId, context));
  },
};
