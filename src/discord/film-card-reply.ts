import type { Film } from "../catalog/film.js";
import { buildFilmCard, type FilmView } from "../embeds/film-card.js";
import type { ReplyPayload } from "./reply.js";

/** A film card (embeds/film-card.ts builds every one) as a reply payload; the router's helpers add silent mentions. */
export function filmCardReply(film: Film, view: FilmView = "overview", page = 0): ReplyPayload {
  const card = buildFilmCard(film, view, page);
  return { embeds: card.embeds, components: card.components };
}
