/**
 * The TMDb movie ids to import, from a file of one id a line or from TMDb's daily id export
 * (movie_ids_MM_DD_YYYY.json.gz: one JSON object a line with id, original_title, popularity, adult, video; see
 * https://developer.themoviedb.org/docs/daily-id-exports). Either may be gzipped (told by its first bytes, not its
 * name) and the two kinds of line may even be mixed. Blank lines and lines starting with "#" are skipped; a line that
 * is neither is counted as malformed and reported, not fatal: the export holds about a million lines.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { exportLineSchema } from "./tmdb-payloads.js";

export interface IdsFileOptions {
  /** Export lines with a lower popularity are left out (plain ids have no popularity and are kept). */
  minPopularity?: number;
  /** Export lines marked adult are left out unless this is true. */
  includeAdult?: boolean;
}

export interface MalformedLine {
  line: number;
  reason: string;
}

export interface IdsFile {
  /** In file order, each once. */
  ids: number[];
  lines: number;
  belowPopularity: number;
  adult: number;
  duplicates: number;
  malformed: number;
  /** The first few malformed lines. */
  malformedSamples: MalformedLine[];
}

const MALFORMED_SAMPLES = 5;
const GZIP_MAGIC = [0x1f, 0x8b];

export async function readIdsFile(path: string, options: IdsFileOptions = {}): Promise<IdsFile> {
  const gzipped = await startsWithGzipMagic(path);
  const raw = createReadStream(path);
  const input = gzipped ? raw.pipe(createGunzip()) : raw;
  // A broken gzip stream errors on the gunzip stream, which readline does not forward.
  const failure = new Promise<never>((_, reject) => {
    raw.on("error", reject);
    input.on("error", reject);
  });
  failure.catch(() => {});
  const lines = createInterface({ input, crlfDelay: Infinity });
  const result: IdsFile = {
    ids: [],
    lines: 0,
    belowPopularity: 0,
    adult: 0,
    duplicates: 0,
    malformed: 0,
    malformedSamples: [],
  };
  const seen = new Set<number>();
  const malformed = (line: number, reason: string) => {
    result.malformed++;
    if (result.malformedSamples.length < MALFORMED_SAMPLES) result.malformedSamples.push({ line, reason });
  };
  const read = async () => {
    for await (const rawLine of lines) {
      const lineNumber = ++result.lines;
      const line = rawLine.trim();
      if (line === "" || line.startsWith("#")) continue;
      let id: number;
      if (/^\d{1,12}$/.test(line)) {
        id = Number(line);
        if (id === 0) {
          malformed(lineNumber, "0 is not a TMDb id");
          continue;
        }
      } else if (line.startsWith("{")) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          malformed(lineNumber, "invalid JSON");
          continue;
        }
        const parsed = exportLineSchema.safeParse(value);
        if (!parsed.success) {
          malformed(lineNumber, "expected an export line with a positive integer id");
          continue;
        }
        const entry = parsed.data;
        if (entry.adult === true && options.includeAdult !== true) {
          result.adult++;
          continue;
        }
        if (options.minPopularity !== undefined && (entry.popularity ?? 0) < options.minPopularity) {
          result.belowPopularity++;
          continue;
        }
        id = entry.id;
      } else {
        malformed(lineNumber, `expected a TMDb id or an export line, got "${line.slice(0, 40)}"`);
        continue;
      }
      if (seen.has(id)) {
        result.duplicates++;
        continue;
      }
      seen.add(id);
      result.ids.push(id);
    }
  };
  try {
    await Promise.race([read(), failure]);
  } finally {
    lines.close();
    raw.destroy();
  }
  return result;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}
