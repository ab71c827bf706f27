import { plural } from "../src/format.js";
import {
  ApplicationCommandOptionType,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { PersonCredit } from "../src/catalog/catalog.js";
import { defineCommand } from "../src/discord/command.js";
import type { BotContext } from "../src/discord/context.js";
import { GUILD_AND_DM, GUILD_INSTALL } from "../src/discord/definitions.js";
import { personChoices, requirePerson } from "../src/discord/film-lookup.js";
import { filmListLabel, packLines } from "../src/embeds/film-text.js";
import { readAutocomplete, readOptions, type CommandOptions } from "../src/discord/options.js";
import { sendReply, type ReplyPayload } from "../src/discord/reply.js";
import { escapeWithin } from "../src/embeds/escape.js";
import { FILM_CARD_COLOUR } from "../src/embeds/film-card.js";
import { EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT, fitMessage } from "../src/embeds/limits.js";

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
): ReplyPayload {
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
  async execute(interaction, context) {
    await sendReply(interaction, personReply(readOptions(personDefinition, interaction.options.data), context));
  },
  async autocomplete(interaction, context) {
    const input = readAutocomplete(personDefinition, interaction.options.data);
    await interaction.respond(input === null ? [] : personChoices(context.catalog.current, input.focused.value));
  },
});
