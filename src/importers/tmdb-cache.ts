/**
 * TMDb's answers kept on disk, one JSON file per request: a re-run (after Ctrl-C, a failure, or a week later) asks
 * TMDb only for what it has not got yet or what is older than the allowed age.
 *
 * A file is named by a hash of the request (path and query, without credentials, which never reach the disk) and
 * holds the request, when it was fetched and TMDb's body. Files are written to a temporary name and renamed, so an
 * interrupted run never leaves half an answer; a file that cannot be read or parsed counts as missing.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface CachedAnswer {
  /** 200, or 404 for a film TMDb does not have (so a re-run does not ask again). */
  status: 200 | 404;
  body: unknown;
  /** Epoch milliseconds. */
  fetchedAt: number;
}

interface CacheFile {
  request: string;
  status: number;
  fetchedAt: string;
  body: unknown;
}

export class ResponseCache {
  private temporaryCount = 0;

  private constructor(readonly dir: string) {}

  /** Creates the folder if needed; rejects when it cannot be created. */
  static async open(dir: string): Promise<ResponseCache> {
    await mkdir(dir, { recursive: true });
    return new ResponseCache(dir);
  }

  async get(request: string): Promise<CachedAnswer | null> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.pathOf(request), "utf8"));
    } catch {
      return null;
    }
    if (!isCacheFile(parsed) || parsed.request !== request) return null;
    const fetchedAt = Date.parse(parsed.fetchedAt);
    if (Number.isNaN(fetchedAt) || (parsed.status !== 200 && parsed.status !== 404)) return null;
    return { status: parsed.status, body: parsed.body, fetchedAt };
  }

  async put(request: string, answer: CachedAnswer): Promise<void> {
    const path = this.pathOf(request);
    const file: CacheFile = {
      request,
      status: answer.status,
      fetchedAt: new Date(answer.fetchedAt).toISOString(),
      body: answer.body,
    };
    await mkdir(join(path, ".."), { recursive: true });
    const temporary = `${path}.${process.pid}.${++this.temporaryCount}.tmp`;
    await writeFile(temporary, JSON.stringify(file));
    await rename(temporary, path);
  }

  /** Two hex digits of folder, so no folder holds more than a few thousand files at a million requests. */
  private pathOf(request: string): string {
    const hash = createHash("sha256").update(request).digest("hex").slice(0, 40);
    return join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }
}

function isCacheFile(value: unknown): value is CacheFile {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.request === "string" &&
    typeof record.status === "number" &&
    typeof record.fetchedAt === "string" &&
    "body" in record
  );
}
