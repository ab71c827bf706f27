import { setTimeout as sleep } from "node:timers/promises";
import { InteractionResponseType, MessageFlags, type APIInteraction, type APIMessage } from "discord.js";
import type { UploadedFile } from "./http-body.js";
import type { MessageStore } from "./messages.js";
import { DEFAULT_WAIT_MS, type ChangeWaiters, type WaitOptions } from "./waiters.js";

/** The accepted initial response (`POST /interactions/:id/:token/callback`) of an interaction. */
export interface CallbackRecord {
  /** 1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update message, 8 autocomplete, 9 modal. */
  type: InteractionResponseType;
  /** The callback's `data` (message body, autocomplete choices, modal), if any. */
  data: unknown;
  /** The whole JSON body (or `payload_json` of a multipart body). */
  body: unknown;
  files: UploadedFile[];
  /** Wall-clock time (ms since epoch) the callback arrived. */
  at: number;
  /** Milliseconds from dispatching the interaction to this callback arriving. */
  elapsedMs: number;
  /** Whether the client asked for an InteractionCallbackResponse body (`?with_response=true`). */
  withResponse: boolean;
}

/** Every callback request for the interaction, accepted or not (second replies, late replies). */
export interface CallbackAttempt {
  at: number;
  elapsedMs: number;
  body: unknown;
  /** HTTP status the fake answered: 204/200 accepted, 400 already acknowledged, 404 expired... */
  status: number;
  /** Discord JSON error code when rejected (40060 already acknowledged, 10062 unknown interaction). */
  errorCode?: number;
}

export type InteractionEventKind =
  | "callback"
  | "original-fetched"
  | "original-edited"
  | "original-deleted"
  | "follow-up"
  | "message-fetched"
  | "message-edited"
  | "message-deleted";

/** One thing the bot did for the interaction, in order (callback, then webhook requests). */
export interface InteractionEvent {
  kind: InteractionEventKind;
  at: number;
  elapsedMs: number;
  messageId?: string;
  body?: unknown;
}

export interface ReplyWaitOptions extends WaitOptions {
  /** Keep waiting until the reply also satisfies this (e.g. `m => m.embeds.length > 0`). */
  until?: (message: APIMessage) => boolean;
}

export interface FinalReplyWaitOptions extends WaitOptions {
  /** The reply counts as final once no webhook request arrived for this long (ms). Default 200. */
  quietMs?: number;
}

/** Mutable state of one dispatched interaction, owned by the fake's REST layer. */
export class InteractionRecord {
  readonly dispatchedAt = Date.now();
  private readonly dispatchedAtPrecise = performance.now();
  callback: CallbackRecord | undefined;
  readonly attempts: CallbackAttempt[] = [];
  readonly events: InteractionEvent[] = [];
  /** The message `@original` refers to: the reply, or for components the message clicked on. */
  originalMessageId: string | undefined;
  readonly followUpIds: string[] = [];
  lastActivityAt = performance.now();

  constructor(
    readonly payload: APIInteraction,
    readonly ackWindowMs: number,
    readonly tokenLifetimeMs: number,
  ) {
    this.originalMessageId = payload.message?.id;
  }

  get id(): string {
    return this.payload.id;
  }

  get token(): string {
    return this.payload.token;
  }

  /** Milliseconds from dispatch to `at` (a `performance.now()` time; default now). */
  elapsedMs(at: number = performance.now()): number {
    return Math.round(at - this.dispatchedAtPrecise);
  }

  /** True once (or if at `at`) the acknowledgement window passed without an accepted callback. */
  isExpired(at: number = performance.now()): boolean {
    return this.callback === undefined && at - this.dispatchedAtPrecise > this.ackWindowMs;
  }

  /** True once the interaction token (used by the webhook routes) has expired (15 min on Discord). */
  isTokenExpired(): boolean {
    return this.elapsedMs() > this.tokenLifetimeMs;
  }

  /** Records a step; `arrivedAt` is when its request arrived (`performance.now()`). */
  addEvent(kind: InteractionEventKind, arrivedAt: number, details: { messageId?: string; body?: unknown } = {}): void {
    this.events.push({ kind, at: Date.now(), elapsedMs: this.elapsedMs(arrivedAt), ...details });
    this.lastActivityAt = performance.now();
  }

  /** A short description for error messages, e.g. `interaction 123 (/film info)`. */
  describe(): string {
    return `interaction ${this.id} (${describePayload(this.payload)})`;
  }
}

function describePayload(payload: APIInteraction): string {
  const data: unknown = payload.data;
  if (typeof data === "object" && data !== null) {
    if ("name" in data && typeof data.name === "string") return `/${data.name}`;
    if ("custom_id" in data && typeof data.custom_id === "string") return `component ${data.custom_id}`;
  }
  return `type ${payload.type}`;
}

/**
 * The fake judges lateness by arrival time, but handles a request a few ms after it arrives. A
 * wait only gives up this long after the window closed, so a callback that arrived in time but is
 * still being read is not reported as missing.
 */
export const EXPIRY_SETTLE_MS = 100;

/** Callback types after which `@original` is a finished message without any webhook edit. */
const IMMEDIATE_MESSAGE_CALLBACKS = new Set<InteractionResponseType>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
]);
/** Callback types after which `@original` only becomes meaningful after an edit. */
const DEFERRED_CALLBACKS = new Set<InteractionResponseType>([
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.DeferredMessageUpdate,
]);

/**
 * What a test holds after dispatching an interaction: what the bot answered, when, and every
 * webhook request it made afterwards with the interaction's token. Returned by
 * `FakeDiscord.sendInteraction` and the `send...` helpers.
 */
export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    private readonly messages: MessageStore,
    private readonly waiters: ChangeWaiters,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** The dispatched INTERACTION_CREATE payload. */
  get payload(): APIInteraction {
    return this.record.payload;
  }

  get dispatchedAt(): number {
    return this.record.dispatchedAt;
  }

  /** The accepted initial response, once there is one. */
  get callback(): CallbackRecord | undefined {
    return this.record.callback;
  }

  /** Every callback request, including rejected ones (double or late acknowledgements). */
  get callbackAttempts(): readonly CallbackAttempt[] {
    return this.record.attempts;
  }

  /** The callback and every later webhook request for this interaction, in arrival order. */
  get events(): readonly InteractionEvent[] {
    return this.record.events;
  }

  /** Current state of the `@original` message (reply, or the clicked message for components). */
  get original(): APIMessage | undefined {
    const id = this.record.originalMessageId;
    return id === undefined ? undefined : this.messages.get(id);
  }

  /** Current state of the follow-up messages, in the order they were sent (deleted ones omitted). */
  get followUps(): APIMessage[] {
    return this.record.followUpIds.flatMap((id) => this.messages.get(id) ?? []);
  }

  /** True once the acknowledgement window passed without an accepted callback. */
  get expired(): boolean {
    return this.record.isExpired();
  }

  /**
   * The accepted initial response. Rejects as soon as the acknowledgement window (3 s by default)
   * passes without one (plus {@link EXPIRY_SETTLE_MS}), like Discord showing "The application did
   * not respond". `timeoutMs` defaults to the window plus one second.
   */
  response(options: WaitOptions = {}): Promise<CallbackRecord> {
    return this.waiters.waitFor(() => this.callbackOrThrow(), {
      timeoutMs: options.timeoutMs ?? this.record.ackWindowMs + 1000,
      describe: () => `the callback of ${this.record.describe()}`,
    });
  }

  /**
   * The reply message as the user sees it: right after a type-4/7 callback, or after the first
   * edit of `@original` following a deferral (type 5/6). With `until`, waits for a later state.
   * Rejects if the interaction expires unanswered, is answered without a message (autocomplete,
   * modal) or the reply is deleted. Default timeout 5 s.
   */
  waitForReply(options: ReplyWaitOptions = {}): Promise<APIMessage> {
    return this.waiters.waitFor(() => this.replyIfReady(options.until), {
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => `the reply to ${this.record.describe()}`,
    });
  }

  /**
   * The reply once the bot has stopped working on it: waits for {@link waitForReply}, then
   * until no webhook request arrived for `quietMs` (default 200 ms). Default timeout 5 s.
   */
  async waitForFinalReply(options: FinalReplyWaitOptions = {}): Promise<APIMessage> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const quietMs = options.quietMs ?? 200;
    const deadline = performance.now() + timeoutMs;
    await this.waitForReply({ timeoutMs });
    for (;;) {
      const quietFor = performance.now() - this.record.lastActivityAt;
      if (quietFor >= quietMs) break;
      if (performance.now() + (quietMs - quietFor) > deadline) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for the reply to ${this.record.describe()} to settle`);
      }
      await sleep(quietMs - quietFor);
    }
    const reply = this.replyIfReady(undefined);
    if (!reply) throw new Error(`The reply to ${this.record.describe()} disappeared while settling`);
    return reply;
  }

  /** The follow-up messages once at least `count` were sent. Default timeout 5 s. */
  waitForFollowUps(count: number, options: WaitOptions = {}): Promise<APIMessage[]> {
    return this.waiters.waitFor(() => (this.followUps.length >= count ? this.followUps : undefined), {
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => `${count} follow-up(s) to ${this.record.describe()} (have ${this.followUps.length})`,
    });
  }

  /** Waits until `condition(this)` holds; for anything the other helpers do not cover. */
  async waitUntil(condition: (handle: InteractionHandle) => boolean, options: WaitOptions = {}): Promise<void> {
    await this.waiters.waitFor(() => (condition(this) ? true : undefined), {
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => `a condition on ${this.record.describe()}`,
    });
  }

  private callbackOrThrow(): CallbackRecord | undefined {
    if (this.record.callback) return this.record.callback;
    if (this.record.isExpired(performance.now() - EXPIRY_SETTLE_MS)) {
      const late = this.record.attempts.map((attempt) => `${attempt.status} after ${attempt.elapsedMs} ms`);
      throw new Error(
        `${this.record.describe()} was not acknowledged within ${this.record.ackWindowMs} ms` +
          (late.length > 0 ? ` (callback attempts: ${late.join(", ")})` : ""),
      );
    }
    return undefined;
  }

  private replyIfReady(until: ((message: APIMessage) => boolean) | undefined): APIMessage | undefined {
    const callback = this.callbackOrThrow();
    if (!callback) return undefined;
    if (!IMMEDIATE_MESSAGE_CALLBACKS.has(callback.type) && !DEFERRED_CALLBACKS.has(callback.type)) {
      throw new Error(
        `${this.record.describe()} was answered with callback type ${callback.type}, which has no reply message`,
      );
    }
    const messageId = this.record.originalMessageId;
    if (messageId !== undefined && this.messages.isDeleted(messageId)) {
      throw new Error(`The reply to ${this.record.describe()} was deleted`);
    }
    const edited = this.record.events.some((event) => event.kind === "original-edited");
    if (DEFERRED_CALLBACKS.has(callback.type) && !edited) return undefined;
    const message = this.original;
    if (!message || ((message.flags ?? 0) & MessageFlags.Loading) !== 0) return undefined;
    if (until && !until(message)) return undefined;
    return message;
  }
}
