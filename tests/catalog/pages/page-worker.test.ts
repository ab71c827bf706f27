import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { filmDigest } from "../../../src/catalog/pages/known-films.js";
import type { DataFile } from "../../../src/catalog/pages/page-file.js";
import { startPageWorkers, type StartedWorker } from "../../../src/catalog/pages/page-worker-pool.js";
import {
  NO_SLAB,
  type RecordBatch,
  type RecordsTask,
  type SlabMessage,
  type WorkerBatch,
} from "../../../src/catalog/pages/page-worker.js";

const started: StartedWorker[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map(({ worker }) => worker.terminate()));
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs one task on a load worker, then asks for its slab: every message it sends, in order. */
async function runTask(task: RecordsTask): Promise<(WorkerBatch | SlabMessage)[]> {
  const [entry] = startPageWorkers(1, 2 * 1024 * 1024);
  started.push(entry!);
  const { worker, received } = entry!;
  const messages: (WorkerBatch | SlabMessage)[] = [];
  await new Promise<void>((resolve, reject) => {
    worker.on("error", reject);
    worker.on("message", (message: WorkerBatch | SlabMessage) => {
      Atomics.add(received, 0, 1);
      Atomics.notify(received, 0);
      messages.push(message);
      if (message.kind === "records" && message.last) worker.postMessage({ kind: "flush" });
      if (message.kind === "slab") resolve();
    });
    worker.postMessage(task);
  });
  return messages;
}

const encoder = new TextEncoder();

/** A JSON Lines file of `count` records, in a folder of its own. */
async function recordsFile(count: number): Promise<{ lines: string[]; file: DataFile }> {
  const dir = await mkdtemp(join(tmpdir(), "film-worker-"));
  folders.push(dir);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ title: `Record ${i}`, year: 2000, directors: [`Director ${i}`] }),
  );
  await writeFile(join(dir, "films.jsonl"), lines.join("\n"));
  return { lines, file: { path: join(dir, "films.jsonl"), name: "films.jsonl", kind: "jsonl" } };
}

describe("a load worker, in a reload", () => {
  it("sends the records it is told are known without their bytes or strings, and the others as before", async () => {
    const { lines, file } = await recordsFile(600);
    // Every line but the tenth ones is known.
    const digests = lines.map((line) => filmDigest("line", file.name, encoder.encode(line)));
    const known = Float64Array.from(digests.filter((_, i) => i % 10 !== 0)).sort();
    const messages = await runTask({ kind: "records", index: 0, file, maxLineBytes: 1024 * 1024, known });
    const batches = messages.filter((message): message is RecordBatch => message.kind === "records");
    expect(batches.flatMap((batch) => Array.from(batch.digests))).toEqual(digests);
    const marks = batches.flatMap((batch) => Array.from(batch.known));
    expect(marks).toEqual(lines.map((_, i) => (i % 10 === 0 ? 0 : 1)));
    const titles = batches.flatMap((batch) => batch.titles);
    expect(titles.filter((title) => title !== "")).toEqual(
      lines.flatMap((_, i) => (i % 10 === 0 ? [`Record ${i}`] : [])),
    );
    expect(batches.flatMap((batch) => batch.ids)).toHaveLength(600);
    // Nor their names: the main thread keeps the films they replace, names and all.
    const newNames = batches.flatMap((batch) => batch.newNames);
    expect(newNames).toEqual(lines.flatMap((_, i) => (i % 10 === 0 ? [`Director ${i}`] : [])));
    // Only the new records' bytes are in the slab, and the slab is no bigger than they are (a sparse one's copy).
    const slab = messages.at(-1) as SlabMessage;
    const newBytes = lines.filter((_, i) => i % 10 === 0).reduce((sum, line) => sum + encoder.encode(line).length, 0);
    expect(slab.buffer.byteLength).toBe(newBytes);
    const decoder = new TextDecoder();
    const batch = batches[0]!;
    const first = decoder.decode(new Uint8Array(slab.buffer, batch.bytes.offset, batch.bytes.ends[0]));
    expect(first).toBe(lines[0]);
  });

  it("names no slab for a batch whose records are all known", async () => {
    const { lines, file } = await recordsFile(300);
    const known = Float64Array.from(lines, (line) => filmDigest("line", file.name, encoder.encode(line))).sort();
    const messages = await runTask({ kind: "records", index: 0, file, maxLineBytes: 1024 * 1024, known });
    const batches = messages.filter((message): message is RecordBatch => message.kind === "records");
    expect(batches.map((batch) => batch.bytes.slab)).toEqual([NO_SLAB, NO_SLAB]);
    expect((messages.at(-1) as SlabMessage).buffer.byteLength).toBe(0);
  });

  it("sends each batch's arrays and its slab on shared memory, not counted here as external memory", async () => {
    const { file } = await recordsFile(300);
    const messages = await runTask({ kind: "records", index: 0, file, maxLineBytes: 1024 * 1024, known: null });
    const batches = messages.filter((message): message is RecordBatch => message.kind === "records");
    expect(batches).toHaveLength(2);
    for (const batch of batches) {
      const arrays = [
        batch.bytes.ends,
        batch.years,
        batch.scores,
        batch.votes,
        batch.triviaCounts,
        batch.nameIds,
        batch.creditEnds,
        batch.directorCounts,
        batch.genreIds,
        batch.genreEnds,
        batch.richness,
        batch.digests,
        batch.known,
        batch.asRead,
      ];
      for (const array of arrays) expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const slab = messages.at(-1) as SlabMessage;
    expect(slab.kind).toBe("slab");
    expect(slab.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(slab.buffer.byteLength).toBeGreaterThan(0);
  });
});
