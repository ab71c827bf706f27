/**
 * Opening the store named by STORE_URL: `sqlite://<path>` (the file and its folder are created) or `redis://…` /
 * `rediss://…` (several processes share state). A URL that cannot work (another scheme, a malformed Redis URL, a
 * refused password, an SQLite file that cannot be created) throws at once, in one line. A Redis that does not answer
 * yet does not: the store reports itself down, its calls fail fast, and it connects when Redis comes up.
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Logger } from "pino";
import { describeStoreUrl } from "../config/config.js";
import { firstLine } from "../errors.js";
import { DEFAULT_CALL_TIMEOUT_MS } from "./deadline.js";
import { RedisLink } from "./redis-link.js";
import { RedisBotStore } from "./redis-store.js";
import { openSqliteStore } from "./sqlite-store.js";
import { StoreUnavailableError, type BotStore } from "./store.js";

export const DEFAULT_NAMESPACE = "film-bot";

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** The store could not be opened; the message is one line for a person. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}

export interface OpenStoreOptions {
  logger: Logger;
  /** Key prefix, so several bots (or test runs) can share one Redis. */
  namespace?: string;
  /**
   * Redis: how long openStore waits for a first connection before returning a store that reports itself down (and
   * how long each connection attempt may take). SQLite: the deadline of each step at open. Default 5 s.
   */
  connectTimeoutMs?: number;
  /** The deadline of every store call; past it the call rejects with StoreUnavailableError. Default 2 s. */
  callTimeoutMs?: number;
  /** The clock behind cooldowns' `retryAt` (default: the system clock). */
  clock?: () => Date;
}

export async function openStore(url: string, options: OpenStoreOptions): Promise<BotStore> {
  const where = describeStoreUrl(url);
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const clock = options.clock ?? (() => new Date());
  const cannot = (error: unknown): StoreError => {
    const cause = error instanceof StoreUnavailableError && error.cause !== undefined ? error.cause : error;
    return new StoreError(`cannot use the store ${where}: ${firstLine(cause)}`, { cause: error });
  };

  if (url.startsWith("sqlite://")) {
    const path = url.slice("sqlite://".length);
    try {
      if (path !== ":memory:") await mkdir(dirname(resolve(path)), { recursive: true });
      return await openSqliteStore({
        path,
        where,
        namespace,
        logger: options.logger,
        callTimeoutMs,
        openTimeoutMs: connectTimeoutMs,
        clock,
      });
    } catch (error) {
      throw cannot(error);
    }
  }

  if (/^rediss?:\/\//.test(url)) {
    let link: RedisLink;
    try {
      link = new RedisLink({ url, where, logger: options.logger, callTimeoutMs, connectTimeoutMs });
    } catch (error) {
      throw cannot(error);
    }
    try {
      await link.firstConnection(connectTimeoutMs);
    } catch (error) {
      await link.close();
      throw cannot(error);
    }
    link.startReporting();
    return new RedisBotStore(link, { namespace, logger: options.logger, clock, callTimeoutMs });
  }

  throw new StoreError(`unsupported store URL ${where} (use sqlite://<path> or redis://<host>:<port>)`);
}
