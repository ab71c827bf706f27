/**
 * BotStore over one SQLite file: the default, for one process (a second one, such as an overlapping restart, may share
 * the file). Each change is one transaction that takes the write lock first (BEGIN IMMEDIATE), so two connections
 * never interleave a read and a write of the same list. Cooldowns stay in memory (see `cooldowns` below).
 */
import type { Logger } from "pino";
import { firstLine } from "../errors.js";
import { Cooldowns } from "../interactions/cooldowns.js";
import { decodeKeyvValue, parseAuditEntries, parseJsonRows, parseLegacyWatchlist } from "./legacy-format.js";
import { parseSettingsAuditRows } from "./settings-rows.js";
import { SqliteConnection, type SqlRunner } from "./sqlite-connection.js";
import {
  AUDIT_LOG_LIMIT,
  REFUSAL_LOG_LIMIT,
  SETTINGS_AUDIT_LIMIT,
  WATCHLIST_LIMIT,
  type AuditLog,
  type BotStore,
  type CooldownLedger,
  type GenerationMarker,
  type GuildSettingsStore,
  type ReloadAuditEntry,
  type ReloadRefusal,
  type ReloadRefusalSummary,
  type SettingsAuditEntry,
  type SettingsChangeRequest,
  type SettingsChangeResult,
  type StoreHealth,
  type WatchlistAddResult,
  type WatchlistEntry,
  type WatchlistStore,
} from "./store.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS watchlist_entries (
  namespace TEXT NOT NULL,
  user_id TEXT NOT NULL,
  film_id TEXT NOT NULL,
  added_at TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (namespace, user_id, film_id)
);
CREATE INDEX IF NOT EXISTS watchlist_entries_in_order ON watchlist_entries (namespace, user_id, position);
CREATE TABLE IF NOT EXISTS reload_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reload_audit_newest ON reload_audit (namespace, id);
CREATE TABLE IF NOT EXISTS reload_refusals (
  namespace TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  guild_id TEXT NOT NULL,
  message TEXT NOT NULL,
  count INTEGER NOT NULL,
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  PRIMARY KEY (namespace, requested_by, guild_id, message)
);
CREATE INDEX IF NOT EXISTS reload_refusals_newest ON reload_refusals (namespace, last_at);
CREATE TABLE IF NOT EXISTS store_values (
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (namespace, name)
);
CREATE TABLE IF NOT EXISTS guild_settings (
  namespace TEXT NOT NULL,
  guild_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (namespace, guild_id, name)
);
CREATE TABLE IF NOT EXISTS guild_settings_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  guild_id TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS guild_settings_audit_newest ON guild_settings_audit (namespace, guild_id, id);
`;

const GENERATION = "catalog-generation";
const SETTINGS_VERSION = "guild-settings-version";
/** Old-format rows moved per transaction at open, so that a large store does not hold the lock in one go. */
const MIGRATION_BATCH = 100;

export interface SqliteStoreOptions {
  path: string;
  where: string;
  namespace: string;
  logger: Logger;
  callTimeoutMs: number;
  /** The deadline of each step at open (schema, moving old-format rows). */
  openTimeoutMs: number;
  clock: () => Date;
}

/** Opens the file, creates the tables, and moves data kept in Keyv's format into them. Throws the raw error. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<BotStore> {
  const connection = await SqliteConnection.open(
    { path: options.path, where: options.where, logger: options.logger, callTimeoutMs: options.callTimeoutMs },
    options.openTimeoutMs,
  );
  try {
    await connection.write("create tables", (sql) => execAll(sql, SCHEMA), options.openTimeoutMs);
    await migrateKeyvRows(connection, options);
  } catch (error) {
    await connection.close();
    throw error;
  }
  return new SqliteBotStore(connection, options);
}

async function execAll(sql: SqlRunner, script: string): Promise<void> {
  for (const statement of script.split(";").map((text) => text.trim())) {
    if (statement !== "") await sql.run(statement);
  }
}

/**
 * Before this store had tables, Keyv kept everything in its `keyv` table as `<namespace>:<key>` → JSON: a member's
 * whole list under `watchlist:<id>`, the audit log under `reload-audit`, the generation under `catalog-generation`.
 * Those rows are moved into the tables (merged with anything already there) and deleted, in batches, each batch one
 * transaction, so two processes opening at once move each row once. Rows a process of the previous version writes
 * later are moved at the next open.
 */
async function migrateKeyvRows(connection: SqliteConnection, options: SqliteStoreOptions): Promise<void> {
  const { namespace, logger } = options;
  const hasKeyv = await connection.read(
    "look for old-format data",
    async (sql) => (await sql.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keyv'")) !== undefined,
    options.openTimeoutMs,
  );
  if (!hasKeyv) return;
  const prefix = `${namespace}:`;
  const wanted = [`${prefix}watchlist:%`, `${prefix}reload-audit`, `${prefix}${GENERATION}`];
  let moved = 0;
  for (;;) {
    const count = await connection.write(
      "move old-format data",
      async (sql) => {
        const rows = await sql.all<{ key: string; value: string | null }>(
          "SELECT key, value FROM keyv WHERE key LIKE ? OR key = ? OR key = ? LIMIT ?",
          ...wanted,
          MIGRATION_BATCH,
        );
        for (const row of rows) {
          await migrateKeyvRow(sql, namespace, row.key.slice(prefix.length), row.value ?? "", logger);
          await sql.run("DELETE FROM keyv WHERE key = ?", row.key);
        }
        return rows.length;
      },
      options.openTimeoutMs,
    );
    moved += count;
    if (count < MIGRATION_BATCH) break;
  }
  if (moved > 0) logger.info({ store: options.where, rows: moved }, "store data moved out of the old Keyv format");
}

async function migrateKeyvRow(sql: SqlRunner, namespace: string, key: string, raw: string, logger: Logger) {
  const value = decodeKeyvValue(raw);
  if (key.startsWith("watchlist:")) {
    const userId = key.slice("watchlist:".length);
    const { entries, dropped } = parseLegacyWatchlist(value);
    if (dropped > 0)
      logger.warn({ userId, kept: entries.length }, "watchlist had unreadable entries; they were dropped");
    for (const entry of entries) await insertWatchlistEntry(sql, namespace, userId, entry);
  } else if (key === "reload-audit") {
    const { entries, dropped } = parseAuditEntries(value);
    if (dropped > 0) logger.warn({ kept: entries.length }, "audit log had unreadable entries; they were dropped");
    // Oldest first, so that ids grow with time as they do for entries recorded from now on.
    for (const entry of [...entries].reverse()) {
      await sql.run("INSERT INTO reload_audit (namespace, entry) VALUES (?, ?)", namespace, JSON.stringify(entry));
    }
    await trimAudit(sql, namespace);
  } else if (key === GENERATION && typeof value === "string") {
    await sql.run(
      "INSERT INTO store_values (namespace, name, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      namespace,
      GENERATION,
      value,
    );
  }
}

/** Appends `entry` to the member's list unless the film is on it: "added" or "already-listed" (no cap here). */
async function insertWatchlistEntry(
  sql: SqlRunner,
  namespace: string,
  userId: string,
  entry: WatchlistEntry,
): Promise<boolean> {
  const inserted = await sql.run(
    `INSERT INTO watchlist_entries (namespace, user_id, film_id, added_at, position)
     SELECT ?1, ?2, ?3, ?4, COALESCE(MAX(position), 0) + 1 FROM watchlist_entries WHERE namespace = ?1 AND user_id = ?2
     ON CONFLICT DO NOTHING`,
    namespace,
    userId,
    entry.filmId,
    entry.addedAt,
  );
  return inserted.changes > 0;
}

async function trimAudit(sql: SqlRunner, namespace: string): Promise<void> {
  await sql.run(
    `DELETE FROM reload_audit WHERE namespace = ?1 AND id <= (
       SELECT id FROM reload_audit WHERE namespace = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
    namespace,
    AUDIT_LOG_LIMIT,
  );
}

class SqliteBotStore implements BotStore {
  readonly watchlists: WatchlistStore;
  readonly reloadAudit: AuditLog;
  readonly catalogGeneration: GenerationMarker;
  /**
   * In memory: SQLite serves one process (replicas behind a load balancer share Redis), a cooldown lives seconds,
   * and writing one per command would put a disk write, and a disk failure, in front of commands that only read.
   */
  readonly cooldowns: CooldownLedger;
  readonly guildSettings: GuildSettingsStore;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly options: SqliteStoreOptions,
  ) {
    const { namespace } = options;
    this.watchlists = new SqliteWatchlists(connection, namespace);
    this.guildSettings = new SqliteGuildSettings(connection, namespace, options.logger);
    this.reloadAudit = new SqliteAuditLog(connection, namespace, options.logger);
    this.catalogGeneration = {
      read: () =>
        connection.read("read the catalog generation", async (sql) => {
          const row = await sql.get<{ value: string }>(
            "SELECT value FROM store_values WHERE namespace = ? AND name = ?",
            namespace,
            GENERATION,
          );
          return row?.value ?? null;
        }),
      write: (generation) =>
        connection.write("write the catalog generation", async (sql) => {
          await sql.run(
            `INSERT INTO store_values (namespace, name, value) VALUES (?, ?, ?)
             ON CONFLICT (namespace, name) DO UPDATE SET value = excluded.value`,
            namespace,
            GENERATION,
            generation,
          );
        }),
      // Nothing to listen to in a file: the caller's poll of read() notices a change.
      subscribe: async () => async () => undefined,
    };
    const cooldowns = new Cooldowns(options.clock);
    this.cooldowns = { take: async (command, userId, seconds) => cooldowns.take(command, userId, seconds) };
  }

  async health(): Promise<StoreHealth> {
    try {
      // Reading the schema takes the file's read lock, which `SELECT 1` would not.
      await this.connection.read("health check", (sql) => sql.get("SELECT COUNT(*) FROM sqlite_master"));
      return { ok: true, detail: `${this.options.where} answers (journal mode ${this.connection.journalMode})` };
    } catch (error) {
      return { ok: false, detail: firstLine(error) };
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

class SqliteWatchlists implements WatchlistStore {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly namespace: string,
  ) {}

  add(userId: string, filmId: string, at: Date): Promise<WatchlistAddResult> {
    return this.connection.write("watchlist add", async (sql) => {
      const listed = await sql.get(
        "SELECT 1 FROM watchlist_entries WHERE namespace = ? AND user_id = ? AND film_id = ?",
        this.namespace,
        userId,
        filmId,
      );
      if (listed !== undefined) return "already-listed";
      const row = await sql.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM watchlist_entries WHERE namespace = ? AND user_id = ?",
        this.namespace,
        userId,
      );
      if ((row?.n ?? 0) >= WATCHLIST_LIMIT) return "full";
      await insertWatchlistEntry(sql, this.namespace, userId, { filmId, addedAt: at.toISOString() });
      return "added";
    });
  }

  remove(userId: string, filmId: string): Promise<boolean> {
    return this.connection.write("watchlist remove", async (sql) => {
      const removed = await sql.run(
        "DELETE FROM watchlist_entries WHERE namespace = ? AND user_id = ? AND film_id = ?",
        this.namespace,
        userId,
        filmId,
      );
      return removed.changes > 0;
    });
  }

  list(userId: string): Promise<WatchlistEntry[]> {
    return this.connection.read("watchlist list", async (sql) => {
      const rows = await sql.all<{ film_id: string; added_at: string }>(
        "SELECT film_id, added_at FROM watchlist_entries WHERE namespace = ? AND user_id = ? ORDER BY position",
        this.namespace,
        userId,
      );
      return rows.map((row) => ({ filmId: row.film_id, addedAt: row.added_at }));
    });
  }
}

class SqliteAuditLog implements AuditLog {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {}

  record(entry: ReloadAuditEntry): Promise<void> {
    return this.connection.write("record a reload", async (sql) => {
      await sql.run("INSERT INTO reload_audit (namespace, entry) VALUES (?, ?)", this.namespace, JSON.stringify(entry));
      await trimAudit(sql, this.namespace);
    });
  }

  async recent(limit: number): Promise<ReloadAuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.connection.read("read the reload audit", (sql) =>
      sql.all<{ entry: string }>(
        "SELECT entry FROM reload_audit WHERE namespace = ? ORDER BY id DESC LIMIT ?",
        this.namespace,
        Math.floor(limit),
      ),
    );
    const { entries, dropped } = parseAuditEntries(parseJsonRows(rows.map((row) => row.entry)));
    if (dropped > 0) this.logger.warn({ kept: entries.length }, "audit log had unreadable entries; they were dropped");
    return entries;
  }

  recordRefusal(refusal: ReloadRefusal): Promise<void> {
    return this.connection.write("record a refused reload", async (sql) => {
      await sql.run(
        `INSERT INTO reload_refusals (namespace, requested_by, guild_id, message, count, first_at, last_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
         ON CONFLICT (namespace, requested_by, guild_id, message)
         DO UPDATE SET count = count + 1, last_at = MAX(last_at, excluded.last_at)`,
        this.namespace,
        refusal.by,
        refusal.guildId ?? "",
        refusal.message,
        refusal.at,
      );
      await sql.run(
        `DELETE FROM reload_refusals WHERE namespace = ?1 AND rowid IN (
           SELECT rowid FROM reload_refusals WHERE namespace = ?1 ORDER BY last_at DESC, rowid DESC LIMIT -1 OFFSET ?2)`,
        this.namespace,
        REFUSAL_LOG_LIMIT,
      );
    });
  }

  async recentRefusals(limit: number): Promise<ReloadRefusalSummary[]> {
    if (limit <= 0) return [];
    const rows = await this.connection.read("read refused reloads", (sql) =>
      sql.all<{
        requested_by: string;
        guild_id: string;
        message: string;
        count: number;
        first_at: string;
        last_at: string;
      }>(
        `SELECT requested_by, guild_id, message, count, first_at, last_at FROM reload_refusals
         WHERE namespace = ? ORDER BY last_at DESC, rowid DESC LIMIT ?`,
        this.namespace,
        Math.floor(limit),
      ),
    );
    return rows.map((row) => ({
      by: row.requested_by,
      guildId: row.guild_id === "" ? null : row.guild_id,
      message: row.message,
      count: row.count,
      firstAt: row.first_at,
      lastAt: row.last_at,
    }));
  }
}

class SqliteGuildSettings implements GuildSettingsStore {
  constructor(
    private readonly connection: SqliteConnection,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {}

  async readAll(): Promise<Map<string, Record<string, string>>> {
    const rows = await this.connection.read("read server settings", (sql) =>
      sql.all<{ guild_id: string; name: string; value: string }>(
        "SELECT guild_id, name, value FROM guild_settings WHERE namespace = ?",
        this.namespace,
      ),
    );
    const all = new Map<string, Record<string, string>>();
    for (const row of rows) {
      const settings = all.get(row.guild_id) ?? {};
      settings[row.name] = row.value;
      all.set(row.guild_id, settings);
    }
    return all;
  }

  async read(guildId: string): Promise<Record<string, string>> {
    const rows = await this.connection.read("read a server's settings", (sql) =>
      sql.all<{ name: string; value: string }>(
        "SELECT name, value FROM guild_settings WHERE namespace = ? AND guild_id = ?",
        this.namespace,
        guildId,
      ),
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }

  change(request: SettingsChangeRequest): Promise<SettingsChangeResult> {
    const { namespace } = this;
    return this.connection.write("change a server setting", async (sql) => {
      const row = await sql.get<{ value: string }>(
        "SELECT value FROM guild_settings WHERE namespace = ? AND guild_id = ? AND name = ?",
        namespace,
        request.guildId,
        request.setting,
      );
      const from = row?.value ?? null;
      if (from === request.value) return { changed: false, from };
      if (request.value === null) {
        await sql.run(
          "DELETE FROM guild_settings WHERE namespace = ? AND guild_id = ? AND name = ?",
          namespace,
          request.guildId,
          request.setting,
        );
      } else {
        await sql.run(
          `INSERT INTO guild_settings (namespace, guild_id, name, value) VALUES (?, ?, ?, ?)
           ON CONFLICT (namespace, guild_id, name) DO UPDATE SET value = excluded.value`,
          namespace,
          request.guildId,
          request.setting,
          request.value,
        );
      }
      const entry: SettingsAuditEntry = {
        at: request.at,
        by: request.by,
        guildId: request.guildId,
        setting: request.setting,
        from,
        to: request.value,
      };
      await sql.run(
        "INSERT INTO guild_settings_audit (namespace, guild_id, entry) VALUES (?, ?, ?)",
        namespace,
        request.guildId,
        JSON.stringify(entry),
      );
      await sql.run(
        `DELETE FROM guild_settings_audit WHERE namespace = ?1 AND guild_id = ?2 AND id <= (
           SELECT id FROM guild_settings_audit WHERE namespace = ?1 AND guild_id = ?2 ORDER BY id DESC LIMIT 1 OFFSET ?3)`,
        namespace,
        request.guildId,
        SETTINGS_AUDIT_LIMIT,
      );
      await sql.run(
        `INSERT INTO store_values (namespace, name, value) VALUES (?, ?, '1')
         ON CONFLICT (namespace, name) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`,
        namespace,
        SETTINGS_VERSION,
      );
      return { changed: true, from };
    });
  }

  async recentChanges(guildId: string, limit: number): Promise<SettingsAuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.connection.read("read server settings changes", (sql) =>
      sql.all<{ entry: string }>(
        "SELECT entry FROM guild_settings_audit WHERE namespace = ? AND guild_id = ? ORDER BY id DESC LIMIT ?",
        this.namespace,
        guildId,
        Math.floor(limit),
      ),
    );
    const { entries, dropped } = parseSettingsAuditRows(rows.map((row) => row.entry));
    if (dropped > 0)
      this.logger.warn({ guildId, kept: entries.length }, "settings audit had unreadable entries; left out");
    return entries;
  }

  version(): Promise<string | null> {
    return this.connection.read("read the server settings version", async (sql) => {
      const row = await sql.get<{ value: string }>(
        "SELECT value FROM store_values WHERE namespace = ? AND name = ?",
        this.namespace,
        SETTINGS_VERSION,
      );
      return row?.value ?? null;
    });
  }

  // Nothing to listen to in a file: the caller's poll of version() notices a change another process made.
  async subscribe(): Promise<() => Promise<void>> {
    return async () => undefined;
  }
}
