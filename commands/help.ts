import {
  ApplicationCommandOptionType,
  type APIApplicationCommandOption,
  type APIEmbed,
  type APIEmbedField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { FILM_CARD_COLOUR } from "../src/cards/film-card.js";
import { TMDB_NOTICE } from "../src/cards/film-text.js";
import { EMBED_FIELD_COUNT_LIMIT, EMBED_FIELD_VALUE_LIMIT, fitMessage, truncate } from "../src/cards/limits.js";
import { defineCommand, worksInDms, type Command, type MessageReply } from "../src/interactions/command.js";
import { GUILD_AND_DM, GUILD_INSTALL } from "./shared.js";

export const helpDefinition = {
  name: "help",
  description: "What this bot can do",
  contexts: GUILD_AND_DM,
  integration_types: GUILD_INSTALL,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

/** The command list, written from the same definitions that are registered with Discord. */
export function helpReply(definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): MessageReply {
  const fields: APIEmbedField[] = definitions.slice(0, EMBED_FIELD_COUNT_LIMIT).map((definition) => ({
    name: usage(definition),
    value: truncate(explanation(definition), EMBED_FIELD_VALUE_LIMIT),
  }));
  const embed: APIEmbed = {
    title: "Film bot: commands",
    description: "Titles and names complete as you type: pick one from the list, or type and send.",
    fields,
    footer: { text: `Commands marked “server only” do not work in DMs. ${TMDB_NOTICE}` },
    color: FILM_CARD_COLOUR,
  };
  return { embeds: fitMessage([embed]) };
}

/** "/movie title [year]": required options bare, optional ones in brackets; subcommands by name ("set region"). */
function usage(definition: RESTPostAPIChatInputApplicationCommandsJSONBody): string {
  const subcommands = subcommandsOf(definition.options ?? []);
  if (subcommands.length > 0) return `/${definition.name} ${subcommands.map(({ path }) => path).join(" | ")}`;
  return [`/${definition.name}`, ...(definition.options ?? []).map(optionUsage)].join(" ");
}

function explanation(definition: RESTPostAPIChatInputApplicationCommandsJSONBody): string {
  const lines = [definition.description + (worksInDms(definition) ? "" : " (server only)")];
  for (const { path, option } of subcommandsOf(definition.options ?? [])) {
    const leaves = "options" in option ? (option.options ?? []) : [];
    lines.push(`• \`${[path, ...leaves.map(optionUsage)].join(" ")}\`: ${option.description}`);
  }
  return lines.join("\n");
}

/** Every subcommand, those in a group named after it: "add", "set region". */
function subcommandsOf(
  options: readonly APIApplicationCommandOption[],
  group = "",
): { path: string; option: APIApplicationCommandOption }[] {
  return options.flatMap((option) => {
    if (option.type === ApplicationCommandOptionType.Subcommand) return [{ path: group + option.name, option }];
    if (option.type === ApplicationCommandOptionType.SubcommandGroup)
      return subcommandsOf(option.options ?? [], `${group}${option.name} `);
    return [];
  });
}

function optionUsage(option: APIApplicationCommandOption): string {
  return option.required === true ? option.name : `[${option.name}]`;
}

/** /help lists `commands()`: a function, because the list it belongs to is built after it. */
export function helpCommandFor(commands: () => readonly Command[]): Command<typeof helpDefinition> {
  return defineCommand({
    definition: helpDefinition,
    visibility: "private",
    reply: () => helpReply(commands().map((command) => command.definition)),
  });
}
