/**
 * The connection to Redis (node-redis, the client @keyv/redis is built on): one for commands, and one more per
 * subscriber, since a subscribed connection runs nothing else.
 */
import { ClientClosedError, createClient } from "@redis/client";
import type { Logger } from "pino";

export interface RedisLinkOptions {
  url: string;
  /** The URL as it may be shown (no password). */
  where: string;
  logger: Logger;
  /** How long to wait for Redis to accept the connection at start. */
  connectTimeoutMs: number;
}

function newClient(url: string, connectTimeoutMs: number) {
  return createClient({ url, socket: { connectTimeout: connectTimeoutMs } });
}

export type RedisClient = ReturnType<typeof newClient>;

export class RedisLink {
  private closed = false;
  private readonly subscribers = new Set<RedisClient>();

  private constructor(
    private readonly client: RedisClient,
    private readonly options: RedisLinkOptions,
  ) {}

  /** Connects; throws when Redis does not accept the connection within the connect timeout. */
  static async connect(options: RedisLinkOptions): Promise<RedisLink> {
    const client = newClient(options.url, options.connectTimeoutMs);
    client.on("error", (error: unknown) => options.logger.error({ err: error }, "store error"));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("no connection")), options.connectTimeoutMs);
        }),
      ]);
    } catch (error) {
      destroy(client);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new RedisLink(client, options);
  }

  /** The store URL as it may be shown. */
  get where(): string {
    return this.options.where;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  call<T>(_what: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    return command(this.client);
  }

  /**
   * A second connection for pub/sub. It queues commands while disconnected (SUBSCRIBE waits for the connection) and
   * resubscribes by itself after reconnecting; `onReady` runs on every (re)connection.
   */
  subscriber(onReady: () => void): RedisClient {
    const client = newClient(this.options.url, this.options.connectTimeoutMs);
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

  /** Waits for commands under way, then disconnects; calling it again is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const subscriber of this.subscribers) destroy(subscriber);
    this.subscribers.clear();
    await this.client.close();
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
