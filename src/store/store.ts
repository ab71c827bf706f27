/**
 * Persistent state: SQLite by default (one process), Redis when several processes answer for one bot. Handlers see
 * only these interfaces. Every call settles within the store's deadline: a store that cannot answer rejects with
 * StoreUnavailableError instead of holding the caller.
 */
import { firstLine } from "../errors.js";
import type { CooldownCheck } from "../interactions/cooldowns.js";

export type { CooldownCheck };

export interface WatchlistEntry {
  filmId: string;
  addedAt: string; // ISO
}

/** What adding a film did: `full` when the member's list already holds `WATCHLIST_LIMIT` films. */
export type WatchlistAddResult = "added" | "already-listed" | "full";

/** A member's list is capped so that one member cannot grow the store without bound. */
export const WATCHLIST_LIMIT = 500;
/** The reload audit keeps this many entries, newest first. */
export const AUDIT_LOG_LIMIT = 500;
/** Refused reloads are kept for this many member/guild/reason groups, the most recent ones. */
export const REFUSAL_LOG_LIMIT = 500;

export interface WatchlistStore {
  add(userId: string, filmId: string, at: Date): Promise<WatchlistAddResult>;
  /** false when the film was not on the list. */
  remove(userId: string, filmId: string): Promise<boolean>;
  /** Oldest first. */
  list(userId: string): Promise<WatchlistEntry[]>;
}

export interface ReloadAuditEntry {
  at: string; // ISO
  /** Who asked: "user:<id>" (with their tag) or "signal:SIGHUP". */
  by: string;
  guildId: string | null;
  /** `interrupted`: the process stopped before the reload finished (the catalog was not changed). */
  outcome: "reloaded" | "refused" | "failed" | "interrupted";
  films: number;
  previousFilms: number;
  skippedFiles: number;
  durationMs: number;
  message: string;
}

/** What a refused attempt is remembered by; a whole ReloadAuditEntry fits. */
export type ReloadRefusal = Pick<ReloadAuditEntry, "at" | "by" | "guildId" | "message">;

/** Refused attempts of one member in one guild for one reason, counted. */
export interface ReloadRefusalSummary {
  by: string;
  guildId: string | null;
  message: string;
  count: number;
  firstAt: string; // ISO
  lastAt: string; // ISO
}

export interface AuditLog {
  /** Keeps the newest entries, newest first. */
  record(entry: ReloadAuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<ReloadAuditEntry[]>;
  /**
   * An attempt turned down before anything was read (no permission, not an admin guild). Kept apart from `record`'s
   * log and counted per member, guild and reason, so that a flood of refusals cannot push reloads out of `recent`.
   */
  recordRefusal(refusal: ReloadRefusal): Promise<void>;
  /** The most recently refused member/guild/reason groups, newest first. */
  recentRefusals(limit: number): Promise<ReloadRefusalSummary[]>;
}

/**
 * The catalog generation shared by every process on one store: a process that reloads writes a new value, and the
 * others reload when they see it change.
 */
export interface GenerationMarker {
  read(): Promise<string | null>;
  write(generation: string): Promise<void>;
  /**
   * Calls `onChange` with each generation written by any process (this one included), as soon as it is written:
   * Redis pub/sub. A message can be lost while the connection is down, so callers keep a slow poll of `read()` as
   * the safety net; after reconnecting, the current generation is passed once more, seen or not. On SQLite this does
   * nothing and the poll is all there is. Resolves once listening (or after the deadline, listening from when the
   * store is reachable); never rejects. Returns the way to stop.
   */
  subscribe(onChange: (generation: string) => void): Promise<() => Promise<void>>;
}

/** Each server keeps this many changes to its settings in its audit, newest first. */
export const SETTINGS_AUDIT_LIMIT = 100;

/**
 * One change to a server's settings, as audited. Values are as stored: one short text per setting ("FR",
 * "private", "111,222", "true"); null when the setting was not set, that is at its default.
 */
export interface SettingsAuditEntry {
  at: string; // ISO
  /** Who: "user:<id> (<name>)". */
  by: string;
  guildId: string;
  setting: string;
  from: string | null;
  to: string | null;
}

/** A change asked for: `value` null puts the setting back to its default. */
export interface SettingsChangeRequest {
  at: string; // ISO
  by: string;
  guildId: string;
  setting: string;
  value: string | null;
}

/** What a change did: `changed` false when the setting already had that value (nothing written, nothing audited). */
export interface SettingsChangeResult {
  changed: boolean;
  /** The value it had before (null: not set). */
  from: string | null;
}

/**
 * Servers' settings: for each server, the settings it changed (setting → value as text; the rest are at their
 * defaults, which the bot knows, not the store). Processes keep them in memory: this is read at start and when told
 * of a change, never on each interaction.
 */
export interface GuildSettingsStore {
  /** Every server that changed a setting: server id → its settings. */
  readAll(): Promise<Map<string, Record<string, string>>>;
  /** One server's settings ({} when it changed none). */
  read(guildId: string): Promise<Record<string, string>>;
  /**
   * Sets one setting of one server, records the change in that server's audit (the newest SETTINGS_AUDIT_LIMIT are
   * kept) and moves the version on — one atomic step — then tells subscribers. A setting that already has the value is
   * left alone and not audited.
   */
  change(request: SettingsChangeRequest): Promise<SettingsChangeResult>;
  /** The server's latest changes, newest first. */
  recentChanges(guildId: string, limit: number): Promise<SettingsAuditEntry[]>;
  /** Changes with every change to any server's settings (null before the first): the cheap check of a poll. */
  version(): Promise<string | null>;
  /**
   * Calls `onChange` with the id of each server whose settings any process changed (this one included), as soon as
   * it is changed: Redis pub/sub. After a reconnection, messages may have been lost: `onChange(null)` says "read
   * everything again". On SQLite this does nothing and the poll of `version()` is all there is. Resolves once
   * listening (or after the deadline); never rejects. Returns the way to stop.
   */
  subscribe(onChange: (guildId: string | null) => void): Promise<() => Promise<void>>;
}

/** Per-member command cooldowns: the router's CooldownStore. */
export interface CooldownLedger {
  /** Allows the use and starts the cooldown, or tells when the member may try again. */
  take(command: string, userId: string, seconds: number): Promise<CooldownCheck>;
}

export interface StoreHealth {
  ok: boolean;
  /** One line: where the store is and, when it is not ok, why. */
  detail: string;
}

export interface BotStore {
  readonly watchlists: WatchlistStore;
  readonly reloadAudit: AuditLog;
  readonly catalogGeneration: GenerationMarker;
  readonly cooldowns: CooldownLedger;
  readonly guildSettings: GuildSettingsStore;
  /** Whether the store answers now; resolves within the deadline, never rejects. */
  health(): Promise<StoreHealth>;
  /** Waits for calls under way, then disconnects; calling it again is harmless. */
  close(): Promise<void>;
}

/**
 * Why the store could not do something: `full` and `read-only` mean nothing can be saved for now (a member can be
 * told "can't save right now"), `locked` that another process holds the database, `timeout` that no answer came
 * within the deadline, `unreachable` that there is no connection, `broken` that the storage itself fails (I/O error,
 * corrupt file).
 */
export type StoreFailure = "unreachable" | "timeout" | "read-only" | "full" | "locked" | "broken";

/**
 * The store did not do what was asked; the message is one line for a log. A write that failed this way happened
 * entirely or not at all, and for `timeout` the caller cannot know which: every change is safe to try again.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";

  constructor(
    readonly reason: StoreFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(firstLine(message), options);
  }
}
