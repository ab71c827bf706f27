/**
 * The one way in for interactions, and the one error boundary. Every slash command, autocomplete request and button
 * click — from the gateway or the HTTP endpoint — is routed here as its raw payload with a Responder for its answers.
 * The router reads and checks the payload and the options, applies where a command works, who may use it and
 * cooldowns, runs the handler, and answers: directly when the answer is ready in time, after a deferral when it is
 * not. Whatever a handler throws becomes a private, friendly answer logged with the interaction's id:
 * `UserFacingError` messages are shown as is; autocomplete failures answer with no choices. No interaction is left
 * unanswered, including ones the bot does not know, cannot read, or that arrive while it starts up or shuts down.
 */
import type { Logger } from "pino";
import { MESSAGE_CONTENT_LIMIT, truncate } from "../cards/limits.js";
import { UserFacingError } from "../errors.js";
import { Answer, privateText, type Responder } from "./answer.js";
import {
  worksInDms,
  type Choice,
  type Command,
  type ComponentHandler,
  type MessageReply,
  type Visibility,
} from "./command.js";
import type { BotContext } from "./context.js";
import { Cooldowns, relativeTimestamp, type CooldownCheck } from "./cooldowns.js";
import { DEFER_AFTER_MS, deferDelay, inTime, LATE, withDeadline } from "./deadline.js";
import { readIncoming, type Incoming, type InteractionMeta } from "./incoming.js";
import { readAutocomplete, readInput } from "./options.js";

export const ROUTER_MESSAGES = {
  restarting: "The bot is restarting. Try again in a few seconds.",
  unknownCommand: "I don't know that command: the command list may be out of date. Try `/help`.",
  unknownButton: "This button doesn't work any more. Run the command again.",
  unsupported: "I can't handle that kind of interaction.",
  unreadable: "I couldn't read that interaction. Try again, or run the command anew.",
  guildOnly: "This command works only in a server.",
  cooldown: (command: string, retryAt: Date) =>
    `Easy there: you can use \`/${command}\` again ${relativeTimestamp(retryAt)}.`,
  failed: (reference: string) =>
    `Sorry, something went wrong while answering. It has been logged (reference \`${reference}\`).`,
} as const;

/** Where cooldowns are kept: in memory for one process, shared when several answer for one bot. */
export interface CooldownStore {
  take(command: string, userId: string, seconds: number): CooldownCheck | Promise<CooldownCheck>;
}

export interface RouterOptions {
  commands: readonly Command[];
  components: readonly ComponentHandler[];
  context: BotContext;
  /** Defaults to in-memory cooldowns on the context's clock. */
  cooldowns?: CooldownStore;
  /**
   * Hold interactions until `open()` (the bot listens while its catalog loads): commands and buttons are acknowledged
   * at once and handled when the router opens; autocomplete waits a little, then answers with no choices. Default
   * false.
   */
  starting?: boolean;
  /** How long after an interaction was created a reply that is not ready is deferred (default DEFER_AFTER_MS). */
  deferAfterMs?: number;
  /** Told how each interaction went (metrics). */
  observer?: (report: InteractionReport) => void;
}

/** How one interaction went: what it was, for which command, and how it ended. */
export interface InteractionReport {
  /** command, autocomplete, component, ping, unsupported or invalid. */
  kind: string;
  /** The command's name, the component handler's prefix, or "unknown" (never free text: it is a metrics label). */
  command: string;
  /** answered, user_error, failed, refused, cooldown, unknown, restarting or unanswered. */
  outcome: Outcome;
  /** From the payload's arrival to the first response handed to the responder; null when none was. */
  firstResponseSeconds: number | null;
}

type Outcome = "answered" | "user_error" | "failed" | "refused" | "cooldown" | "unknown" | "restarting" | "unanswered";

/** How long autocomplete waits for a starting bot: its answer cannot be deferred, and Discord gives 3 s in all. */
const AUTOCOMPLETE_START_WAIT_MS = 2000;

/** starting: the catalog is not there yet; open: handling; closed: shutting down. */
type RouterPhase = "starting" | "open" | "closed";

export class InteractionRouter {
  private readonly commands: ReadonlyMap<string, Command>;
  private readonly components: readonly ComponentHandler[];
  private readonly context: BotContext;
  private readonly cooldowns: CooldownStore;
  private readonly deferAfterMs: number;
  private readonly observer: ((report: InteractionReport) => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private phase: RouterPhase;
  /** Settles when the router leaves "starting" (opened, or closed before it opened). */
  private readonly started: Promise<void>;
  private settleStarted: () => void = () => undefined;

  constructor(options: RouterOptions) {
    this.commands = new Map(options.commands.map((command) => [command.definition.name, command]));
    this.components = options.components;
    this.context = options.context;
    this.cooldowns = options.cooldowns ?? new Cooldowns(options.context.clock);
    this.deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
    this.observer = options.observer;
    this.phase = options.starting === true ? "starting" : "open";
    this.started = new Promise((resolve) => {
      this.settleStarted = resolve;
    });
    if (this.phase === "open") this.settleStarted();
  }

  /** Handles one interaction payload, answering through `responder`; never rejects. */
  handle(payload: unknown, responder: Responder): Promise<void> {
    const started = performance.now();
    const incoming = readIncoming(payload);
    const logger = this.context.logger.child(describe(incoming));
    const target =
      incoming.kind === "invalid" ? incoming.target : incoming.kind === "ping" ? incoming.target : incoming.meta;
    const answer = target === null ? null : new Answer(target, responder);
    const report: InteractionReport = {
      kind: incoming.kind,
      command: this.labelOf(incoming),
      outcome: "unanswered",
      firstResponseSeconds: null,
    };
    const task = this.dispatch(incoming, answer, { ...this.context, logger }, report)
      .catch((error: unknown) => logger.error({ err: error }, "interaction handling failed outside the error boundary"))
      .finally(() => {
        this.inFlight.delete(task);
        const answeredAt = answer?.firstResponseAt ?? null;
        report.firstResponseSeconds = answeredAt === null ? null : (answeredAt - started) / 1000;
        if (answeredAt === null && report.outcome !== "unanswered") report.outcome = "unanswered";
        try {
          this.observer?.(report);
        } catch (error) {
          logger.warn({ err: error }, "the interaction observer failed");
        }
        logger.debug({ ms: Math.round(performance.now() - started), outcome: report.outcome }, "interaction handled");
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
    await withDeadline(
      Promise.allSettled(this.inFlight).then(() => undefined),
      timeoutMs,
      undefined,
    );
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** The metrics label of an interaction: a known command's name or button prefix, never what a payload says. */
  private labelOf(incoming: Incoming): string {
    if (incoming.kind === "command" || incoming.kind === "autocomplete") {
      return this.commands.has(incoming.name) ? incoming.name : "unknown";
    }
    if (incoming.kind === "component") {
      return this.components.find((handler) => incoming.customId.startsWith(handler.prefix))?.prefix ?? "unknown";
    }
    return incoming.kind;
  }

  private async dispatch(
    incoming: Incoming,
    answer: Answer | null,
    context: BotContext,
    report: InteractionReport,
  ): Promise<void> {
    if (incoming.kind === "invalid" || answer === null) {
      context.logger.warn({ problem: incoming.kind === "invalid" ? incoming.reason : null }, "unreadable interaction");
      if (answer === null) return;
      // Autocomplete (type 4) only takes choices; anything else takes a message.
      if (incoming.kind === "invalid" && incoming.target?.type === 4) await answer.choices([]);
      else await answer.send(privateText(ROUTER_MESSAGES.unreadable), "private");
      report.outcome = "refused";
      return;
    }
    if (incoming.kind === "ping") {
      await answer.pong();
      report.outcome = "answered";
      return;
    }
    if (incoming.kind === "autocomplete") {
      report.outcome = await this.autocomplete(incoming, answer, context);
      return;
    }
    try {
      if (incoming.kind === "unsupported") {
        context.logger.warn("unsupported interaction");
        await answer.send(privateText(ROUTER_MESSAGES.unsupported), "private");
        report.outcome = "unknown";
        return;
      }
      if (this.phase === "starting") await this.holdUntilStarted(incoming, answer);
      if (this.phase !== "open") {
        await answer.send(privateText(ROUTER_MESSAGES.restarting), "private");
        report.outcome = "restarting";
      } else if (incoming.kind === "command") {
        report.outcome = await this.command(incoming, answer, context);
      } else {
        report.outcome = await this.component(incoming, answer, context);
      }
    } catch (error) {
      report.outcome = error instanceof UserFacingError ? "user_error" : "failed";
      await this.answerError(incoming.meta, answer, error, context.logger);
    }
  }

  /**
   * While the catalog loads: acknowledge now (Discord allows 3 s), handle once the router opens. A command's reply is
   * deferred with the visibility its answers have; a button's click is acknowledged and its message edited later.
   */
  private async holdUntilStarted(
    incoming: Extract<Incoming, { kind: "command" | "component" }>,
    answer: Answer,
  ): Promise<void> {
    if (incoming.kind === "command") {
      // An unknown command's answer ("I don't know that command") is private.
      await answer.defer(this.visibilityFor(this.commands.get(incoming.name)?.visibility ?? "private", incoming.meta));
    } else {
      const mode = this.componentAnswer(incoming);
      await (mode === "update" ? answer.deferUpdate() : answer.defer(mode));
    }
    await this.started;
  }

  /**
   * How a component is answered: "update" redraws its message; a visibility answers with a new message — the
   * handler's own, or a private copy for a member pressing a button on a message that answered someone else.
   */
  private componentAnswer(incoming: Extract<Incoming, { kind: "component" }>): "update" | Visibility {
    const handler = this.components.find((candidate) => incoming.customId.startsWith(candidate.prefix));
    if (handler === undefined) return "private";
    if (handler.answer !== "update") return this.visibilityFor(handler.answer.reply, incoming.meta);
    const someoneElse =
      incoming.ownerId !== null && incoming.ownerId !== incoming.meta.invoker.userId && !incoming.ephemeralMessage;
    return someoneElse ? "private" : "update";
  }

  /**
   * Who sees an answer: a public one (a card) goes public only where the server's settings allow it (read from
   * memory: this runs for every interaction and never waits on the store); a private one stays private. The message
   * a button redraws keeps its own visibility, so this is for new messages only.
   */
  private visibilityFor(wanted: Visibility, meta: InteractionMeta): Visibility {
    if (wanted === "private") return "private";
    const { invoker } = meta;
    return this.context.settings.cardVisibility(invoker.guildId, invoker);
  }

  private async command(
    incoming: Extract<Incoming, { kind: "command" }>,
    answer: Answer,
    context: BotContext,
  ): Promise<Outcome> {
    const { invoker } = incoming.meta;
    const command = this.commands.get(incoming.name);
    if (command === undefined) {
      context.logger.warn("unknown command");
      await answer.send(privateText(ROUTER_MESSAGES.unknownCommand), "private");
      return "unknown";
    }
    if (invoker.guildId === null && !worksInDms(command.definition)) {
      await answer.send(privateText(ROUTER_MESSAGES.guildOnly), "private");
      return "refused";
    }
    const visibility = this.visibilityFor(command.visibility, incoming.meta);
    if (command.cost === "slow") await answer.defer(visibility);
    const refusal = (await command.access?.(invoker, context)) ?? null;
    if (refusal !== null) {
      await answer.send(privateText(refusal), "private");
      return "refused";
    }
    const input = readInput(command.definition, incoming.options);
    if (command.cooldownSeconds !== undefined) {
      const check = await this.cooldowns.take(command.definition.name, invoker.userId, command.cooldownSeconds);
      if (!check.allowed) {
        await answer.send(privateText(ROUTER_MESSAGES.cooldown(command.definition.name, check.retryAt)), "private");
        return "cooldown";
      }
    }
    const reply = await this.whenReady(
      incoming.meta,
      answer,
      () => command.reply(input, context, invoker),
      () => answer.defer(visibility),
    );
    await answer.send(checkedReply(reply, `/${command.definition.name}`), visibility);
    return "answered";
  }

  private async component(
    incoming: Extract<Incoming, { kind: "component" }>,
    answer: Answer,
    context: BotContext,
  ): Promise<Outcome> {
    const handler = this.components.find((candidate) => incoming.customId.startsWith(candidate.prefix));
    const target = handler?.parse(incoming.customId) ?? null;
    if (handler === undefined || target === null) {
      context.logger.warn("unknown button");
      await answer.send(privateText(ROUTER_MESSAGES.unknownButton), "private");
      return "unknown";
    }
    const mode = this.componentAnswer(incoming);
    const use = { invoker: incoming.meta.invoker, values: incoming.values };
    const reply = await this.whenReady(
      incoming.meta,
      answer,
      () => handler.reply(target, context, use),
      () => (mode === "update" ? answer.deferUpdate() : answer.defer(mode)),
    );
    const checked = checkedReply(reply, `component ${handler.prefix}`);
    await (mode === "update" ? answer.update(checked) : answer.send(checked, mode));
    return "answered";
  }

  /**
   * The handler's result. When it is not ready by the deferral deadline (counted from the interaction's creation),
   * `defer` acknowledges the interaction first. A handler that throws reaches the error boundary, deferred or not.
   */
  private async whenReady<T>(
    meta: InteractionMeta,
    answer: Answer,
    work: () => T | Promise<T>,
    defer: () => Promise<void>,
  ): Promise<T> {
    const running = Promise.resolve().then(work);
    if (answer.acknowledged) return running;
    const first = await inTime(running, deferDelay(meta.createdAt, this.deferAfterMs));
    if (first !== LATE) return first;
    await defer();
    return running;
  }

  private async autocomplete(
    incoming: Extract<Incoming, { kind: "autocomplete" }>,
    answer: Answer,
    context: BotContext,
  ): Promise<Outcome> {
    const { meta } = incoming;
    let outcome: Outcome = "answered";
    if (this.phase === "starting") {
      await withDeadline(this.started, deferDelay(meta.createdAt, AUTOCOMPLETE_START_WAIT_MS), undefined);
    }
    let choices: readonly Choice[] = [];
    try {
      const command = this.commands.get(incoming.name);
      if (command === undefined) {
        context.logger.warn("autocomplete for an unknown command");
        outcome = "unknown";
      } else if (this.phase !== "open") {
        outcome = "restarting";
      }
      const input = command === undefined ? null : readAutocomplete(command.definition, incoming.options);
      if (this.phase === "open" && command?.autocomplete !== undefined && input !== null) {
        const suggest = command.autocomplete.bind(command);
        const found = await inTime(
          Promise.resolve().then(() => suggest(input, context, meta.invoker)),
          deferDelay(meta.createdAt, this.deferAfterMs),
        );
        if (found === LATE) {
          context.logger.warn("autocomplete too slow; answering with no choices");
          outcome = "failed";
        } else if (Array.isArray(found)) {
          choices = found;
        }
      }
    } catch (error) {
      context.logger.error({ err: error }, "autocomplete failed; answering with no choices");
      outcome = "failed";
    }
    // Autocomplete cannot be deferred or followed up: whatever happened, answer once, with nothing if need be.
    await answer
      .choices(choices)
      .catch((error: unknown) => context.logger.warn({ err: error }, "could not answer autocomplete"));
    return outcome;
  }

  private async answerError(meta: InteractionMeta, answer: Answer, error: unknown, logger: Logger): Promise<void> {
    const userFacing = error instanceof UserFacingError;
    if (userFacing) logger.info({ message: error.message }, "answered with a user-facing error");
    else logger.error({ err: error }, "interaction failed");
    const content = truncate(userFacing ? error.message : ROUTER_MESSAGES.failed(meta.id), MESSAGE_CONTENT_LIMIT);
    try {
      await answer.send(userFacing && error.reply !== undefined ? error.reply : privateText(content), "private");
    } catch (answerError) {
      logger.warn({ err: answerError }, "could not tell the member about the failure");
    }
  }
}

/** A handler written in plain JavaScript (or typed loosely) may return nothing: that is a bug, not an answer. */
function checkedReply(reply: MessageReply, what: string): MessageReply {
  if (typeof reply !== "object" || reply === null) throw new Error(`${what} finished without an answer`);
  return reply;
}

/** What identifies an interaction in logs (never its token). */
function describe(incoming: Incoming): Record<string, unknown> {
  if (incoming.kind === "invalid") return { interactionId: incoming.target?.id ?? null };
  if (incoming.kind === "ping") return { interactionId: incoming.target.id };
  const { meta } = incoming;
  const fields: Record<string, unknown> = {
    interactionId: meta.id,
    userId: meta.invoker.userId,
    guildId: meta.invoker.guildId,
  };
  if (incoming.kind === "command" || incoming.kind === "autocomplete") fields["command"] = incoming.name;
  if (incoming.kind === "component") fields["customId"] = incoming.customId;
  return fields;
}
