/**
 * BotStore over Keyv: `sqlite://<path>` (one process; the file and its folder are created) or `redis://…` (several
 * processes share watchlists, the audit log and the catalog generation).
 *
 * Keyv stores values whole, so a watchlist is one value per member and the audit log one capped list; updates are
 * read-modify-write, serialized per key within a process (KeyedLock). Across processes two writes of the same key
 * at the same instant can still race (last one wins): for a member's own list that needs the same member acting in
 * two shards at once, and audit entries are rare. Values read back are validated, since the store outlives versions.
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createKeyv as createRedisKeyv } from "@keyv/redis";
import { KeyvSqlite } from "@keyv/sqlite";
import { Keyv } from "keyv";
import type { Logger } from "pino";
import { z } from "zod";
import { describeStoreUrl } from "../config/config.js";
import { firstLine } from "../errors.js";
import { KeyedLock } from "./keyed-lock.js";
import {
  WATCHLIST_LIMIT,
  type AuditLog,
  type BotStore,
  type GenerationMarker,
  type ReloadAuditEntry,
  type WatchlistAddResult,
  type WatchlistEntry,
  type WatchlistStore,
} from "./store.js";

export const DEFAULT_NAMESPACE = "film-bot";
/** The audit log keeps this many entries, newest first. */
export const AUDIT_LOG_LIMIT = 500;

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const AUDIT_KEY = "reload-audit";
const GENERATION_KEY = "catalog-generation";
const watchlistKey = (userId: string): string => `watchlist:${userId}`;

/** The store could not be opened or reached; the message is one line for a person. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}

export interface OpenStoreOptions {
  logger: Logger;
  /** Key prefix, so several bots (or test runs) can share one Redis. */
  namespace?: string;
  /** How long to wait for Redis to accept the connection at start (default 5 s). */
  connectTimeoutMs?: number;
}

/** Opens the store at `url` and checks it answers, so a bad STORE_URL fails at start rather than on first use. */
export async function openStore(url: string, options: OpenStoreOptions): Promise<BotStore> {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  let keyv: Keyv | undefined;
  try {
    keyv = await connect(url, namespace, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    keyv.on("error", (error: unknown) => options.logger.error({ err: error }, "store error"));
    await keyv.get(GENERATION_KEY);
  } catch (error) {
    await keyv?.disconnect().catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot use the store ${describeStoreUrl(url)}: ${firstLine(error)}`, { cause: error });
  }
  return new KeyvBotStore(keyv, options.logger);
}

async function connect(url: string, namespace: string, connectTimeoutMs: number): Promise<Keyv> {
  if (url.startsWith("sqlite://")) {
    const path = url.slice("sqlite://".length);
    if (path !== ":memory:") await mkdir(dirname(resolve(path)), { recursive: true });
    const adapter = new KeyvSqlite({ uri: url, busyTimeout: 5000 });
    // Write-ahead logging: a write appends to the log instead of rewriting a rollback journal (several times faster
    // here), and a second process on the same file reads while the first writes.
    await adapter.query("PRAGMA journal_mode = WAL");
    // Without throwOnErrors Keyv turns a failed read into `undefined`, and the next write would erase a watchlist.
    return new Keyv({ store: adapter, namespace, throwOnErrors: true });
  }
  if (/^rediss?:\/\//.test(url)) {
    return createRedisKeyv(url, {
      namespace,
      throwOnConnectError: true,
      throwOnErrors: true,
      connectionTimeout: connectTimeoutMs,
    });
  }
  throw new StoreError(`unsupported store URL ${describeStoreUrl(url)} (use sqlite://<path> or redis://<host>:<port>)`);
}

class KeyvBotStore implements BotStore {
  readonly watchlists: WatchlistStore;
  readonly reloadAudit: AuditLog;
  readonly catalogGeneration: GenerationMarker;
  private readonly locks = new KeyedLock();
  private closed: Promise<void> | undefined;

  constructor(
    private readonly keyv: Keyv,
    logger: Logger,
  ) {
    this.watchlists = new KeyvWatchlists(keyv, this.locks, logger);
    this.reloadAudit = new KeyvAuditLog(keyv, this.locks, logger);
    this.catalogGeneration = {
      read: async () => {
        const value: unknown = await keyv.get(GENERATION_KEY);
        return typeof value === "string" ? value : null;
      },
      write: async (generation) => {
        await keyv.set(GENERATION_KEY, generation);
      },
    };
  }

  /** Waits for writes under way, then disconnects; calling it again is harmless. */
  close(): Promise<void> {
    this.closed ??= this.locks.settled().then(() => this.keyv.disconnect());
    return this.closed;
  }
}

const watchlistEntrySchema = z.object({ filmId: z.string().min(1).max(200), addedAt: z.string().min(1).max(64) });

class KeyvWatchlists implements WatchlistStore {
  constructor(
    private readonly keyv: Keyv,
    private readonly locks: KeyedLock,
    private readonly logger: Logger,
  ) {}

  add(userId: string, filmId: string, at: Date): Promise<WatchlistAddResult> {
    return this.update(userId, (entries) => {
      if (entries.some((entry) => entry.filmId === filmId)) return { result: "already-listed" };
      if (entries.length >= WATCHLIST_LIMIT) return { result: "full" };
      return { result: "added", entries: [...entries, { filmId, addedAt: at.toISOString() }] };
    });
  }

  remove(userId: string, filmId: string): Promise<boolean> {
    return this.update(userId, (entries) => {
      const kept = entries.filter((entry) => entry.filmId !== filmId);
      return kept.length === entries.length ? { result: false } : { result: true, entries: kept };
    });
  }

  async list(userId: string): Promise<WatchlistEntry[]> {
    return this.read(userId);
  }

  private async read(userId: string): Promise<WatchlistEntry[]> {
    const value: unknown = await this.keyv.get(watchlistKey(userId));
    if (value === undefined || value === null) return [];
    const rows = Array.isArray(value) ? value : [];
    const entries = rows.flatMap((row: unknown) => {
      const parsed = watchlistEntrySchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    if (entries.length !== rows.length || !Array.isArray(value)) {
      this.logger.warn({ userId, kept: entries.length }, "watchlist had unreadable entries; they were dropped");
    }
    return entries;
  }

  /** Read, change and write one member's list without interleaving with another change of it. */
  private update<R>(
    userId: string,
    change: (entries: WatchlistEntry[]) => { result: R; entries?: WatchlistEntry[] },
  ): Promise<R> {
    return this.locks.run(watchlistKey(userId), async () => {
      const { result, entries } = change(await this.read(userId));
      if (entries !== undefined) {
        if (entries.length === 0) await this.keyv.delete(watchlistKey(userId));
        else await this.keyv.set(watchlistKey(userId), entries);
      }
      return result;
    });
  }
}

const auditEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  guildId: z.string().nullable(),
  outcome: z.enum(["reloaded", "refused", "failed"]),
  films: z.number(),
  previousFilms: z.number(),
  skippedFiles: z.number(),
  durationMs: z.number(),
  message: z.string(),
});

class KeyvAuditLog implements AuditLog {
  constructor(
    private readonly keyv: Keyv,
    private readonly locks: KeyedLock,
    private readonly logger: Logger,
  ) {}

  record(entry: ReloadAuditEntry): Promise<void> {
    return this.locks.run(AUDIT_KEY, async () => {
      const entries = await this.read();
      await this.keyv.set(AUDIT_KEY, [entry, ...entries].slice(0, AUDIT_LOG_LIMIT));
    });
  }

  async recent(limit: number): Promise<ReloadAuditEntry[]> {
    return (await this.read()).slice(0, Math.max(0, limit));
  }

  private async read(): Promise<ReloadAuditEntry[]> {
    const value: unknown = await this.keyv.get(AUDIT_KEY);
    if (!Array.isArray(value)) return [];
    const entries = value.flatMap((row: unknown) => {
      const parsed = auditEntrySchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
    if (entries.length !== value.length)
      this.logger.warn({ kept: entries.length }, "audit log had unreadable entries; they were dropped");
    return entries;
  }
}
