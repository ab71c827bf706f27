import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { PassThrough } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { barProgress, lineProgress, type ProgressReporter } from "../../src/importers/progress.js";
import {
  detach,
  fieldEnd,
  fieldStart,
  openTsv,
  resolveTsvFile,
  TsvError,
  type TsvReader,
} from "../../src/importers/tsv.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tsv-test-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string, gzip = false): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzip ? gzipSync(Buffer.from(text, "utf8")) : text);
  return path;
}

async function allRows<C extends string>(
  reader: TsvReader<C>,
): Promise<{ line: number; record: Record<string, string | null | undefined> }[]> {
  const rows = [];
  for await (const row of reader.rows()) rows.push(row);
  return rows;
}

const SAMPLE = ["id\tname\tnote", 'a1\tThe "Best" Movie\t\\N', "a2\tAmélie\tcafé, Montmartre", "a3\t\\N\t", ""].join(
  "\n",
);

describe("openTsv / rows", () => {
  it("reads records keyed by header, with \\N as null, quotes and accents kept as written", async () => {
    const reader = await openTsv(await fileWith("sample.tsv", SAMPLE), { required: ["id", "name"] });
    expect(reader.header).toEqual(["id", "name", "note"]);
    expect(reader.columns).toEqual({ id: 0, name: 1, note: 2 });
    const rows = await allRows(reader);
    expect(rows).toEqual([
      { line: 2, record: { id: "a1", name: 'The "Best" Movie', note: null } },
      { line: 3, record: { id: "a2", name: "Amélie", note: "café, Montmartre" } },
      { line: 4, record: { id: "a3", name: null, note: "" } },
    ]);
    expect(reader.stats.rows).toBe(3);
    expect(reader.stats.malformed).toBe(0);
  });

  it("reads a gzipped file exactly like the plain one", async () => {
    const plain = await allRows(await openTsv(await fileWith("sample.tsv", SAMPLE), { required: ["id"] }));
    const gzipped = await allRows(await openTsv(await fileWith("sample.tsv.gz", SAMPLE, true), { required: ["id"] }));
    expect(gzipped).toEqual(plain);
  });

  it("maps columns by header name in any order", async () => {
    const reader = await openTsv(await fileWith("reordered.tsv", "note\tid\nx\t7\n"), { required: ["id", "note"] });
    expect(reader.columns.id).toBe(1);
    expect(await allRows(reader)).toEqual([{ line: 2, record: { note: "x", id: "7" } }]);
  });

  it("accepts CRLF line ends, a byte order mark and a last line without a newline", async () => {
    const reader = await openTsv(await fileWith("crlf.tsv", "\uFEFFid\tname\r\n1\tOne\r\n2\tTwo"), {
      required: ["id"],
    });
    expect(reader.header).toEqual(["id", "name"]);
    expect(await allRows(reader)).toEqual([
      { line: 2, record: { id: "1", name: "One" } },
      { line: 3, record: { id: "2", name: "Two" } },
    ]);
  });

  it("counts rows with the wrong number of fields as malformed, with line numbers, and goes on", async () => {
    const text = ["id\tname", "1\tOne", "2", "3\tThree\textra", "", "4\tFour", ""].join("\n");
    const reader = await openTsv(await fileWith("bad.tsv", text), { required: ["id"] });
    const rows = await allRows(reader);
    expect(rows.map((row) => row.record.id)).toEqual(["1", "4"]);
    expect(reader.stats.rows).toBe(5);
    expect(reader.stats.malformed).toBe(3);
    expect(reader.stats.malformedSamples).toEqual([
      { line: 3, reason: "expected 2 fields, found 1" },
      { line: 4, reason: "expected 2 fields, found 3" },
      { line: 5, reason: "expected 2 fields, found 1" },
    ]);
  });

  it("keeps only the first five malformed rows as samples but counts them all", async () => {
    const lines = ["id\tname"];
    for (let i = 0; i < 8; i++) lines.push(`only-${i}`);
    const reader = await openTsv(await fileWith("many-bad.tsv", `${lines.join("\n")}\n`), { required: ["id"] });
    await allRows(reader);
    expect(reader.stats.malformed).toBe(8);
    expect(reader.stats.malformedSamples.map((sample) => sample.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it("reads lines and multi-byte characters that straddle chunk boundaries", async () => {
    const lines = ["id\ttitle"];
    for (let i = 0; i < 60_000; i++) lines.push(`tt${i}\tLa Bête humaine — épisode ${i} ✓`);
    const reader = await openTsv(await fileWith("big.tsv.gz", `${lines.join("\n")}\n`, true), {
      required: ["id", "title"],
    });
    let count = 0;
    let wrong = 0;
    await reader.each((fields, line) => {
      if (fields[1] !== `La Bête humaine — épisode ${line - 2} ✓`) wrong++;
      count++;
      return undefined;
    });
    expect(count).toBe(60_000);
    expect(wrong).toBe(0);
  });
});

describe("header errors", () => {
  it("names the file and the missing column", async () => {
    const path = await fileWith("title.ratings.tsv", "tconst\taverageRating\ntt1\t7.0\n");
    await expect(openTsv(path, { required: ["tconst", "numVotes"] })).rejects.toThrow(
      new TsvError(`${path}: missing required column "numVotes" (header: tconst, averageRating)`),
    );
  });

  it("rejects an empty file", async () => {
    const path = await fileWith("empty.tsv", "");
    await expect(openTsv(path, { required: ["id"] })).rejects.toThrow(/the file is empty/);
  });

  it("reports a file that is not really gzip as a read failure naming it", async () => {
    const path = await fileWith("fake.tsv.gz", "id\tname\n1\tOne\n");
    await expect(openTsv(path, { required: ["id"] })).rejects.toThrow(
      new RegExp(`${path.replace(/[.]/g, "\\.")}: read failed`),
    );
  });

  it("reports a missing file as unreadable", async () => {
    await expect(openTsv(join(dir, "nope.tsv"), { required: ["id"] })).rejects.toThrow(
      /nope\.tsv: cannot read the file/,
    );
  });
});

describe("each", () => {
  const text = ["id\tyear", "1\t2001", "2\tsoon", "3\t1999", "4\t2010", ""].join("\n");

  it("counts the rows a visitor rejects, with its reason", async () => {
    const reader = await openTsv(await fileWith("years.tsv", text), { required: ["id", "year"] });
    const years: number[] = [];
    await reader.each((fields) => {
      const year = Number(reader.value(fields, "year"));
      if (!Number.isInteger(year)) return `year "${fields[reader.columns.year]}" is not a number`;
      years.push(year);
      return undefined;
    });
    expect(years).toEqual([2001, 1999, 2010]);
    expect(reader.stats.malformedSamples).toEqual([{ line: 3, reason: 'year "soon" is not a number' }]);
  });

  it("hands the prefilter the bytes of each line without its line end", async () => {
    const reader = await openTsv(await fileWith("raw.tsv", "id\tname\r\nA1\tAmélie\r\nB2\tÉté\r\n"), {
      required: ["id"],
    });
    const seen: string[] = [];
    await reader.each(() => undefined, {
      prefilter: (bytes, start, end) => {
        seen.push(bytes.toString("utf8", start, end));
        return false;
      },
    });
    expect(seen).toEqual(["A1\tAmélie", "B2\tÉté"]);
  });

  it("skips rows the prefilter rejects without splitting or checking them", async () => {
    const reader = await openTsv(await fileWith("prefiltered.tsv", `${text}bad row without tabs\n`), {
      required: ["id"],
    });
    const seen: string[] = [];
    await reader.each(
      (fields) => {
        seen.push(fields[0]!);
        return undefined;
      },
      { prefilter: (bytes, start) => bytes[start] === 0x33 || bytes[start] === 0x34 },
    );
    expect(seen).toEqual(["3", "4"]);
    expect(reader.stats.rows).toBe(5);
    expect(reader.stats.malformed).toBe(0);
  });

  it("tells the progress reporter about the file, the rows and the bytes", async () => {
    const events: string[] = [];
    const progress: ProgressReporter = {
      startFile: (label, bytes) => events.push(`start ${label} ${bytes}`),
      advance: (rows, bytes) => events.push(`advance ${rows} ${bytes}`),
      finishFile: (rows, complete) => events.push(`finish ${rows} ${complete}`),
    };
    const path = await fileWith("years.tsv", text);
    const reader = await openTsv(path, { required: ["id"], label: "years", progress });
    await reader.each(() => undefined);
    expect(events).toEqual([`start years ${text.length}`, `advance 4 ${text.length}`, "finish 4 true"]);
  });

  it("tells the progress reporter when a file fails half way", async () => {
    const lines = ["id\tname"];
    for (let i = 0; i < 100_000; i++) lines.push(`${i}\tname ${i}`);
    const gz = gzipSync(Buffer.from(lines.join("\n")));
    const path = await fileWith("cut.tsv.gz", "");
    await writeFile(path, gz.subarray(0, gz.length - 20));
    const finished: string[] = [];
    const progress: ProgressReporter = {
      startFile: () => {},
      advance: () => {},
      finishFile: (rows, complete) => finished.push(`${rows} ${complete}`),
    };
    const reader = await openTsv(path, { required: ["id"], progress });
    await expect(reader.each(() => undefined)).rejects.toThrow(/cut\.tsv\.gz: read failed \(unexpected end of file\)/);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatch(/^\d+ false$/);
  });

  it("refuses to read the rows twice", async () => {
    const reader = await openTsv(await fileWith("once.tsv", text), { required: ["id"] });
    await reader.each(() => undefined);
    await expect(reader.each(() => undefined)).rejects.toThrow(/already read/);
  });
});

describe("resolveTsvFile", () => {
  it("prefers the plain file, falls back to .gz, and is null when neither exists", async () => {
    await fileWith("a.tsv", "x\n");
    await fileWith("a.tsv.gz", "x\n", true);
    await fileWith("b.tsv.gz", "x\n", true);
    expect(await resolveTsvFile(dir, "a")).toBe(join(dir, "a.tsv"));
    expect(await resolveTsvFile(dir, "b")).toBe(join(dir, "b.tsv.gz"));
    expect(await resolveTsvFile(dir, "c")).toBeNull();
  });
});

describe("fieldStart / fieldEnd", () => {
  it("find a column in the raw bytes of a line", () => {
    const bytes = Buffer.from("xx\ttt0000042\tAmélie\t\tend\nnext", "utf8");
    const end = bytes.indexOf(10);
    const field = (column: number) => {
      const from = fieldStart(bytes, 0, end, column);
      return from < 0 ? null : bytes.toString("utf8", from, fieldEnd(bytes, from, end));
    };
    expect([0, 1, 2, 3, 4, 5].map(field)).toEqual(["xx", "tt0000042", "Amélie", "", "end", null]);
  });
});

describe("detach", () => {
  it("returns an equal string", () => {
    const line = "tt0000001\tA title long enough to be a slice\t2001";
    const title = line.split("\t")[1]!;
    expect(detach(title)).toBe("A title long enough to be a slice");
    expect(detach("short")).toBe("short");
  });
});

describe("lineProgress", () => {
  it("writes a line per million rows crossed and a summary per file", () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = lineProgress((line) => lines.push(line), { everyRows: 1_000_000, now: () => clock });
    progress.startFile("title.principals.tsv.gz", 2_000_000);
    clock = 1000;
    progress.advance(400_000, 500_000);
    progress.advance(1_200_000, 1_000_000);
    clock = 2000;
    progress.advance(1_900_000, 1_500_000);
    progress.advance(3_100_000, 1_900_000);
    clock = 4000;
    progress.finishFile(3_500_000, true);
    progress.startFile("name.basics.tsv", null);
    progress.finishFile(12, false);
    expect(lines).toEqual([
      "title.principals.tsv.gz: reading (1.9 MB)\n",
      "title.principals.tsv.gz: 1,200,000 rows, 50%, 1,200,000 rows/s\n",
      "title.principals.tsv.gz: 3,100,000 rows, 95%, 1,550,000 rows/s\n",
      "title.principals.tsv.gz: 3,500,000 rows in 4.0 s (875,000 rows/s)\n",
      "name.basics.tsv: reading\n",
      "name.basics.tsv: stopped after 12 rows\n",
    ]);
  });
});

describe("barProgress", () => {
  it("draws one bar per file on a terminal, ending at 100% with the rows read", async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
    let drawn = "";
    terminal.on("data", (chunk: Buffer) => (drawn += chunk.toString("utf8")));
    const progress = barProgress(terminal);
    progress.startFile("title.basics.tsv", 1000);
    progress.advance(1_500, 400);
    progress.finishFile(3_000, true);
    progress.startFile("name.basics.tsv.gz", 1000);
    progress.finishFile(10, false);
    await new Promise((resolve) => setImmediate(resolve));
    // Drop the cursor movements and keep the text of the last drawing of each bar.
    const frames = drawn
      .split("\u001b")
      .map((piece) => piece.replace(/^(?:\[[0-9;?]*[A-Za-z]|[78])/, ""))
      .filter((frame) => frame.trim() !== "");
    expect(frames).toHaveLength(3);
    expect(frames[0]).toMatch(/^title\.basics\.tsv {8}\|-{30}\| 0% \| 0 rows \| 0 rows\/s \| 0s$/);
    expect(frames[1]).toMatch(/^title\.basics\.tsv {8}\|={30}\| 100% \| 3,000 rows \| [\d,]+ rows\/s \| \d+s$/);
    // A failed file's bar stays where it stopped.
    expect(frames[2]).toMatch(/^name\.basics\.tsv\.gz {6}\|-{30}\| 0% \| 0 rows/);
    // Each finished bar ends its line and shows the cursor again.
    expect(drawn.split("\u001b[?25h")).toHaveLength(3);
    expect(drawn.endsWith("\n")).toBe(true);
  });
});
