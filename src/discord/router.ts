/**
 * The one way in for interactions, and the one error boundary: every slash command, autocomplete request and button
 * click is routed here, and whatever a handler throws becomes a private, friendly answer (a reply, the edit of a
 * deferred reply, or a follow-up) logged with the interaction's id. `UserFacingError` messages are shown as is;
 * autocomplete failures answer with no choices. No interaction is left unanswered, including ones the bot does not
 * know and ones arriving while it starts up or shuts down.
 */
import {
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RepliableInteraction,
} from "discord.js";
import type { Logger } from "pino";
import { CUSTOM_ID_LIMIT, MESSAGE_CONTENT_LIMIT, truncate } from "../embeds/limits.js";
import { worksInDms, type ButtonHandler, type Command } from "./command.js";
import type { BotContext } from "./context.js";
import { Cooldowns, relativeTimestamp } from "./cooldowns.js";
import { UserFacingError } from "../errors.js";
import { deferDelay, privateText, sendReply, withDeadline } from "./reply.js";

export const ROUTER_MESSAGES = {
  restarting: "The bot is restarting. Try again in a few seconds.",
  unknownCommand: "I don't know that command: the command list may be out of date. Try `/help`.",
  unknownButton: "This button doesn't work any more. Run the command again.",
  unsupported: "I can't handle that kind of interaction.",
  guildOnly: "This command works only in a server.",
  cooldown: (command: string, retryAt: Date) =>
    `Easy there: you can use \`/${command}\` again ${relativeTimestamp(retryAt)}.`,
  failed: (reference: string) =>
    `Sorry, something went wrong while answering. It has been logged (reference \`${reference}\`).`,
} as const;

export interface RouterOptions {
  commands: readonly Command[];
  buttons: readonly ButtonHandler[];
  context: BotContext;
  /** Defaults to cooldowns on the context's clock. */
  cooldowns?: Cooldowns;
  /**
   * Hold interactions until `open()` (the bot listens while its catalog loads): commands and buttons are acknowledged
   * at once and handled when the router opens; autocomplete waits a little, then answers with no choices. Default false.
   */
  starting?: boolean;
}

/** How long autocomplete waits for a starting bot: its answer cannot be deferred, and Discord gives 3 s in all. */
const AUTOCOMPLETE_START_WAIT_MS = 2000;

/** starting: the catalog is not there yet; open: handling; closed: shutting down. */
type RouterPhase = "starting" | "open" | "closed";

export class InteractionRouter {
  private readonly commands: ReadonlyMap<string, Command>;
  private readonly buttons: readonly ButtonHandler[];
  private readonly context: BotContext;
  private readonly cooldowns: Cooldowns;
  private readonly inFlight = new Set<Promise<void>>();
  private phase: RouterPhase;
  /** Settles when the router leaves "starting" (opened, or closed before it opened). */
  private readonly started: Promise<void>;
  private settleStarted: () => void = () => undefined;

  constructor(options: RouterOptions) {
    this.commands = new Map(options.commands.map((command) => [command.definition.name, command]));
    this.buttons = options.buttons;
    this.context = options.context;
    this.cooldowns = options.cooldowns ?? new Cooldowns(options.context.clock);
    this.phase = options.starting === true ? "starting" : "open";
    this.started = new Promise((resolve) => {
      this.settleStarted = resolve;
    });
    if (this.phase === "open") this.settleStarted();
  }

  /** Handles one interaction; never rejects. */
  handle(interaction: Interaction): Promise<void> {
    const logger = this.context.logger.child(describe(interaction));
    const started = performance.now();
    const task = this.dispatch(interaction, { ...this.context, logger })
      .catch((error: unknown) => logger.error({ err: error }, "interaction handling failed outside the error boundary"))
      .finally(() => {
        this.inFlight.delete(task);
        logger.debug({ ms: Math.round(performance.now() - started) }, "interaction handled");
      });
    this.inFlight.add(task);
    return task;
  }

  /** From now on, interactions are handled (after a start with `starting: true`). */
  open(): void {
    if (this.phase === "starting") this.phase = "open";
    this.settleStarted();
  }

  /** From now on, interactions get a private "restarting" answer instead of being handled. */
  stopAccepting(): void {
    this.phase = "closed";
    this.settleStarted();
  }

  /** Waits for interactions being handled, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled(this.inFlight), timeout]);
    clearTimeout(timer);
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private async dispatch(interaction: Interaction, context: BotContext): Promise<void> {
    if (interaction.isAutocomplete()) {
      await this.autocomplete(interaction, context);
      return;
    }
    if (!interaction.isRepliable()) return;
    try {
      if (!interaction.isChatInputCommand() && !interaction.isButton()) {
        context.logger.warn("unsupported interaction");
        await sendReply(interaction, privateText(ROUTER_MESSAGES.unsupported));
        return;
      }
      if (this.phase === "starting") await this.holdUntilStarted(interaction);
      if (this.phase !== "open") await sendReply(interaction, privateText(ROUTER_MESSAGES.restarting));
      else if (interaction.isChatInputCommand()) await this.command(interaction, context);
      else await this.button(interaction, context);
    } catch (error) {
      await this.answerError(interaction, error, context.logger);
    }
  }

  /**
   * While the catalog loads: acknowledge now (Discord allows 3 s), handle once the router opens. A command's reply is
   * deferred with the visibility its answers have; a button's click is acknowledged and its message edited later.
   */
  private async holdUntilStarted(interaction: ChatInputCommandInteraction | ButtonInteraction): Promise<void> {
    if (interaction.isChatInputCommand()) {
      // An unknown command's answer ("I don't know that command") is private.
      const command = this.commands.get(interaction.commandName);
      const answersPrivately = command === undefined || command.answersPrivately === true;
      await interaction.deferReply(answersPrivately ? { flags: MessageFlags.Ephemeral } : {});
    } else {
      await interaction.deferUpdate();
    }
    await this.started;
  }

  private async command(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    if (command === undefined) {
      context.logger.warn("unknown command");
      await sendReply(interaction, privateText(ROUTER_MESSAGES.unknownCommand));
      return;
    }
    if (!interaction.inGuild() && !worksInDms(command.definition)) {
      await sendReply(interaction, privateText(ROUTER_MESSAGES.guildOnly));
      return;
    }
    if (command.cooldownSeconds !== undefined) {
      const check = this.cooldowns.take(command.definition.name, interaction.user.id, command.cooldownSeconds);
      if (!check.allowed) {
        await sendReply(interaction, privateText(ROUTER_MESSAGES.cooldown(command.definition.name, check.retryAt)));
        return;
      }
    }
    await command.execute(interaction, context);
    if (!interaction.replied && !interaction.deferred)
      throw new Error(`/${command.definition.name} finished without answering`);
  }

  private async button(interaction: ButtonInteraction, context: BotContext): Promise<void> {
    const handler = this.buttons.find((candidate) => interaction.customId.startsWith(candidate.prefix));
    if (handler === undefined) {
      context.logger.warn("unknown button");
      await sendReply(interaction, privateText(ROUTER_MESSAGES.unknownButton));
      return;
    }
    await handler.handle(interaction, context);
    if (!interaction.replied && !interaction.deferred)
      throw new Error(`button ${handler.prefix} finished without answering`);
  }

  private async autocomplete(interaction: AutocompleteInteraction, context: BotContext): Promise<void> {
    if (this.phase === "starting")
      await withDeadline(this.started, deferDelay(interaction.createdTimestamp, AUTOCOMPLETE_START_WAIT_MS), undefined);
    try {
      const command = this.commands.get(interaction.commandName);
      if (this.phase === "open" && command?.autocomplete !== undefined)
        await command.autocomplete(interaction, context);
      else if (command === undefined) context.logger.warn("autocomplete for an unknown command");
    } catch (error) {
      context.logger.error({ err: error }, "autocomplete failed; answering with no choices");
    }
    // Autocomplete cannot be deferred or followed up: whatever happened, answer once, with nothing if need be.
    if (!interaction.responded) {
      await interaction
        .respond([])
        .catch((error: unknown) => context.logger.warn({ err: error }, "could not answer autocomplete"));
    }
  }

  private async answerError(interaction: RepliableInteraction, error: unknown, logger: Logger): Promise<void> {
    const userFacing = error instanceof UserFacingError;
    if (userFacing) logger.info({ message: error.message }, "answered with a user-facing error");
    else logger.error({ err: error }, "interaction failed");
    const content = truncate(
      userFacing ? error.message : ROUTER_MESSAGES.failed(interaction.id),
      MESSAGE_CONTENT_LIMIT,
    );
    try {
      await sendReply(interaction, privateText(content));
    } catch (answerError) {
      logger.warn({ err: answerError }, "could not tell the member about the failure");
    }
  }
}

/** What identifies an interaction in logs (never its token). */
function describe(interaction: Interaction): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    interactionId: interaction.id,
    userId: interaction.user.id,
    guildId: interaction.guildId,
  };
  if (interaction.isCommand() || interaction.isAutocomplete()) fields["command"] = interaction.commandName;
  if (interaction.isMessageComponent()) fields["customId"] = truncate(interaction.customId, CUSTOM_ID_LIMIT);
  return fields;
}
