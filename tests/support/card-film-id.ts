import type { APIEmbed } from "discord-api-types/v10";

/** The film id a card's footer gives ("Film id: heat-1995 (paste it into /movie)"), or "" for a message without one. */
export function cardFilmId(message: { embeds?: APIEmbed[] | undefined }): string {
  return /^Film id: ([a-z0-9-]+)/.exec(message.embeds?.[0]?.footer?.text ?? "")?.[1] ?? "";
}
