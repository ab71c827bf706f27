/**
 * Persistent state, behind Keyv (SQLite by default, Redis when several processes share it). Handlers see only
 * these interfaces.
 */
export interface WatchlistEntry {
  filmId: string;
  addedAt: string; // ISO
}

/** What adding a film did: `full` when the member's list already holds `WATCHLIST_LIMIT` films. */
export type WatchlistAddResult = "added" | "already-listed" | "full";

/** A member's list is capped so that one member cannot grow the store without bound. */
export const WATCHLIST_LIMIT = 500;

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
  outcome: "reloaded" | "refused" | "failed";
  films: number;
  previousFilms: number;
  skippedFiles: number;
  durationMs: number;
  message: string;
}

export interface AuditLog {
  record(entry: ReloadAuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<ReloadAuditEntry[]>;
}

/**
 * The catalog generation shared by every process on one store: a process that reloads writes a new value, and the
 * others reload when they see it change.
 */
export interface GenerationMarker {
  read(): Promise<string | null>;
  write(generation: string): Promise<void>;
}

export interface BotStore {
  readonly watchlists: WatchlistStore;
  readonly reloadAudit: AuditLog;
  readonly catalogGeneration: GenerationMarker;
  close(): Promise<void>;
}
