/**
 * An SQLite file that cannot be used must not wedge the process: calls fail fast with the kind of failure, file
 * reads elsewhere in the process keep completing, nothing refused is written later, and the store works again once
 * the file does. Timing bounds are generous: they tell "fails fast" and "not blocked" from "hangs", nothing finer.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/keyv-store.js";
import { sqliteFailure } from "../../src/store/sqlite-connection.js";
import { StoreUnavailableError, type BotStore } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, timed } from "./helpers.js";

afterAll(removeTempDirs);

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

async function storeIn(dir: string, callTimeoutMs = 1000): Promise<{ store: BotStore; file: string; url: string }> {
  const file = join(dir, "bot.sqlite");
  const url = `sqlite://${file}`;
  const store = await openStore(url, { logger: silentLogger(), callTimeoutMs });
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
      // Not the -shm file: WAL keeps it memory-mapped, and making it immutable kills the process (SIGBUS).
      const targets = [dir, file, `${file}-wal`].filter((path) => existsSync(path));
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

const coded = (code: string): Error => Object.assign(new Error(code), { code });

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
