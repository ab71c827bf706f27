import {
  ApplicationCommandOptionType,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { escapeWithin } from "../src/cards/escape.js";
import { FILM_CARD_COLOUR } from "../src/cards/film-card.js";
import { personChoices, requirePerson } from "../src/cards/film-lookup.js";
import { filmListLabel, packLines } from "../src/cards/film-text.js";
import { EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, fitMessage } from "../src/cards/limits.js";
import type { PersonCredit } from "../src/catalog/catalog.js";
import { plural } from "../src/format.js";
import { defineCommand, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { CommandOptions } from "../src/interactions/options.js";
import { GUILD_AND_DM, GUILD_INSTALL } from "./shared.js";

export const personDefinition = {
  name: "person",
  description: "A director's or actor's films in the catalog, newest first, with their roles",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: "name",
      description: "The person's name (pick one from the list, or type and send)",
      required: true,
      autocomplete: true,
      max_length: 200,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Roles are cut here so that one line never crowds out the rest of the filmography. */
const ROLES_LIMIT = 80;

/** The filmography, newest first, as many credits as fit one embed (the rest counted in the last line). */
export function personReply(
  options: CommandOptions<typeof personDefinition>,
  context: Pick<BotContext, "catalog">,
): MessageReply {
  const person = requirePerson(context.catalog.current, options.name);
  const directed = person.credits.filter((credit) => credit.directed).length;
  const acted = person.credits.filter((credit) => credit.inCast || credit.starred).length;
  const lines = person.credits.map(creditLine);
  const embed: APIEmbed = {
    title: escapeWithin(person.name, EMBED_TITLE_LIMIT, { singleLine: true }) || "Unnamed",
    description: packLines(lines, EMBED_DESCRIPTION_LIMIT, (hidden) => `…and ${plural(hidden, "more film")}`),
    footer: {
      text: [plural(person.credits.length, "film"), `directed ${directed}`, `acted in ${acted}`].join(" · "),
    },
    color: FILM_CARD_COLOUR,
  };
  return { embeds: fitMessage([embed]) };
}

/** "• **Miss You Already** (2015) — director · as Jess". */
function creditLine(credit: PersonCredit): string {
  const parts: string[] = [];
  if (credit.directed) parts.push("director");
  if (credit.roles.length > 0)
    parts.push(`as ${escapeWithin(credit.roles.join(", "), ROLES_LIMIT, { singleLine: true })}`);
  else if (credit.inCast || credit.starred) parts.push("cast");
  return `• ${filmListLabel(credit.film)}${parts.length > 0 ? ` — ${parts.join(" · ")}` : ""}`;
}

export const person = defineCommand({
  definition: personDefinition,
  visibility: "public",
  reply: personReply,
  autocomplete: (input, context) => personChoices(context.catalog.current, input.focused.value),
});
