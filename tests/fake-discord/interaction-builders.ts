import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIMessageComponentInteractionData,
  type APIMessageTopLevelComponent,
  type APIUser,
  type MessageFlags,
} from "discord.js";
import { BOT_PERMISSIONS, MEMBER_PERMISSIONS, NO_CHANNEL_FLAGS, NO_MEMBER_FLAGS, type FakeGuild } from "./fixtures.js";
import { nextSnowflake, randomInteractionToken } from "./snowflake.js";

const NO_MESSAGE_FLAGS = 0 as MessageFlags;

/** Discord's default upload limit (10 MiB), sent as `attachment_size_limit` on interactions. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** What the builders need to know about the fake. */
export interface BuilderContext {
  applicationId: string;
  botUser: APIUser;
  /** Who invokes commands unless a builder is given `user`. */
  defaultUser: APIUser;
  guilds: readonly FakeGuild[];
  findCommand(name: string, guildId?: string): APIApplicationCommand | undefined;
  dmChannelIdFor(userId: string): string;
}

/** Where and by whom an interaction happens. Defaults: the fake's first guild, its text channel, the default user. */
export interface InvocationContext {
  /** `"guild"` (default) gives the payload a `member`; `"dm"` (the bot's DMs) a `user` instead. */
  where?: "guild" | "dm";
  /** Which of the fake's guilds (default: the first). */
  guildId?: string;
  /** Overrides the channel id (the channel object still describes the guild's text channel). */
  channelId?: string;
  user?: APIUser;
  /** The member's permissions in the channel, a decimal bitfield string (guild only). Default: an ordinary member's. */
  memberPermissions?: string;
  memberRoles?: string[];
  /** The bot's permissions in the channel (`app_permissions`). */
  appPermissions?: string;
  locale?: Locale;
}

export type OptionValue = string | number | boolean;

/** Which command is invoked, with which option values. */
export interface CommandInvocation {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /**
   * Option values by name. Their types come from the registered command when the bot registered
   * one (so `getNumber` / `getInteger` work as on Discord); otherwise they are inferred: string ->
   * STRING, integer -> INTEGER, other number -> NUMBER, boolean -> BOOLEAN. For options needing
   * `resolved` data (users, channels, attachments) pass raw API options instead.
   */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
}

export type ChatInputOptions = CommandInvocation & InvocationContext;

export interface AutocompleteOptions extends CommandInvocation, InvocationContext {
  /** Name of the option the user is typing in; it gets `focused: true` (value "" unless given). */
  focused: string;
}

export interface ComponentOptions extends InvocationContext {
  customId: string;
  /** Button (default) or string select. */
  componentType?: ComponentType.Button | ComponentType.StringSelect;
  /** Selected values, for a string select. */
  values?: string[];
  /**
   * The message the component sits on, e.g. `handle.original` of an earlier reply. Default: a
   * message from the bot with one button (or select) carrying `customId`.
   */
  message?: APIMessage;
}

function pickGuild(context: BuilderContext, guildId: string | undefined): FakeGuild {
  const guild =
    guildId === undefined ? context.guilds[0] : context.guilds.find((candidate) => candidate.id === guildId);
  if (!guild) throw new Error(`The fake has no guild ${guildId ?? "(none configured)"}`);
  return guild;
}

function guildMember(user: APIUser, where: InvocationContext, guild: FakeGuild): APIInteractionGuildMember {
  const joinedAt = guild.createPayload.joined_at;
  return {
    user,
    roles: where.memberRoles ?? [],
    permissions: where.memberPermissions ?? MEMBER_PERMISSIONS,
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: NO_MEMBER_FLAGS,
    nick: null,
    avatar: null,
  };
}

/** Fields every interaction payload has, plus the guild- or DM-specific ones. */
function baseInteraction(context: BuilderContext, where: InvocationContext) {
  const user = where.user ?? context.defaultUser;
  const locale = where.locale ?? Locale.EnglishUS;
  const common = {
    id: nextSnowflake(),
    application_id: context.applicationId,
    token: randomInteractionToken(),
    version: 1 as const,
    app_permissions: where.appPermissions ?? BOT_PERMISSIONS,
    locale,
    entitlements: [],
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  if (where.where === "dm") {
    const channelId = where.channelId ?? context.dmChannelIdFor(user.id);
    return {
      ...common,
      user,
      channel_id: channelId,
      channel: {
        id: channelId,
        type: ChannelType.DM as const,
        recipients: [user],
        last_message_id: null,
        flags: NO_CHANNEL_FLAGS,
      },
      context: InteractionContextType.BotDM,
      // Discord's documented value for a guild-installed app used in the bot's DMs.
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: "0" },
    };
  }
  const guild = pickGuild(context, where.guildId);
  const channel = guild.createPayload.channels.find((candidate) => candidate.id === guild.textChannelId);
  const channelId = where.channelId ?? guild.textChannelId;
  return {
    ...common,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.createPayload.preferred_locale, features: guild.createPayload.features },
    guild_locale: guild.createPayload.preferred_locale,
    member: guildMember(user, where, guild),
    channel_id: channelId,
    channel: { ...channel, id: channelId, type: ChannelType.GuildText as const },
    context: InteractionContextType.Guild,
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
  };
}

/** The option definitions at the invoked (sub)command, or undefined when the command is not registered. */
function leafOptionDefinitions(
  command: APIApplicationCommand | undefined,
  invocation: CommandInvocation,
): APIApplicationCommandOption[] | undefined {
  if (!command) return undefined;
  let options: APIApplicationCommandOption[] = command.options ?? [];
  const path = [invocation.subcommandGroup, invocation.subcommand].filter((name): name is string => name !== undefined);
  for (const name of path) {
    const next = options.find((option) => option.name === name);
    // A subcommand without options (`/settings view`) registers with no `options` at all.
    if (
      next?.type !== ApplicationCommandOptionType.Subcommand &&
      next?.type !== ApplicationCommandOptionType.SubcommandGroup
    ) {
      throw new Error(`Registered command /${command.name} has no subcommand (group) "${name}"`);
    }
    options = next.options ?? [];
  }
  return options;
}

const STRING_TYPED = new Set<ApplicationCommandOptionType>([
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.User,
  ApplicationCommandOptionType.Channel,
  ApplicationCommandOptionType.Role,
  ApplicationCommandOptionType.Mentionable,
  ApplicationCommandOptionType.Attachment,
]);
const NUMBER_TYPED = new Set<ApplicationCommandOptionType>([
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Number,
]);

function inferredOptionType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === "string") return ApplicationCommandOptionType.String;
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
}

function assertValueFits(
  name: string,
  type: ApplicationCommandOptionType,
  value: OptionValue,
  autocomplete: boolean,
): void {
  const fits =
    (STRING_TYPED.has(type) && typeof value === "string") ||
    (NUMBER_TYPED.has(type) && (typeof value === "number" || (autocomplete && typeof value === "string"))) ||
    (type === ApplicationCommandOptionType.Boolean && typeof value === "boolean");
  if (!fits)
    throw new Error(
      `Option "${name}" is registered with type ${ApplicationCommandOptionType[type]}, but the test gave ${JSON.stringify(value)}`,
    );
}

interface LooseOption {
  name: string;
  type: ApplicationCommandOptionType;
  value: OptionValue;
  focused?: boolean;
}

function buildLeafOptions(
  values: Record<string, OptionValue>,
  definitions: APIApplicationCommandOption[] | undefined,
  focused: string | undefined,
): LooseOption[] {
  const entries = Object.entries(values);
  if (focused !== undefined && !(focused in values)) entries.push([focused, ""]);
  return entries.map(([name, value]) => {
    const definition = definitions?.find((option) => option.name === name);
    if (definitions && !definition) {
      throw new Error(
        `The registered command has no option "${name}" (has: ${definitions.map((option) => option.name).join(", ") || "none"})`,
      );
    }
    const type =
      definition?.type ?? (name === focused ? ApplicationCommandOptionType.String : inferredOptionType(value));
    const isFocused = name === focused;
    assertValueFits(name, type, value, isFocused);
    // Autocomplete sends what the user typed so far: always a string for the focused option.
    const sentValue = isFocused && typeof value !== "string" ? String(value) : value;
    return { name, type, value: sentValue, ...(isFocused ? { focused: true } : {}) };
  });
}

/** Wraps leaf options in their subcommand / subcommand group, as Discord nests them. */
function nestOptions(leaf: LooseOption[], invocation: CommandInvocation): unknown[] {
  if (invocation.subcommand === undefined) return leaf;
  const subcommand = { name: invocation.subcommand, type: ApplicationCommandOptionType.Subcommand, options: leaf };
  if (invocation.subcommandGroup === undefined) return [subcommand];
  return [
    { name: invocation.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options: [subcommand] },
  ];
}

function commandData(
  context: BuilderContext,
  invocation: CommandInvocation,
  guildId: string | undefined,
  focused: string | undefined,
) {
  const command = context.findCommand(invocation.name, guildId);
  const options = Array.isArray(invocation.options)
    ? invocation.options
    : nestOptions(
        buildLeafOptions(invocation.options ?? {}, leafOptionDefinitions(command, invocation), focused),
        invocation,
      );
  return {
    id: command?.id ?? nextSnowflake(),
    type: ApplicationCommandType.ChatInput as const,
    name: invocation.name,
    // The builders produce the documented shapes; the cast bridges the loosely typed option list.
    options: options as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommand>[],
    ...(command?.guild_id === undefined ? {} : { guild_id: command.guild_id }),
  };
}

/** A slash-command interaction (type 2), as Discord dispatches it in INTERACTION_CREATE. */
export function buildChatInputInteraction(
  context: BuilderContext,
  options: ChatInputOptions,
): APIChatInputApplicationCommandInteraction {
  const base = baseInteraction(context, options);
  const guildId = "guild_id" in base ? base.guild_id : undefined;
  return { ...base, type: InteractionType.ApplicationCommand, data: commandData(context, options, guildId, undefined) };
}

/** An autocomplete interaction (type 4) with `focused` marking the option being typed. */
export function buildAutocompleteInteraction(
  context: BuilderContext,
  options: AutocompleteOptions,
): APIApplicationCommandAutocompleteInteraction {
  const base = baseInteraction(context, options);
  const guildId = "guild_id" in base ? base.guild_id : undefined;
  const data = commandData(context, options, guildId, options.focused);
  return {
    ...base,
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      ...data,
      options:
        data.options as APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>[],
    },
  };
}

function defaultComponentRow(options: ComponentOptions): APIMessageTopLevelComponent {
  if (options.componentType === ComponentType.StringSelect) {
    const values = options.values ?? ["choice"];
    return {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: options.customId,
          options: values.map((value) => ({ label: value, value })),
        },
      ],
    };
  }
  return {
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: options.customId, label: "Open" },
    ],
  };
}

/** A message from the bot carrying the component, for when the test gives none. */
function defaultComponentMessage(context: BuilderContext, channelId: string, options: ComponentOptions): APIMessage {
  return {
    id: nextSnowflake(),
    channel_id: channelId,
    author: context.botUser,
    content: "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [defaultComponentRow(options)],
    pinned: false,
    type: MessageType.ChatInputCommand,
    flags: NO_MESSAGE_FLAGS,
    application_id: context.applicationId,
    webhook_id: context.applicationId,
  };
}

function componentData(options: ComponentOptions): APIMessageComponentInteractionData {
  if (options.componentType === ComponentType.StringSelect) {
    return { custom_id: options.customId, component_type: ComponentType.StringSelect, values: options.values ?? [] };
  }
  return { custom_id: options.customId, component_type: ComponentType.Button };
}

/** A message-component interaction (type 3): a button click or a string-select choice. */
export function buildComponentInteraction(
  context: BuilderContext,
  options: ComponentOptions,
): APIMessageComponentInteraction {
  const base = baseInteraction(context, options);
  const message = options.message ?? defaultComponentMessage(context, base.channel_id, options);
  return { ...base, type: InteractionType.MessageComponent, data: componentData(options), message };
}
