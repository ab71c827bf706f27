/**
 * /settings: a server's own settings, for members with Manage Server. `view` shows them with their latest changes;
 * `set <setting>` changes one, each setting its own subcommand with typed options (a country from a list, a choice,
 * channels, a yes/no), so that Discord's own pickers do most of the checking and nothing free-form reaches the store.
 * Every change is audited (who, server, setting, before → after, when) and in force in every process at once.
 */
import {
  ApplicationCommandOptionType,
  ChannelType,
  PermissionFlagsBits,
  type ApplicationCommandOptionAllowedChannelType,
  type APIEmbed,
  type APIEmbedField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { escapeWithin } from "../src/cards/escape.js";
import { FILM_CARD_COLOUR } from "../src/cards/film-card.js";
import { packLines } from "../src/cards/film-text.js";
import { EMBED_FIELD_VALUE_LIMIT, fitMessage } from "../src/cards/limits.js";
import { UserFacingError } from "../src/errors.js";
import { defineCommand, type Choice, type Invoker, type MessageReply } from "../src/interactions/command.js";
import type { BotContext } from "../src/interactions/context.js";
import type { SubcommandInput } from "../src/interactions/options.js";
import { parseRegion, regionChoices, regionLabel } from "../src/settings/regions.js";
import type { SettingChangeOutcome } from "../src/settings/server-settings.js";
import {
  describeStored,
  fieldOfKey,
  PUBLIC_CHANNELS_LIMIT,
  SETTING_FIELDS,
  SETTINGS,
  type GuildSettings,
  type SettingField,
} from "../src/settings/settings.js";
import { StoreUnavailableError, type SettingsAuditEntry } from "../src/store/store.js";
import { GUILD_INSTALL, GUILD_ONLY } from "./shared.js";

/** The channels a server can list as public: text channels (a thread follows the channel it belongs to). */
const TEXT_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [ChannelType.GuildText];

/** A text channel option of `set public-channels`: the first is `channel`, the others `channel_2`… */
function channelOption<const Name extends string>(name: Name, description: string) {
  return { type: ApplicationCommandOptionType.Channel, name, description, channel_types: TEXT_CHANNELS } as const;
}

/** What `country` takes besides a region: back to the bot's default (WATCH_REGION). */
const DEFAULT_REGION_KEYWORD = "default";

export const settingsDefinition = {
  name: "settings",
  description: "Moderators: this server's settings for the bot",
  contexts: GUILD_ONLY,
  integration_types: GUILD_INSTALL,
  // Hidden from members without Manage Server by default; checked again at run time (server settings can change it).
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: "view", description: "Show this server's settings" },
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: "set",
      description: "Change one setting",
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "region",
          description: "The country for film certifications and where-to-watch",
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: "country",
              description: "Pick from the list, or type a two-letter code (FR, US, GB); “default” for the bot's",
              required: true,
              autocomplete: true,
              max_length: 60,
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "cards",
          description: "Whether film cards and lists are posted for everyone or shown only to the member who asked",
          options: [
            {
              type: ApplicationCommandOptionType.String,
              name: "visibility",
              description: "Public or private by default",
              required: true,
              max_length: 7,
              choices: [
                { name: "Public: everyone in the channel sees them", value: "public" },
                { name: "Private: only the member who asked sees them", value: "private" },
              ],
            },
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "public-channels",
          description: `Up to ${PUBLIC_CHANNELS_LIMIT} channels where cards are public (private elsewhere); none: every channel`,
          options: [
            channelOption("channel", "A channel where cards are public (leave every channel empty: all channels)"),
            channelOption("channel_2", "Another one"),
            channelOption("channel_3", "Another one"),
            channelOption("channel_4", "Another one"),
            channelOption("channel_5", "Another one"),
          ],
        },
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "adult-films",
          description: "Whether /random and /top may pick films rated for adults",
          options: [
            {
              type: ApplicationCommandOptionType.Boolean,
              name: "allowed",
              description: "True: they may; False: they are left out (the default)",
              required: true,
            },
          ],
        },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const SETTINGS_MESSAGES = {
  notInGuild: "Server settings exist only in a server.",
  noPermission: "Only members with the Manage Server permission can see or change this server's settings.",
  unavailable:
    "Server settings can't be changed right now: the bot's storage is not answering. Nothing was changed; " +
    "please try again in a minute.",
  timeout:
    "The bot's storage did not answer in time, so the change may or may not have been saved. " +
    "`/settings view` shows what is in force; please try again in a minute.",
  cannotSave: "Server settings can't be saved right now (the bot's storage is full or read-only): nothing was changed.",
  unknownRegion: (typed: string) =>
    `“${escapeWithin(typed, 60, { singleLine: true })}” is not a country or territory I know. ` +
    "Pick one from the list, or type its two-letter ISO code, such as FR, US or GB.",
  notLoaded: "The bot's storage could not be read yet: the defaults below apply until it answers.",
  historyUnavailable: "Unavailable right now (the bot's storage is not answering).",
} as const;

/** Why this member may not use /settings here, or null when they may. */
export function settingsRefusal(invoker: Pick<Invoker, "guildId" | "permissions">): string | null {
  if (invoker.guildId === null) return SETTINGS_MESSAGES.notInGuild;
  if (invoker.permissions?.has(PermissionFlagsBits.ManageGuild) !== true) return SETTINGS_MESSAGES.noPermission;
  return null;
}

type SettingsContext = Pick<BotContext, "settings" | "store" | "logger">;

/** How many of the server's latest changes `view` lists. */
const HISTORY_SHOWN = 5;

/** What `/settings view` shows: each setting in force (saying which are defaults), and the latest changes. */
export async function settingsView(guildId: string, context: SettingsContext): Promise<MessageReply> {
  const { settings } = context;
  const stored = settings.storedOf(guildId);
  const fields: APIEmbedField[] = SETTING_FIELDS.map((field) => ({
    name: SETTINGS[field].label,
    value: describeStored(field, stored[SETTINGS[field].key] ?? null, settings.defaults),
  }));
  const inForce = settings.of(guildId);
  const notes: string[] = [];
  if (!settings.loaded) notes.push(`⚠️ ${SETTINGS_MESSAGES.notLoaded}`);
  if (inForce.cardVisibility === "private" && inForce.publicChannelIds.length > 0)
    notes.push("Card answers are private everywhere, so the public channels count only once cards are public again.");
  fields.push({ name: "Latest changes", value: await historyText(guildId, context) });
  const embed: APIEmbed = {
    title: "Settings for this server",
    description: [
      "Change one with `/settings set …`; every change is recorded with who made it.",
      "Card answers are the cards and lists of /movie, /cast, /trivia, /person, /random and /top.",
      ...notes,
    ].join("\n"),
    fields,
    color: FILM_CARD_COLOUR,
  };
  return { embeds: fitMessage([embed]) };
}

async function historyText(guildId: string, context: SettingsContext): Promise<string> {
  let entries: SettingsAuditEntry[];
  try {
    entries = await context.store.guildSettings.recentChanges(guildId, HISTORY_SHOWN);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    return SETTINGS_MESSAGES.historyUnavailable;
  }
  if (entries.length === 0) return "None yet: every setting is as the bot started.";
  const lines = entries.map((entry) => historyLine(entry, context.settings.defaults));
  return packLines(lines, EMBED_FIELD_VALUE_LIMIT, (hidden) => `…and ${hidden} more`);
}

/** "<t:…:R> by <@123>: Region: United States (US) (the default) → France (FR)". */
function historyLine(entry: SettingsAuditEntry, defaults: GuildSettings): string {
  const field = fieldOfKey(entry.setting);
  const seconds = Math.floor(Date.parse(entry.at) / 1000);
  const when = Number.isFinite(seconds) ? `<t:${seconds}:R>` : "at an unknown time";
  const member = /^user:(\d{1,20})\b/.exec(entry.by)?.[1];
  const who = member === undefined ? escapeWithin(entry.by, 100, { singleLine: true }) : `<@${member}>`;
  if (field === undefined) return `${when} by ${who}: ${escapeWithin(entry.setting, 100, { singleLine: true })}`;
  const values = `${describeStored(field, entry.from, defaults)} → ${describeStored(field, entry.to, defaults)}`;
  return `${when} by ${who}: ${SETTINGS[field].label}: ${values}`;
}

/** Changes one setting and says what it did; a store that cannot take the change is the member's message. */
async function change<Field extends SettingField>(
  field: Field,
  value: GuildSettings[Field] | null,
  guildId: string,
  invoker: Invoker,
  context: SettingsContext,
): Promise<MessageReply> {
  let outcome: SettingChangeOutcome;
  try {
    outcome = await context.settings.change(guildId, field, value, `user:${invoker.userId} (${invoker.username})`);
  } catch (error) {
    throw explainStoreFailure(error);
  }
  const label = SETTINGS[field].label;
  if (!outcome.changed) return { content: `**${label}** is already ${outcome.to}: nothing changed.` };
  return { content: `**${label}** changed: ${outcome.from} → ${outcome.to}.` };
}

function explainStoreFailure(error: unknown): unknown {
  if (!(error instanceof StoreUnavailableError)) return error;
  const message =
    error.reason === "timeout"
      ? SETTINGS_MESSAGES.timeout
      : error.reason === "full" || error.reason === "read-only"
        ? SETTINGS_MESSAGES.cannotSave
        : SETTINGS_MESSAGES.unavailable;
  return new UserFacingError(message, { cause: error });
}

/** What a /settings subcommand answers (privately: the command's answers are for the moderator). */
export async function settingsReply(
  input: SubcommandInput<typeof settingsDefinition>,
  invoker: Invoker,
  context: SettingsContext,
): Promise<MessageReply> {
  const guildId = invoker.guildId;
  // The router turns DMs away before this (the command is server-only); a stale registration must not get further.
  if (guildId === null) throw new UserFacingError(SETTINGS_MESSAGES.notInGuild);
  switch (input.subcommand) {
    case "view":
      return settingsView(guildId, context);
    case "region": {
      const typed = input.options.country;
      if (typed.trim().toLowerCase() === DEFAULT_REGION_KEYWORD)
        return change("region", null, guildId, invoker, context);
      const region = parseRegion(typed);
      if (region === null) throw new UserFacingError(SETTINGS_MESSAGES.unknownRegion(typed));
      return change("region", region, guildId, invoker, context);
    }
    case "cards":
      return change(
        "cardVisibility",
        input.options.visibility === "private" ? "private" : "public",
        guildId,
        invoker,
        context,
      );
    case "public-channels": {
      const { channel, channel_2, channel_3, channel_4, channel_5 } = input.options;
      const picked = [channel, channel_2, channel_3, channel_4, channel_5].filter((id): id is string => id !== null);
      return change("publicChannelIds", [...new Set(picked)], guildId, invoker, context);
    }
    case "adult-films":
      return change("adultFilms", input.options.allowed, guildId, invoker, context);
  }
}

/** Suggestions for `set region`: the bot's default first, then the regions whose name or code fits what is typed. */
export function regionSuggestions(typed: string, context: Pick<BotContext, "settings">): Choice[] {
  const limit = 25;
  const defaultChoice: Choice = {
    name: `Default: ${regionLabel(context.settings.defaults.region)}, from the bot's configuration`,
    value: DEFAULT_REGION_KEYWORD,
  };
  const wantsDefault = typed.trim() === "" || DEFAULT_REGION_KEYWORD.startsWith(typed.trim().toLowerCase());
  const regions = regionChoices(typed, wantsDefault ? limit - 1 : limit);
  return wantsDefault ? [defaultChoice, ...regions] : regions;
}

export const settings = defineCommand({
  definition: settingsDefinition,
  visibility: "private",
  access(invoker, context) {
    const refusal = settingsRefusal(invoker);
    if (refusal !== null) context.logger.info({ reason: refusal }, "server settings refused");
    return refusal;
  },
  reply: (input, context, invoker) => settingsReply(input, invoker, context),
  autocomplete: (input, context) =>
    input.subcommand === "region" ? regionSuggestions(input.focused.value, context) : [],
});
