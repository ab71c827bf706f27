/**
 * How V8's garbage collector is set and prompted so that a reload frees the catalog it replaced at once, without
 * holding the event loop. Measured with `npm run bench -- reload`; the figures are in docs/performance.md.
 *
 * Left to itself, V8 starts a full collection when the heap has grown to a multiple of what was live after the last
 * one, and it does not count the index arrays (shared memory, see catalog/index-arrays.ts). The catalogs of two or
 * three reloads then piled up (peaks of 1.6–1.8× the steady state's memory), and one late collection freed them at
 * once in the middle of a later reload.
 */
import { setFlagsFromString } from "node:v8";
import { MessageChannel } from "node:worker_threads";

/**
 * V8 flags for the whole process, set by the composition roots before the catalog is loaded. Both are read by V8
 * whenever it uses them (`setFlagsFromString` works for them after start):
 * - `--heap-growing-percent=300`: the heap may grow to four times what was live after a full collection before V8
 *   starts the next (the most V8 picks by itself, when the program allocates slowly). A reload adds about one
 *   catalog, a little more than what is live, so no collection of two catalogs starts in the middle of its build;
 *   the one `startCollection` asks for after the swap is the reload's only full collection.
 * - `--no-incremental-marking-task`: during a full collection the main thread marks only when it allocates, and the
 *   concurrent marker on the other cores does the rest. With V8's marking task, the main thread ran marking steps
 *   back to back: 197 ms of marking in one 300 ms window at 300,000 films, while keystrokes waited.
 */
export const COLLECTOR_FLAGS = ["--heap-growing-percent=300", "--no-incremental-marking-task"] as const;

export function configureCollector(): void {
  for (const flag of COLLECTOR_FLAGS) setFlagsFromString(flag);
}

/** More than the 64 MB of external memory growth that starts a collection, with room for buffers freed since. */
const NUDGE_BYTES = 128 * 1024 * 1024;

/**
 * Asks V8 to start a full collection now, incremental and concurrent like its own: called when a reload ends, which
 * leaves garbage (the catalog it replaced, the one it refused, or what its load made).
 *
 * How: V8 starts an incremental collection when the memory of ordinary ArrayBuffers ("external" memory) has grown by
 * 64 MB since its last full collection. A buffer larger than that is made (calloc'd: none of its pages is touched)
 * and handed at once to a message that nobody reads, which detaches it: V8 counts it back out, and the buffer is
 * freed with the message, so no later ArrayBuffer finds external memory still over the mark (each would add a
 * marking step). When V8 is already marking, the nudge adds one marking step of 5–10 ms; V8 collects atomically on
 * external memory only past half its heap limit, which this process never holds.
 *
 * The other ways, measured and dropped: `vm.measureMemory({ execution: "eager" })` finishes a collection already
 * under way in one atomic pause (485 ms once at 300,000 films); with "default" execution it waits 10 s, and the
 * collection fell into the next reload; `gc()` is one atomic pause.
 */
export function startCollection(): void {
  const buffer = new ArrayBuffer(NUDGE_BYTES);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(buffer, [buffer]);
  port1.close();
  port2.close();
}
