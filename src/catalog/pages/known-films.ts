/**
 * What a reload's load workers need to know of the catalog being replaced: which films they read are the very same as
 * before (same kind, same file, same bytes), so that they send those films' bytes not at all. A film is known by a
 * digest of what it is read from; the main thread gives the workers the sorted digests of the current catalog's kept
 * films, and keeps, for a film a worker names as known, the film it replaces (see keptOrBytes in page-worker-pool.ts).
 *
 * Why: a reload of a big catalog that barely changed sent every film's bytes over again, a gigabyte in 64 MB slabs
 * that the main thread then dropped, and each slab that came made the main thread's collector run a full collection
 * over two catalogs: most of what members typing in autocomplete waited for during a reload.
 */
import { createHash } from "node:crypto";
import { ITEMS_PER_STEP, sortedSteps, type Steps } from "../steps.js";
import { float64ArrayOf } from "../index-arrays.js";

/** How a kept film's bytes are read back (see page-film.ts); part of what the digest covers. */
export type KeptKind = "page" | "record" | "line";

/**
 * A digest of a kept film's kind, file and bytes: 52 bits of its SHA-1, a number a Float64Array holds exactly. Equal
 * digests are taken for equal films only where the film replaced has the same id too (see keptOrBytes in
 * page-worker-pool.ts), where a false match is a one in 2^52 chance per film.
 */
export function filmDigest(kind: KeptKind, source: string, bytes: Uint8Array): number {
  const hash = createHash("sha1").update(kind).update("\0").update(source).update("\0").update(bytes).digest();
  return hash.readUInt32BE(0) * 2 ** 20 + (hash.readUInt32BE(4) >>> 12);
}

/** A film that may carry a digest: the kept films a worker delivered do. */
export interface MaybeKept {
  readonly digest?: number;
}

/**
 * The digests of `films` that have one, sorted, in shared memory: every worker reads the same array, none is copied.
 * In steps (see steps.ts): a catalog's worth is sorted.
 */
export function* knownDigestSteps(films: readonly MaybeKept[]): Steps<Float64Array> {
  const digests = new Float64Array(films.length);
  let count = 0;
  for (let i = 0; i < films.length; i++) {
    const digest = films[i]!.digest;
    if (digest !== undefined) digests[count++] = digest;
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return float64ArrayOf(yield* sortedSteps(digests.subarray(0, count)));
}

/** Whether `digest` is among the sorted `known`. */
export function isKnown(known: Float64Array, digest: number): boolean {
  let low = 0;
  let high = known.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = known[middle]!;
    if (value === digest) return true;
    if (value < digest) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
