/**
 * The connection to Redis, kept so that no call waits on it longer than the deadline:
 *
 * - commands are not queued while disconnected (`disableOfflineQueue`): a call then fails at once as "unreachable"
 *   rather than running minutes later, after its caller was told it failed;
 * - a call that gets no answer in time is rejected, and one not yet sent by then is dropped (its abort signal);
 * - a connection that answers nothing for a whole deadline (a frozen server, a network that drops packets without
 *   closing anything) is replaced, since node-redis would wait on it until TCP gives up;
 * - the client reconnects by itself, forever, with backoff; being down is logged once, and being back once.
 */
import { ClientClosedError, ErrorReply, createClient } from "@redis/client";
import type { Logger } from "pino";
import { errorCode, firstLine } from "../errors.js";
import { withinDeadline } from "./deadline.js";
import { StoreUnavailableError, type StoreFailure } from "./store.js";

export interface RedisLinkOptions {
  url: string;
  /** The URL as it may be shown (no password). */
  where: string;
  logger: Logger;
  callTimeoutMs: number;
  /** How long one connection attempt may take before it is retried. */
  connectTimeoutMs: number;
}

/** How long after node-redis gave up on a client a new one tries again. */
const RECREATE_AFTER_MS = 2000;

function newClient(url: string, connectTimeoutMs: number, offlineQueue: boolean) {
  return createClient({
    url,
    disableOfflineQueue: !offlineQueue,
    socket: { connectTimeout: connectTimeoutMs },
  });
}

export type RedisClient = ReturnType<typeof newClient>;

const UNREACHABLE = new Set([
  "ClientClosedError",
  "ClientOfflineError",
  "SocketClosedUnexpectedlyError",
  "ConnectionTimeoutError",
  "SocketTimeoutError",
  "ReconnectStrategyError",
  "DisconnectsClientError",
]);

/** An error reply's code: its first word ("WRONGPASS", "READONLY"). */
const replyCode = (error: ErrorReply): string => error.message.split(" ", 1)[0] ?? "";

/** Replies that a server starting up or failing over gives; any other refusal of the handshake is a configuration error. */
const TRANSIENT_REPLIES = new Set(["LOADING", "MASTERDOWN", "BUSY", "TRYAGAIN"]);

/** The kind of failure a node-redis error is, or undefined for one that is a bug (a script error, a wrong type). */
export function redisFailure(error: unknown): StoreFailure | undefined {
  if (error instanceof ErrorReply) {
    const code = replyCode(error);
    if (code === "READONLY" || code === "MISCONF") return "read-only";
    if (code === "OOM") return "full";
    if (code === "BUSY") return "locked";
    if (["LOADING", "MASTERDOWN", "NOAUTH", "WRONGPASS", "NOPERM"].includes(code)) return "unreachable";
    return undefined;
  }
  if (!(error instanceof Error)) return undefined;
  if (UNREACHABLE.has(error.constructor.name) || error.message === "The queue is full") return "unreachable";
  if (error.constructor.name === "AbortError" || error.constructor.name === "TimeoutError") return "timeout";
  return errorCode(error) === undefined ? undefined : "unreachable";
}

export class RedisLink {
  private client: RedisClient;
  private closed = false;
  /** Why the connection is down, for messages: the first error of the outage. */
  private problem: string | undefined;
  /** Outages are logged once openStore has returned (before that, openStore reports the state once). */
  private reporting = false;
  /** Whether the current outage was logged (once per outage). */
  private outageLogged = false;
  private lastAnswerAt = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscribers = new Set<RedisClient>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: RedisLinkOptions) {
    this.client = this.startClient();
  }

  /**
   * Waits up to `ms` for the first connection. Resolves true once connected, false if not yet (the client goes on
   * trying); rejects when Redis answered but refused the handshake (a wrong password, a database index it does not
   * have: configuration errors).
   */
  async firstConnection(ms: number): Promise<boolean> {
    const client = this.client;
    if (client.isReady) return true;
    return new Promise((resolve, reject) => {
      const finish = (outcome: boolean | Error): void => {
        clearTimeout(timer);
        client.off("ready", onReady);
        client.off("error", onError);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const onReady = (): void => finish(true);
      const onError = (error: unknown): void => {
        if (error instanceof ErrorReply && !TRANSIENT_REPLIES.has(replyCode(error))) finish(error);
      };
      const timer = setTimeout(() => finish(false), ms);
      client.on("ready", onReady);
      client.on("error", onError);
    });
  }

  /** From now on outages are logged (once each); logs the one under way, if any. */
  startReporting(): void {
    this.reporting = true;
    if (!this.client.isReady) this.reportOutage();
  }

  /** The store URL as it may be shown. */
  get where(): string {
    return this.options.where;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get isReady(): boolean {
    return !this.closed && this.client.isReady;
  }

  /** One line on why the connection is down. */
  get downReason(): string {
    if (this.closed) return "the store is closed";
    return this.problem ?? "not connected yet";
  }

  /**
   * Runs `command` on the connection within the deadline. Fails at once when there is no connection, and maps
   * connection problems to StoreUnavailableError (other errors, such as a script error, pass as they are).
   */
  call<T>(what: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    const label = `${what}: ${this.options.where}`;
    if (!this.isReady) return Promise.reject(new StoreUnavailableError("unreachable", `${label}: ${this.downReason}`));
    const client = this.client;
    const startedAt = performance.now();
    const call = withinDeadline(label, this.options.callTimeoutMs, async (signal) => {
      try {
        const result = await command(client.withAbortSignal(signal));
        this.lastAnswerAt = performance.now();
        return result;
      } catch (error) {
        if (error instanceof ErrorReply) this.lastAnswerAt = performance.now();
        const reason = redisFailure(error);
        if (reason === undefined) throw error;
        throw new StoreUnavailableError(reason, `${label}: ${firstLine(error)}`, { cause: error });
      }
    }).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError && error.reason === "timeout" && this.lastAnswerAt < startedAt) {
        this.replaceSilentClient(client);
      }
      throw error;
    });
    this.inFlight.add(call);
    void call.then(
      () => this.inFlight.delete(call),
      () => this.inFlight.delete(call),
    );
    return call;
  }

  /**
   * A second connection for pub/sub (a subscribed connection runs nothing else). It queues commands while
   * disconnected (SUBSCRIBE waits for the connection) and resubscribes by itself after reconnecting; `onReady` runs
   * on every (re)connection. Errors are not logged here: the main connection reports outages.
   */
  subscriber(onReady: () => void): RedisClient {
    const client = newClient(this.options.url, this.options.connectTimeoutMs, true);
    client.on("error", () => undefined);
    client.on("ready", onReady);
    this.subscribers.add(client);
    client.connect().catch(() => undefined);
    return client;
  }

  async closeSubscriber(client: RedisClient): Promise<void> {
    this.subscribers.delete(client);
    destroy(client);
  }

  /** Waits for calls under way (each ends by its deadline), then disconnects; calling it again is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled(this.inFlight);
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const subscriber of this.subscribers) destroy(subscriber);
    this.subscribers.clear();
    destroy(this.client);
  }

  private startClient(): RedisClient {
    const client = newClient(this.options.url, this.options.connectTimeoutMs, false);
    client.on("ready", () => {
      if (client !== this.client) return;
      if (this.outageLogged) this.options.logger.info({ store: this.options.where }, "store reachable again");
      this.outageLogged = false;
      this.problem = undefined;
    });
    client.on("error", (error: unknown) => this.noteProblem(client, firstLine(error)));
    client.connect().catch((error: unknown) => {
      if (this.closed) return;
      // node-redis gave up on this client (its reconnection strategy failed): try again later with a new one.
      this.noteProblem(client, firstLine(error));
      this.replaceLater(client);
    });
    return client;
  }

  private noteProblem(client: RedisClient, problem: string): void {
    if (client !== this.client || this.closed || client.isReady) return;
    this.problem ??= problem;
    if (this.reporting) this.reportOutage();
  }

  private reportOutage(): void {
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.options.logger.warn(
      { store: this.options.where, problem: this.downReason },
      "store unreachable; calls fail until it answers, reconnecting in the background",
    );
  }

  private replaceLater(stale: RedisClient): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || this.client !== stale) return;
      this.client = this.startClient();
    }, RECREATE_AFTER_MS);
    timer.unref();
    this.timers.add(timer);
  }

  /** Swaps a connection that stopped answering for a new one; what was waiting on it was already rejected. */
  private replaceSilentClient(stale: RedisClient): void {
    if (this.closed || this.client !== stale) return;
    this.problem = `no answer within ${this.options.callTimeoutMs} ms`;
    this.client = this.startClient();
    destroy(stale);
    if (this.reporting) this.reportOutage();
  }
}

function destroy(client: RedisClient): void {
  try {
    client.destroy();
  } catch (error) {
    // Already closed (node-redis gave up on it): nothing to release.
    if (!(error instanceof ClientClosedError)) throw error;
  }
}
