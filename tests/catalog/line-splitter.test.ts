import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../src/catalog/record-files.js";

/** The lines of `chunks` as the splitter gives them: text, or null for a line over the limit. */
function split(chunks: readonly (string | number[])[], maxLineBytes = 1024): [number, string | null][] {
  const lines: [number, string | null][] = [];
  const splitter = new LineSplitter(maxLineBytes, (line, number) => {
    lines.push([number, line ?? null]);
    return true;
  });
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  splitter.end();
  return lines;
}

/** Every way of cutting `bytes` in two. */
function cutsOf(bytes: Buffer): number[][][] {
  return Array.from({ length: bytes.length + 1 }, (_, at) => [[...bytes.subarray(0, at)], [...bytes.subarray(at)]]);
}

describe("LineSplitter", () => {
  it("splits on LF and CRLF, keeps empty lines, and gives a last line without a break", () => {
    expect(split(["a\nb\r\n\nc"])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, ""],
      [4, "c"],
    ]);
    expect(split(["a\n"])).toEqual([[1, "a"]]);
    expect(split([])).toEqual([]);
  });

  it("gives the same lines however the bytes are cut into chunks: CRLF, a BOM, multi-byte characters", () => {
    const bytes = Buffer.from("\uFEFFé😀\r\nñ\r\n\r\nlast 日本", "utf8");
    const expected = [
      [1, "é😀"],
      [2, "ñ"],
      [3, ""],
      [4, "last 日本"],
    ];
    for (const chunks of cutsOf(bytes)) expect(split(chunks)).toEqual(expected);
    expect(split([...bytes].map((byte) => [byte]))).toEqual(expected);
  });

  it("reports a line over the limit without its text, counting bytes without the line break", () => {
    expect(split(["abc\r\nabcd\nab\n", "cde", "fgh\nok"], 3)).toEqual([
      [1, "abc"],
      [2, null],
      [3, "ab"],
      [4, null],
      [5, "ok"],
    ]);
    // 3 bytes of "é" and a half: the limit counts bytes, not characters.
    expect(split(["éé\n", "é\n"], 3)).toEqual([
      [1, null],
      [2, "é"],
    ]);
  });

  it("drops the bytes of an over-long line as they arrive", () => {
    const splitter = new LineSplitter(4, () => true);
    for (let i = 0; i < 1000; i++) splitter.push(Buffer.alloc(1000, "x"));
    expect(splitter.heldBytes).toBeLessThanOrEqual(5);
  });

  it("stops when the line handler says so", () => {
    const seen: string[] = [];
    const splitter = new LineSplitter(100, (line) => {
      seen.push(line ?? "");
      return line !== "stop";
    });
    expect(splitter.push(Buffer.from("a\nstop\nb\n"))).toBe(false);
    expect(seen).toEqual(["a", "stop"]);
  });
});
