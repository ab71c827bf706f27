/**
 * One SQLite connection running one statement at a time, from a queue: a transaction's statements must not
 * interleave with another call's on the same connection, and SQLite allows one writer at a time anyway. Every call
 * has a deadline; a call whose caller gave up is not started, and rolled back rather than committed.
 */
import sqlite3 from "sqlite3";
import { withinDeadline } from "./deadline.js";
import { StoreUnavailableError } from "./store.js";

/** How long a statement waits for a lock another connection holds before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

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
  callTimeoutMs: number;
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

/** Thrown inside a task whose caller already gave up; never seen by a caller. */
class Abandoned extends Error {}

export class SqliteConnection {
  private tail: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly db: sqlite3.Database,
    private readonly options: SqliteConnectionOptions,
  ) {}

  /** Opens the file; throws the raw error (the caller words it), and never a half-open connection. */
  static async open(options: SqliteConnectionOptions): Promise<SqliteConnection> {
    const db = await openDatabase(options.path);
    try {
      db.configure("busyTimeout", BUSY_TIMEOUT_MS);
      // Write-ahead logging: a write appends to the log instead of rewriting a rollback journal, and a second process
      // on the same file reads while the first writes.
      await runnerFor(db).get("PRAGMA journal_mode = WAL");
    } catch (error) {
      await closeDatabase(db);
      throw error;
    }
    return new SqliteConnection(db, options);
  }

  /** Statements that only read. */
  read<T>(what: string, work: (sql: SqlRunner) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.enqueue(what, timeoutMs, () => work(runnerFor(this.db)));
  }

  /**
   * `work` inside BEGIN IMMEDIATE … COMMIT: the write lock is taken first, so no other connection or process changes
   * what `work` read before it commits. Rolled back on any failure, and when the caller gave up before COMMIT.
   */
  write<T>(what: string, work: (sql: SqlRunner) => Promise<T>, timeoutMs?: number): Promise<T> {
    return this.enqueue(what, timeoutMs, async (signal) => {
      const sql = runnerFor(this.db);
      await sql.run("BEGIN IMMEDIATE");
      try {
        const result = await work(sql);
        if (signal.aborted) throw new Abandoned();
        await sql.run("COMMIT");
        return result;
      } catch (error) {
        // It may fail with "no transaction is active": SQLite already rolled back (after I/O errors, a full disk).
        await sql.run("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  /** Waits for calls under way, then closes; calling it again is harmless. */
  close(): Promise<void> {
    this.closing ??= this.tail.then(() => closeDatabase(this.db));
    return this.closing;
  }

  private enqueue<T>(
    what: string,
    timeoutMs: number | undefined,
    task: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.closing !== undefined)
      return Promise.reject(new StoreUnavailableError("unreachable", `${what}: the store is closed`));
    return withinDeadline(`${what}: ${this.options.where}`, timeoutMs ?? this.options.callTimeoutMs, (signal) => {
      const run = this.tail.then(() => {
        if (signal.aborted) throw new Abandoned();
        return task(signal);
      });
      this.tail = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    });
  }
}
