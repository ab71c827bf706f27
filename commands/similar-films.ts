/**
 * The Similar button under a film card: films like this one, from the catalog alone, answered privately (the card
 * stays as it is for everyone reading it), with a menu whose pick posts that film's card in the channel.
 */
import { parseSimilarButtonId, SIMILAR_ID_PREFIX } from "../src/cards/film-card.js";
import { filmListLabel } from "../src/cards/film-text.js";
import { SIMILAR_COUNT, similarMessage } from "../src/cards/similar-films.js";
import { UserFacingError } from "../src/errors.js";
import { defineComponent, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import { FILM_GONE_MESSAGE } from "./card-buttons.js";

/** Films like the button's film; a UserFacingError (answered privately) for a film gone since, or none alike. */
export function similarFilmsReply(target: { filmId: string }, context: Pick<BotContext, "catalog">): MessageReply {
  const catalog = context.catalog.current;
  const film = catalog.get(target.filmId);
  if (film === undefined) throw new UserFacingError(FILM_GONE_MESSAGE);
  const matches = catalog.similar(film.id, SIMILAR_COUNT);
  if (matches.length === 0) {
    throw new UserFacingError(
      `No film in the catalog is much like ${filmListLabel(film)}: it shares no director, cast member or genre with another.`,
    );
  }
  return similarMessage(film, matches, catalog);
}

export const similarFilms = defineComponent({
  prefix: SIMILAR_ID_PREFIX,
  answer: { reply: "private" },
  parse: parseSimilarButtonId,
  reply: similarFilmsReply,
});
