/**
 * What a slash command and a button are: data plus a pure function. A command is its definition (the exact JSON
 * registered with Discord — the same object drives `npm run deploy`, routing, option typing and /help), who sees
 * its answers, and `reply(options, context, invoker)`, which returns the message. The router does the rest: it
 * reads and checks the options, applies permissions and cooldowns, defers when the reply is slow, and sends.
 * Handlers never touch an interaction, so one cannot forget to answer, answer twice, or answer with the wrong
 * visibility; the same handlers serve the gateway and the HTTP endpoint.
 *
 * Where a command may run comes from the definition's `contexts`: without `BotDM` it is guild-only, and the router
 * turns it down in DMs even if a stale registration lets a member try.
 */
import {
  InteractionContextType,
  PermissionFlagsBits,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import type { BotContext } from "./context.js";
import type { AutocompleteInput, CommandInput } from "./options.js";

/** Who sees a command's answers: everyone in the channel, or only the member who used it. */
export type Visibility = "public" | "private";

/** A message as handlers produce it; the router adds visibility and `allowed_mentions`. */
export interface MessageReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** One autocomplete suggestion. */
export interface Choice {
  name: string;
  value: string | number;
}

/** A member's permissions in the channel, read from the interaction. */
export interface PermissionSet {
  readonly bits: bigint;
  /** Whether the member has `permission` (Administrator implies every permission). */
  has(permission: bigint): boolean;
}

export function permissionSet(bits: bigint): PermissionSet {
  return {
    bits,
    has: (permission) =>
      (bits & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator ||
      (bits & permission) === permission,
  };
}

/** Who used a command or pressed a button, and where. */
export interface Invoker {
  readonly userId: string;
  readonly username: string;
  /** null in DMs with the bot. */
  readonly guildId: string | null;
  readonly channelId: string | null;
  /** In a thread: the channel the thread belongs to; null anywhere else. */
  readonly parentChannelId: string | null;
  /** In a server: the member's permissions in the channel; null in DMs. */
  readonly permissions: PermissionSet | null;
}

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface Command<Definition extends CommandDefinition = CommandDefinition> {
  readonly definition: Definition;
  /**
   * Who sees the answers. "public" answers (cards) follow the server's settings: the router makes them private where
   * the server made card answers private, or outside the channels it listed as public. "private" answers stay private.
   * Errors, refusals and "try again" answers are always private.
   */
  readonly visibility: Visibility;
  /** Seconds a member waits between two uses (heavy commands only). */
  readonly cooldownSeconds?: number;
  /**
   * "slow": the router acknowledges at once and edits the answer in when it is ready (reading the data folder takes
   * seconds). Otherwise the answer is sent directly when ready in time, and deferred only when it is not.
   */
  readonly cost?: "slow";
  /**
   * Whether this member may use the command here: null when they may, else the reason shown to them (privately).
   * Checked before the options are read and before the cooldown, which a refused attempt does not start.
   */
  access?(invoker: Invoker, context: BotContext): string | null | Promise<string | null>;
  reply(input: CommandInput<Definition>, context: BotContext, invoker: Invoker): MessageReply | Promise<MessageReply>;
  autocomplete?(
    input: AutocompleteInput<Definition>,
    context: BotContext,
    invoker: Invoker,
  ): readonly Choice[] | Promise<readonly Choice[]>;
}

/** Who used a component, and what they picked (select menus; [] for a button). */
export interface ComponentUse {
  readonly invoker: Invoker;
  readonly values: readonly string[];
}

/**
 * Buttons and select menus whose custom id starts with `prefix`. Ids are stateless and versioned: `parse` reads
 * everything needed from the id (untrusted input) or returns null for an id this version cannot read. `answer` says
 * what the reply does:
 * - "update" redraws the message the component sits on — for the member the message answered; anyone else gets the
 *   redrawn message as a private copy, so that one member cannot change what everyone is reading;
 * - `{ reply: visibility }` answers with a new message (a card picked from a private menu, posted in the channel).
 */
export interface ComponentHandler<Target = unknown> {
  readonly prefix: string;
  readonly answer: "update" | { readonly reply: Visibility };
  parse(customId: string): Target | null;
  reply(target: Target, context: BotContext, use: ComponentUse): MessageReply | Promise<MessageReply>;
}

/** Ties a definition's literal type to the command, so its options are typed from the definition. */
export function defineCommand<const Definition extends CommandDefinition>(
  command: Command<Definition>,
): Command<Definition> {
  return command;
}

export function defineComponent<Target>(handler: ComponentHandler<Target>): ComponentHandler<Target> {
  return handler;
}

/** Whether the definition allows the command in the bot's DMs (absent `contexts` means Discord's default: anywhere). */
export function worksInDms(definition: CommandDefinition): boolean {
  return (
    definition.contexts === undefined ||
    definition.contexts === null ||
    definition.contexts.includes(InteractionContextType.BotDM)
  );
}
