/**
 * An SQLite file that cannot be used must not hold callers: calls fail within their deadline, and nothing refused
 * is written later. Timing bounds are generous: they tell "fails fast" from "hangs", nothing finer.
 */
import { join } from "node:path";
import sqlite3 from "sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/keyv-store.js";
import { StoreUnavailableError } from "../../src/store/store.js";
import { removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { AT, timed } from "./helpers.js";

afterAll(removeTempDirs);

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

describe("SQLite store on a file that fails", () => {
  it("fails within the deadline while another process holds the lock, and writes nothing late", async () => {
    const file = join(await tempDir("film-locked-"), "bot.sqlite");
    const store = await openStore(`sqlite://${file}`, { logger: silentLogger(), callTimeoutMs: 1000 });
    await store.watchlists.add("seed", "alien-1979", AT);
    const holder = new sqlite3.Database(file);
    await exec(holder, "BEGIN EXCLUSIVE");
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, (_, index) => timed(() => store.watchlists.add(`locked-${index}`, "film", AT))),
      );
      for (const outcome of outcomes) {
        expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
        expect((outcome.error as Error).message).not.toContain("\n");
        expect(outcome.ms).toBeLessThan(5000);
      }
    } finally {
      await exec(holder, "ROLLBACK");
      await new Promise((resolve) => holder.close(resolve));
    }
    // Refused in time, before COMMIT: none of them went in once the lock was free.
    for (let index = 0; index < 5; index++) expect(await store.watchlists.list(`locked-${index}`)).toEqual([]);
    expect(await store.watchlists.add("seed", "solaris-1972", AT)).toBe("added");
    await store.close();
  });
});
