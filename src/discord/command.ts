import {
  InteractionContextType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { BotContext } from "./context.js";

/**
 * One slash command: its definition (the exact JSON registered with Discord — the same object drives deploy,
 * routing, help and option typing) and its handlers. One file per command in `commands/`.
 *
 * Where a command may run comes from the definition's `contexts`: without `BotDM` it is guild-only, and the router
 * turns it down in DMs even if a stale registration lets a member try.
 */
export interface Command<
  Definition extends RESTPostAPIChatInputApplicationCommandsJSONBody = RESTPostAPIChatInputApplicationCommandsJSONBody,
> {
  readonly definition: Definition;
  /** Seconds a member waits between two uses (heavy commands only). */
  readonly cooldownSeconds?: number;
  /**
   * Whether the command's answers are for the member only (a watchlist, a moderator's report). A reply deferred before
   * the command runs — while the bot starts up — takes this visibility, which its answer cannot change afterwards.
   */
  readonly answersPrivately?: boolean;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
}

/** Buttons whose custom id starts with `prefix` (ids are stateless: everything needed is in the id). */
export interface ButtonHandler {
  readonly prefix: string;
  handle(interaction: ButtonInteraction, context: BotContext): Promise<void>;
}

/** Ties a definition's literal type to the command so option names can be checked against it. */
export function defineCommand<const Definition extends RESTPostAPIChatInputApplicationCommandsJSONBody>(
  command: Command<Definition>,
): Command<Definition> {
  return command;
}

/** Whether the definition allows the command in the bot's DMs (absent `contexts` means Discord's default: anywhere). */
export function worksInDms(definition: RESTPostAPIChatInputApplicationCommandsJSONBody): boolean {
  return (
    definition.contexts === undefined ||
    definition.contexts === null ||
    definition.contexts.includes(InteractionContextType.BotDM)
  );
}
