/**
 * One SQLite connection that cannot wedge the process.
 *
 * sqlite3 runs each statement on a libuv thread-pool thread, the same four threads that file reads (the catalog, data
 * reloads) need. A statement waiting on a lock sleeps in SQLite's busy handler holding its thread, and statements
 * issued side by side on one connection each hold a thread while they queue for the connection's mutex: with a long
 * busy timeout, a locked database starved every file read in the process. So here:
 *
 * - statements run one at a time, from a queue: the store holds at most one pool thread;
 * - the busy timeout is short, and waiting for a lock happens in JavaScript (a timer, no thread) until the deadline;
 * - every call has a deadline, and a call whose caller gave up is not started, and rolled back rather than committed;
 * - after a failure that can leave the connection in a bad state (read-only, I/O error) it is reopened on the next
 *   call, so the store recovers once the file is writable again.
 */
import { constants } from "node:fs";
import { access, statfs } from "node:fs/promises";
import { dirname } from "node:path";
import sqlite3 from "sqlite3";
import type { Logger } from "pino";
import { errorCode, firstLine } from "../errors.js";
import { pause, withinDeadline } from "./deadline.js";
import { StoreUnavailableError, type StoreFailure } from "./store.js";

/** How long one statement may wait for a lock inside SQLite (holding a pool thread) before the wait moves to a timer. */
const BUSY_TIMEOUT_MS = 100;

export type SqlValue = string | number | null;

export interface SqlRunner {
  get<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number; lastID: number }>;
}

export interface SqliteConnectionOptions {
  path: string;
  /** How the file is named in messages: its store URL. */
  where: string;
  logger: Logger;
  callTimeoutMs: number;
}

/**
 * The journal: a rollback journal (TRUNCATE), not write-ahead logging. WAL keeps its index in the `-shm` file,
 * memory-mapped: truncating that file, or making it immutable, while the bot runs kills the process with SIGBUS,
 * which no handler can catch. A rollback journal maps nothing, and several processes can still share the file; the
 * price is slower commits (the journal and the database are both synced), acceptable for writes made by people.
 */
const JOURNAL_MODE = "truncate";

/** The kind of failure an SQLite (or file system) error is, or undefined for one that is a bug, not the store. */
export function sqliteFailure(error: unknown): StoreFailure | undefined {
  switch (errorCode(error)) {
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "locked";
    case "SQLITE_READONLY":
    case "SQLITE_CANTOPEN":
    case "SQLITE_PERM":
    case "SQLITE_AUTH":
    case "EROFS":
    case "EACCES":
    case "EPERM":
      return "read-only";
    case "SQLITE_FULL":
    case "ENOSPC":
      return "full";
    case "SQLITE_IOERR":
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
    case "SQLITE_NOLFS":
    case "EIO":
      return "broken";
    case "SQLITE_MISUSE":
      return "unreachable";
    default:
      return undefined;
  }
}

/** Waits between attempts to take a lock another connection holds. */
function backoff(attempt: number): number {
  return Math.min(5 * 2 ** attempt, 100) + Math.random() * 10;
}

function openDatabase(path: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db: sqlite3.Database = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(db)));
  });
}

function closeDatabase(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

function runnerFor(db: sqlite3.Database): SqlRunner {
  return {
    get: <T>(sql: string, ...params: SqlValue[]) =>
      new Promise<T | undefined>((resolve, reject) =>
        db.get(sql, params, (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row))),
      ),
    all: <T>(sql: string, ...params: SqlValue[]) =>
      new Promise<T[]>((resolve, reject) =>
        db.all(sql, params, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows))),
      ),
    run: (sql: string, ...params: SqlValue[]) =>
      new Promise((resolve, reject) =>
        db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
          if (error) reject(error);
          else resolve({ changes: this.changes, lastID: this.lastID });
        }),
      ),
  };
}

const isBusy = (error: unknown): boolean => sqliteFailure(error) === "locked";

/** Waits for `work` to settle, but no longer than `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Thrown inside a task whose caller already gave up; never seen by a caller. */
class Abandoned extends Error {}

export class SqliteConnection {
  private db: sqlite3.Database | undefined;
  /** Set after a failure that may have left the connection unusable: the next call reopens it. */
  private stale = false;
  private tail: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** Set while a statement waits for a lock another connection holds: calls that time out meanwhile say so. */
  private lockProblem: string | undefined;
  /** The journal mode in effect: "truncate", or "wal" while another process keeps the file in WAL mode. */
  journalMode = "";

  private constructor(private readonly options: SqliteConnectionOptions) {}

  /** Opens the file; throws the raw error (the caller words it), and never a half-open connection. */
  static async open(options: SqliteConnectionOptions, timeoutMs: number): Promise<SqliteConnection> {
    const connection = new SqliteConnection(options);
    const connecting = connection.connect();
    try {
      // A file system that does not answer (a stalled network mount) must not hold the start.
      connection.db = await withinDeadline("open", timeoutMs, () => connecting);
    } catch (error) {
      void connecting.then(closeDatabase, () => undefined);
      throw error;
    }
    return connection;
  }

  /** Statements that only read, retried while another connection holds the write lock, until the deadline. */
  read<T>(what: string, work: (sql: SqlRunner) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.enqueue(what, timeoutMs, async (db, signal) => {
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await work(runnerFor(db));
          this.lockProblem = undefined;
          return result;
        } catch (error) {
          if (!isBusy(error) || signal.aborted) throw error;
          this.lockProblem = firstLine(error);
          await pause(backoff(attempt), signal);
        }
      }
    });
  }

  /**
   * `work` inside BEGIN IMMEDIATE … COMMIT: the write lock is taken first, so no other connection or process changes
   * what `work` read before it commits. Rolled back on any failure, and when the caller gave up before COMMIT.
   */
  write<T>(what: string, work: (sql: SqlRunner) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.enqueue(what, timeoutMs, async (db, signal) => {
      const sql = runnerFor(db);
      await this.retryWhileBusy(signal, () => sql.run("BEGIN IMMEDIATE"));
      try {
        const result = await work(sql);
        await this.retryWhileBusy(signal, () => sql.run("COMMIT"));
        return result;
      } catch (error) {
        await sql.run("ROLLBACK").catch((rollbackError: unknown) => {
          // "no transaction is active": SQLite already rolled back (it does after I/O errors and a full disk).
          if (!/no transaction is active/.test(firstLine(rollbackError))) this.stale = true;
        });
        throw error;
      }
    });
  }

  /**
   * Waits for calls under way, then closes; calling it again is harmless. Calls end by their deadlines, but a
   * statement stuck in the file system would not: the wait, and the close itself, are bounded by one deadline each.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const { callTimeoutMs } = this.options;
      await settledWithin(this.tail, callTimeoutMs);
      const db = this.db;
      this.db = undefined;
      if (db !== undefined) await settledWithin(closeDatabase(db), callTimeoutMs);
    })();
    return this.closing;
  }

  private async connect(): Promise<sqlite3.Database> {
    const db = await openDatabase(this.options.path);
    try {
      db.configure("busyTimeout", BUSY_TIMEOUT_MS);
      const sql = runnerFor(db);
      // A file in WAL mode switches only when no other connection has it open (a process of the previous version,
      // during an upgrade); until then it is used as it is.
      const switched = await sql
        .get<{ journal_mode: string }>(`PRAGMA journal_mode = ${JOURNAL_MODE}`)
        .catch((error: unknown) => (isBusy(error) ? undefined : Promise.reject(error)));
      const row = switched ?? (await sql.get<{ journal_mode: string }>("PRAGMA journal_mode"));
      const mode = row?.journal_mode ?? "";
      if (mode === "wal" && this.journalMode !== "wal") {
        this.options.logger.warn(
          { store: this.options.where },
          "the store file stays in WAL mode while another process has it open (its -shm file is memory-mapped); it switches when opened alone",
        );
      }
      this.journalMode = mode;
      return db;
    } catch (error) {
      await closeDatabase(db);
      throw error;
    }
  }

  private async retryWhileBusy(signal: AbortSignal, statement: () => Promise<unknown>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw new Abandoned();
      try {
        await statement();
        this.lockProblem = undefined;
        return;
      } catch (error) {
        if (!isBusy(error)) throw error;
        this.lockProblem = firstLine(error);
        await pause(backoff(attempt), signal);
      }
    }
  }

  private enqueue<T>(
    what: string,
    timeoutMs: number | undefined,
    task: (db: sqlite3.Database, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.closing !== undefined)
      return Promise.reject(new StoreUnavailableError("unreachable", `${what}: the store is closed`));
    const ms = timeoutMs ?? this.options.callTimeoutMs;
    const waitingForLock = () =>
      this.lockProblem === undefined ? undefined : { reason: "locked" as const, detail: this.lockProblem };
    return withinDeadline(
      `${what}: ${this.options.where}`,
      ms,
      (signal) => {
        const run = this.tail.then(async () => {
          if (signal.aborted) throw new Abandoned();
          try {
            const reopened = this.db === undefined || this.stale;
            try {
              return await task(await this.usableDatabase(), signal);
            } catch (error) {
              // A connection opened while the file could not be written stays read-only after the file is fixed:
              // one more try on a new connection (nothing was written, so trying again is safe).
              if (reopened || errorCode(error) !== "SQLITE_READONLY" || signal.aborted) throw error;
              this.stale = true;
              return await task(await this.usableDatabase(), signal);
            }
          } catch (error) {
            throw await this.unavailable(what, error);
          }
        });
        this.tail = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      },
      waitingForLock,
    );
  }

  private async usableDatabase(): Promise<sqlite3.Database> {
    if (this.db !== undefined && !this.stale) return this.db;
    const previous = this.db;
    this.db = undefined;
    if (previous !== undefined) await closeDatabase(previous);
    this.db = await this.connect();
    this.stale = false;
    return this.db;
  }

  /** A store failure as StoreUnavailableError (marking the connection for reopening when it may be unusable). */
  private async unavailable(what: string, error: unknown): Promise<unknown> {
    if (error instanceof Abandoned) return error;
    let reason = sqliteFailure(error);
    if (reason === undefined) return error;
    if (reason !== "locked" && reason !== "full") this.stale = true;
    if (reason === "broken" || errorCode(error) === "SQLITE_CANTOPEN") reason = await this.fileSystemFailure(reason);
    return new StoreUnavailableError(reason, `${what}: ${this.options.where}: ${firstLine(error)}`, { cause: error });
  }

  /**
   * SQLite reports a folder or journal it cannot write as "disk I/O error" or "unable to open database file": the
   * file system says whether that is a full disk or one that cannot be written, which a member can be told.
   */
  private async fileSystemFailure(fallback: StoreFailure): Promise<StoreFailure> {
    const { path } = this.options;
    if (path === ":memory:") return fallback;
    try {
      const space = await statfs(dirname(path));
      if (space.bfree === 0 || space.bavail === 0) return "full";
      await access(dirname(path), constants.W_OK);
      await access(path, constants.W_OK);
      return fallback;
    } catch (error) {
      return sqliteFailure(error) ?? fallback;
    }
  }
}
