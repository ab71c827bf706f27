import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  PermissionFlagsBits,
  type APIGuildMember,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type APIGuildTextChannel,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
} from "discord.js";
import { nextSnowflake } from "./snowflake.js";

// Discord sends 0 for "no flags"; the enums have no 0 member, hence these typed constants.
export const NO_USER_FLAGS = 0 as UserFlags;
export const NO_ROLE_FLAGS = 0 as RoleFlags;
export const NO_MEMBER_FLAGS = 0 as GuildMemberFlags;
export const NO_CHANNEL_FLAGS = 0 as ChannelFlags;

/** A permissions bitfield as Discord serialises it: a decimal string. */
export function permissionString(...flags: bigint[]): string {
  return flags.reduce((all, flag) => all | flag, 0n).toString();
}

/** What an ordinary member may do in the fixture guild's text channel (no moderation rights). */
export const MEMBER_PERMISSIONS = permissionString(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseExternalEmojis,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.UseApplicationCommands,
);

/** What the bot may do in the fixture guild (sent as `app_permissions` on interactions). */
export const BOT_PERMISSIONS = permissionString(
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseExternalEmojis,
  PermissionFlagsBits.ReadMessageHistory,
);

/** Every permission bit: what a member with Administrator, or the guild owner, effectively has. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits)
  .reduce((all, flag) => all | flag, 0n)
  .toString();

/** A bot user as Discord sends it in READY and `GET /users/@me`. */
export function makeBotUser(overrides: Partial<APIUser> = {}): APIUser {
  return {
    id: nextSnowflake(),
    username: "FilmBot",
    discriminator: "4821",
    global_name: null,
    avatar: null,
    bot: true,
    public_flags: NO_USER_FLAGS,
    flags: NO_USER_FLAGS,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    ...overrides,
  };
}

/** A human (non-bot) user, e.g. the one who invokes commands in tests. */
export function makeUser(overrides: Partial<APIUser> = {}): APIUser {
  const username = overrides.username ?? "film_fan";
  return {
    id: nextSnowflake(),
    username,
    discriminator: "0",
    global_name: username.replaceAll("_", " "),
    avatar: null,
    public_flags: NO_USER_FLAGS,
    flags: NO_USER_FLAGS,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
    ...overrides,
  };
}

function makeRole(overrides: Partial<APIRole> & Pick<APIRole, "id" | "name" | "permissions" | "position">): APIRole {
  return {
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    managed: false,
    mentionable: false,
    flags: NO_ROLE_FLAGS,
    ...overrides,
  };
}

function makeMember(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    roles,
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: NO_MEMBER_FLAGS,
    nick: null,
    avatar: null,
  };
}

/** The guilds a fake serves; see {@link buildGuild}. */
export interface FakeGuild {
  readonly id: string;
  readonly name: string;
  /** The guild's text channel where interactions happen by default. */
  readonly textChannelId: string;
  readonly textChannelName: string;
  /** The @everyone role; Discord gives it the guild's own id. */
  readonly everyoneRoleId: string;
  /** The managed role Discord creates for the bot on install. */
  readonly botRoleId: string;
  readonly ownerId: string;
  /** The GUILD_CREATE dispatch payload the gateway sends for this guild after READY. */
  readonly createPayload: GatewayGuildCreateDispatchData;
}

export interface GuildFixtureOptions {
  name?: string;
  textChannelName?: string;
  botUser: APIUser;
  /** Human members besides the bot; the first one owns the guild. */
  members: APIUser[];
}

function makeTextChannel(guildId: string, name: string): APIGuildTextChannel<ChannelType.GuildText> {
  return {
    id: nextSnowflake(),
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    topic: "Talk about films",
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: NO_CHANNEL_FLAGS,
  };
}

/**
 * A guild with enough shape for discord.js to cache it fully: @everyone role (id = guild id), a
 * managed bot role, one text channel, the bot's member and the human members.
 */
export function buildGuild(options: GuildFixtureOptions): FakeGuild {
  const id = nextSnowflake();
  const name = options.name ?? "Film Club";
  const textChannel = makeTextChannel(id, options.textChannelName ?? "films");
  const botRoleId = nextSnowflake();
  const owner = options.members[0] ?? options.botUser;
  const joinedAt = new Date().toISOString();
  const roles = [
    makeRole({ id, name: "@everyone", permissions: MEMBER_PERMISSIONS, position: 0 }),
    makeRole({
      id: botRoleId,
      name: options.botUser.username,
      permissions: BOT_PERMISSIONS,
      position: 1,
      managed: true,
      tags: { bot_id: options.botUser.id },
    }),
  ];
  const members = [
    makeMember(options.botUser, [botRoleId], joinedAt),
    ...options.members.map((user) => makeMember(user, [], joinedAt)),
  ];
  const createPayload: GatewayGuildCreateDispatchData = {
    id,
    name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: owner.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: textChannel.id,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_members: 500_000,
    joined_at: joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: [textChannel],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
  return {
    id,
    name,
    textChannelId: textChannel.id,
    textChannelName: textChannel.name,
    everyoneRoleId: id,
    botRoleId,
    ownerId: owner.id,
    createPayload,
  };
}

/** The application object (`GET /applications/@me`), shaped like Discord's PrivateApplicationResponse. */
export function buildApplication(applicationId: string, botUser: APIUser, owner: APIUser): Record<string, unknown> {
  return {
    id: applicationId,
    name: botUser.username,
    icon: null,
    description: "",
    summary: "",
    type: null,
    bot: botUser,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: 0,
    flags_new: "0",
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
    owner,
    team: null,
    approximate_guild_count: 1,
    approximate_user_install_count: 0,
    approximate_user_authorization_count: 0,
    explicit_content_filter: 0,
    eligible_oauth2_scopes: ["applications.commands", "bot"],
    integration_types_config: { "0": {} },
    tags: [],
  };
}
