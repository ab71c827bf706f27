/**
 * The edge: an interaction payload as Discord sends it (over the gateway or to the HTTP endpoint), checked before
 * anything reads it. Only the fields the bot uses are read, each checked for its type and size; a payload that does
 * not fit is "invalid" with the reason, and is answered (when it can be) rather than left to crash a handler.
 */
import {
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionType,
  MessageFlags,
} from "discord-api-types/v10";
import { z } from "zod";
import { permissionSet, type Invoker } from "./command.js";
import type { OptionData } from "./options.js";

/** What identifies an interaction for answering it (the token is a secret: it never goes to the logs). */
export interface InteractionTarget {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  /** The interaction's type, so that even an unreadable one is answered in a form Discord accepts. */
  readonly type: number;
}

export interface InteractionMeta extends InteractionTarget {
  /** When Discord created the interaction (epoch ms, from its id): its 3 s window starts there. */
  readonly createdAt: number;
  readonly invoker: Invoker;
}

export type Incoming =
  | { readonly kind: "ping"; readonly target: InteractionTarget }
  | CommandCall<"command">
  | CommandCall<"autocomplete">
  | ComponentUse
  | { readonly kind: "unsupported"; readonly meta: InteractionMeta }
  | { readonly kind: "invalid"; readonly reason: string; readonly target: InteractionTarget | null };

/** A slash command used, or being typed (autocomplete). */
export interface CommandCall<Kind extends "command" | "autocomplete"> {
  readonly kind: Kind;
  readonly meta: InteractionMeta;
  readonly name: string;
  readonly options: readonly OptionData[];
}

/** A button pressed or an option picked in a select menu, on a message the bot sent. */
export interface ComponentUse {
  readonly kind: "component";
  readonly meta: InteractionMeta;
  readonly customId: string;
  /** What was picked in a select menu; [] for a button. */
  readonly values: readonly string[];
  /** Who used the command that made the message, when Discord says; null when it does not. */
  readonly ownerId: string | null;
  /** Whether the message is seen only by the member who asked for it. */
  readonly ephemeralMessage: boolean;
}

/** Discord's epoch (2015-01-01) in Unix milliseconds: snowflake ids count from it. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** The creation time of a snowflake id, in epoch ms. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

const snowflake = z.string().regex(/^\d{1,20}$/);
const userSchema = z.object({ id: snowflake, username: z.string().max(100) });

const optionSchema: z.ZodType<OptionData> = z.lazy(() =>
  z.object({
    name: z.string().max(100),
    type: z.number().int(),
    value: z.union([z.string().max(6000), z.number(), z.boolean()]).optional(),
    options: z.array(optionSchema).max(25).optional(),
    focused: z.boolean().optional(),
  }),
);

const targetSchema = z.object({
  id: snowflake,
  token: z.string().min(1).max(1000),
  application_id: snowflake,
  type: z.number().int(),
});

const commonSchema = z.object({
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.object({ id: snowflake, type: z.number().int().optional(), parent_id: snowflake.nullish() }).optional(),
  member: z.object({ user: userSchema, permissions: z.string().regex(/^\d{1,40}$/) }).optional(),
  user: userSchema.optional(),
});

const commandDataSchema = z.object({
  name: z.string().min(1).max(32),
  type: z.number().int().optional(),
  options: z.array(optionSchema).max(25).optional(),
});

const componentDataSchema = z.object({
  custom_id: z.string().max(1000),
  component_type: z.number().int(),
  values: z.array(z.string().max(100)).max(25).optional(),
});

/** What the bot reads of the message a component sits on: who it answered, and whether only they see it. */
const componentMessageSchema = z
  .object({
    flags: z.number().int().optional(),
    interaction_metadata: z.object({ user: z.object({ id: snowflake }) }).optional(),
    interaction: z.object({ user: z.object({ id: snowflake }) }).optional(),
  })
  .optional();

/** Reads an interaction payload; never throws. */
export function readIncoming(payload: unknown): Incoming {
  const targetCheck = targetSchema.safeParse(payload);
  if (!targetCheck.success) return { kind: "invalid", reason: describeProblem(targetCheck.error), target: null };
  const { id, token, application_id: applicationId, type } = targetCheck.data;
  const target: InteractionTarget = { id, token, applicationId, type };
  if (type === InteractionType.Ping) return { kind: "ping", target };

  const common = commonSchema.safeParse(payload);
  if (!common.success) return { kind: "invalid", reason: describeProblem(common.error), target };
  const { member, guild_id: guildId } = common.data;
  const user = member?.user ?? common.data.user;
  if (user === undefined) return { kind: "invalid", reason: "no user or member", target };
  if (guildId !== undefined && member === undefined)
    return { kind: "invalid", reason: "a server without a member", target };
  const invoker: Invoker = {
    userId: user.id,
    username: user.username,
    guildId: guildId ?? null,
    channelId: common.data.channel_id ?? common.data.channel?.id ?? null,
    parentChannelId: threadParent(common.data.channel),
    permissions: member === undefined ? null : permissionSet(BigInt(member.permissions)),
  };
  const meta: InteractionMeta = { ...target, createdAt: snowflakeTime(id), invoker };
  const data = (payload as { data?: unknown }).data;

  if (type === InteractionType.ApplicationCommand || type === InteractionType.ApplicationCommandAutocomplete) {
    const command = commandDataSchema.safeParse(data);
    if (!command.success) return { kind: "invalid", reason: describeProblem(command.error, "data"), target };
    if (command.data.type !== undefined && command.data.type !== ApplicationCommandType.ChatInput) {
      return { kind: "unsupported", meta };
    }
    const call = { meta, name: command.data.name, options: command.data.options ?? [] };
    return type === InteractionType.ApplicationCommand
      ? { kind: "command", ...call }
      : { kind: "autocomplete", ...call };
  }
  if (type === InteractionType.MessageComponent) {
    const component = componentDataSchema.safeParse(data);
    if (!component.success) return { kind: "invalid", reason: describeProblem(component.error, "data"), target };
    const componentType = component.data.component_type;
    if (componentType !== ComponentType.Button && componentType !== ComponentType.StringSelect)
      return { kind: "unsupported", meta };
    const message = componentMessageSchema.safeParse((payload as { message?: unknown }).message);
    const shown = message.success ? message.data : undefined;
    return {
      kind: "component",
      meta,
      customId: component.data.custom_id,
      values: component.data.values ?? [],
      ownerId: shown?.interaction_metadata?.user.id ?? shown?.interaction?.user.id ?? null,
      ephemeralMessage: ((shown?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
    };
  }
  return { kind: "unsupported", meta };
}

/** Discord's thread channel types (announcement, public and private threads). */
const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
]);

/** The channel a thread belongs to; null for anything else (a text channel's parent is its category, not wanted). */
function threadParent(
  channel: { type?: number | undefined; parent_id?: string | null | undefined } | undefined,
): string | null {
  if (channel?.type === undefined || !THREAD_TYPES.has(channel.type)) return null;
  return channel.parent_id ?? null;
}

/** "member.permissions: expected string" — the first problem, enough for a log line. */
function describeProblem(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  if (issue === undefined) return "unreadable payload";
  const path = [...(prefix === undefined ? [] : [prefix]), ...issue.path.map(String)].join(".");
  return `${path === "" ? "payload" : path}: ${issue.message}`;
}
