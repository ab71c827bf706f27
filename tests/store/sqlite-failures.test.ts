/**
 * An SQLite file that cannot be used must not wedge the process: calls fail fast with the kind of failure, file
 * reads elsewhere in the process keep completing, nothing refused is written later, and the store works again once
 * the file does. Timing bounds are generous: they tell "fails fast" and "not blocked" from "hangs", nothing finer.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { sqliteFailure } from "../../src/store/sqlite-connection.js";
import { StoreUnavailableError, type BotStore } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, recordingLogger, startStoreProcess, timed } from "./helpers.js";

afterAll(removeTempDirs);

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

async function storeIn(dir: string, callTimeoutMs = 1000): Promise<{ store: BotStore; file: string; url: string }> {
  const file = join(dir, "bot.sqlite");
  const url = `sqlite://${file}`;
  const store = await openStore(url, { logger: silentLogger(), callTimeoutMs });
  // The first write creates the journal file, which then stays (empty) next to the database.
  await store.watchlists.add("seed", "alien-1979", AT);
  return { store, file, url };
}

/** Many reads of a file elsewhere, all at once (more than libuv's four pool threads); each must finish quickly. */
async function expectFileReadsFlow(path: string): Promise<void> {
  const reads = await Promise.all(Array.from({ length: 16 }, () => timed(() => readFile(path))));
  for (const read of reads) {
    expect(read.error).toBeUndefined();
    expect(read.ms).toBeLessThan(2000);
  }
}

/** `count` adds for different members at once; each must reject fast with StoreUnavailableError(`reason`). */
async function expectAddsRefused(store: BotStore, count: number, reason: string, tag: string): Promise<void> {
  const outcomes = await Promise.all(
    Array.from({ length: count }, (_, index) => timed(() => store.watchlists.add(`${tag}-${index}`, "film", AT))),
  );
  for (const outcome of outcomes) {
    expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
    expect((outcome.error as StoreUnavailableError).reason).toBe(reason);
    expect((outcome.error as Error).message).not.toContain("\n");
    expect(outcome.ms).toBeLessThan(5000);
  }
}

describe("SQLite store on a file that fails", () => {
  it("fails fast while another process holds the lock, keeps file reads flowing, and writes nothing late", async () => {
    const dir = await tempDir("film-locked-");
    const { store, file } = await storeIn(dir);
    const elsewhere = join(await tempDir("film-elsewhere-"), "catalog.jsonl");
    await writeFile(elsewhere, "x".repeat(1 << 20));
    const holder = new sqlite3.Database(file);
    await exec(holder, "BEGIN EXCLUSIVE");
    try {
      const refused = expectAddsRefused(store, 20, "locked", "locked");
      const reads = Promise.all(
        Array.from({ length: 5 }, () => timed(() => store.watchlists.list("seed"))).map(async (read) => {
          expect(((await read).error as StoreUnavailableError).reason).toBe("locked");
        }),
      );
      await expectFileReadsFlow(elsewhere);
      await Promise.all([refused, reads]);
      expect(await store.health()).toEqual({ ok: false, detail: expect.stringMatching(/^health check: sqlite:/) });
    } finally {
      await exec(holder, "ROLLBACK");
      await new Promise((resolve) => holder.close(resolve));
    }
    // Refused in time, before COMMIT: none of them went in once the lock was free.
    for (let index = 0; index < 20; index++) expect(await store.watchlists.list(`locked-${index}`)).toEqual([]);
    expect(await store.watchlists.add("seed", "solaris-1972", AT)).toBe("added");
    expect((await store.health()).ok).toBe(true);
    await store.close();
  });

  it("waits for a lock held briefly, within its deadline", async () => {
    const { store, file } = await storeIn(await tempDir("film-brief-"), 5000);
    const holder = new sqlite3.Database(file);
    await exec(holder, "BEGIN EXCLUSIVE");
    const adding = store.watchlists.add("u1", "brief-1999", AT);
    setTimeout(() => void exec(holder, "ROLLBACK"), 300);
    expect(await adding).toBe("added");
    await new Promise((resolve) => holder.close(resolve));
    await store.close();
  });

  const immutable = canMakeImmutable();
  it.skipIf(!immutable)(
    "refuses writes as read-only while the files are immutable, and works once they are not",
    async () => {
      const dir = await tempDir("film-immutable-");
      const { store, file } = await storeIn(dir);
      const elsewhere = join(await tempDir("film-elsewhere-"), "catalog.jsonl");
      await writeFile(elsewhere, "x".repeat(1 << 20));
      const targets = [dir, file, `${file}-journal`].filter((path) => existsSync(path));
      execFileSync("chattr", ["+i", ...targets]);
      try {
        await expectAddsRefused(store, 20, "read-only", "immutable");
        await expectFileReadsFlow(elsewhere);
        // Reading still works.
        expect((await store.watchlists.list("seed")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
      } finally {
        execFileSync("chattr", ["-i", ...targets]);
      }
      // The very first write after the fix goes in (the connection opened meanwhile was read-only).
      expect(await store.watchlists.add("seed", "solaris-1972", AT)).toBe("added");
      await store.close();
    },
  );

  // A file system cannot be remounted read-only under a file open for writing, so "read-only" is chattr's above.
  it("says full on a full disk, keeps reading, and recovers once there is room", async (context) => {
    const dir = mountTmpfs();
    if (dir === null) return context.skip("no tmpfs can be mounted here (needs root with mount rights)");
    try {
      const { store } = await storeIn(dir);
      // Fill the file system (the filler keeps what fitted).
      await writeFile(join(dir, "filler"), Buffer.alloc(1 << 20)).catch(() => undefined);
      await expectAddsRefused(store, 5, "full", "full");
      expect((await store.watchlists.list("seed")).map((entry) => entry.filmId)).toEqual(["alien-1979"]);
      await rm(join(dir, "filler"));
      expect(await store.watchlists.add("seed", "after-full", AT)).toBe("added");
      await store.close();
    } finally {
      execFileSync("umount", ["-l", dir]);
      execFileSync("rmdir", [dir]);
    }
  });

  it("names the failure behind SQLite's and the file system's error codes", () => {
    expect(sqliteFailure(coded("SQLITE_BUSY"))).toBe("locked");
    expect(sqliteFailure(coded("SQLITE_READONLY"))).toBe("read-only");
    expect(sqliteFailure(coded("SQLITE_FULL"))).toBe("full");
    expect(sqliteFailure(coded("ENOSPC"))).toBe("full");
    expect(sqliteFailure(coded("EROFS"))).toBe("read-only");
    expect(sqliteFailure(coded("SQLITE_IOERR"))).toBe("broken");
    expect(sqliteFailure(coded("SQLITE_CORRUPT"))).toBe("broken");
    expect(sqliteFailure(coded("SQLITE_ERROR"))).toBeUndefined();
    expect(sqliteFailure(new Error("no code"))).toBeUndefined();
  });
});

describe("SQLite store and the -shm file", () => {
  it.skipIf(process.platform !== "linux")(
    "WAL dies of SIGBUS when its -shm file is truncated under it (why the store keeps a rollback journal)",
    async () => {
      const file = join(await tempDir("film-wal-"), "bot.sqlite");
      const child = spawn(process.execPath, ["--input-type=module", "-e", WAL_WRITER, file], { stdio: "pipe" });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once("exit", (_code, signal) => resolve(signal)),
      );
      await new Promise((resolve) => child.stdout.once("data", resolve));
      await truncate(`${file}-shm`, 0);
      expect(await exited).toBe("SIGBUS");
    },
  );

  it("opens a file another process keeps in WAL mode, as it is, and says so", async () => {
    const file = join(await tempDir("film-wal-held-"), "bot.sqlite");
    const previousVersion = new sqlite3.Database(file);
    await exec(previousVersion, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    try {
      const { logger, lines } = recordingLogger();
      const store = await openStore(`sqlite://${file}`, { logger });
      expect(await store.watchlists.add("u1", "alien-1979", AT)).toBe("added");
      expect((await store.health()).detail).toContain("journal mode wal");
      expect(lines.filter((line) => line.msg.includes("stays in WAL mode"))).toHaveLength(1);
      await store.close();
    } finally {
      await new Promise((resolve) => previousVersion.close(resolve));
    }
    const alone = await openStore(`sqlite://${file}`, { logger: silentLogger() });
    expect((await alone.health()).detail).toContain("journal mode truncate");
    expect(await alone.watchlists.list("u1")).toEqual([{ filmId: "alien-1979", addedAt: AT.toISOString() }]);
    await alone.close();
  });

  it("keeps serving when a -shm file next to its database is truncated: it maps none", async () => {
    const file = join(await tempDir("film-shm-"), "bot.sqlite");
    // A database the previous version left: in WAL mode, a member's list in Keyv's format.
    const legacy = new sqlite3.Database(file);
    await exec(
      legacy,
      `PRAGMA journal_mode = WAL;
       CREATE TABLE keyv (key VARCHAR(255) PRIMARY KEY, value TEXT);
       INSERT INTO keyv VALUES ('film-bot:watchlist:u1', '{"value":[{"filmId":"alien-1979","addedAt":"${AT.toISOString()}"}]}');`,
    );
    await new Promise((resolve) => legacy.close(resolve));

    const child = await startStoreProcess(`sqlite://${file}`);
    try {
      expect(await child.request("health")).toEqual({
        ok: true,
        detail: expect.stringContaining("journal mode truncate"),
      });
      expect(existsSync(`${file}-shm`)).toBe(false);
      expect(existsSync(`${file}-wal`)).toBe(false);
      // Whatever truncates a -shm file (a cleanup script, a restore) does it now.
      await writeFile(`${file}-shm`, Buffer.alloc(32_768, 1));
      await truncate(`${file}-shm`, 0);
      expect(await child.request("add", "u1", "solaris-1972")).toBe("added");
      expect(await child.request("list", "u1")).toEqual([
        { filmId: "alien-1979", addedAt: AT.toISOString() },
        { filmId: "solaris-1972", addedAt: expect.any(String) },
      ]);
      expect(await child.request("exit")).toBe("closed");
      expect(await child.exited).toEqual({ code: 0, signal: null });
    } finally {
      child.kill();
    }
  });
});

const coded = (code: string): Error => Object.assign(new Error(code), { code });

/** A process writing to an SQLite file in WAL mode every few milliseconds; prints a line once it has. */
const WAL_WRITER = `
import { createRequire } from "node:module";
const sqlite3 = createRequire(${JSON.stringify(import.meta.url)})("sqlite3");
const db = new sqlite3.Database(process.argv[1]);
const run = (sql) => new Promise((resolve, reject) => db.run(sql, (error) => (error ? reject(error) : resolve())));
await run("PRAGMA journal_mode = WAL");
await run("CREATE TABLE t (x)");
await run("INSERT INTO t VALUES (1)");
process.stdout.write("writing\\n");
setInterval(() => void run("INSERT INTO t VALUES (1)").catch(() => undefined), 5);
setTimeout(() => process.exit(0), 10_000);
`;

/** Whether `chattr +i` works here (root on a file system that has the flag). */
function canMakeImmutable(): boolean {
  const probe = join(process.env["TMPDIR"] ?? "/tmp", `film-chattr-probe-${process.pid}`);
  try {
    execFileSync("touch", [probe]);
    execFileSync("chattr", ["+i", probe], { stdio: "ignore" });
    execFileSync("chattr", ["-i", probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    execFileSync("rm", ["-f", probe]);
  }
}

/** A small tmpfs mounted for the test (root with mount rights only), else null. */
function mountTmpfs(): string | null {
  const dir = execFileSync("mktemp", ["-d", "/tmp/film-tmpfs-XXXXXX"]).toString().trim();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    execFileSync("rmdir", [dir]);
    return null;
  }
}
