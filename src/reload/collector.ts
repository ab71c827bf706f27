/**
 * How V8's garbage collector is set and prompted so that a reload frees the catalog it replaced at once, without
 * holding the event loop. Measured with `npm run bench -- reload`; the figures are in docs/performance.md.
 *
 * Left to itself, V8 starts a full collection when the heap has grown to a multiple of what was live after the last
 * one, and it does not count the index arrays (shared memory, see catalog/index-arrays.ts). The catalogs of two or
 * three reloads then piled up (peaks of 1.6–1.8× the steady state's memory), and one late collection freed them at
 * once in the middle of a later reload.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { MessageChannel } from "node:worker_threads";

/**
 * What the process must be started with (`npm start` and `npm run bench` give both; tests/reload/collector.test.ts
 * holds the scripts to it):
 * - `MALLOC_MMAP_THRESHOLD_=8388608`: glibc (which allocates the index arrays' SharedArrayBuffers) maps each block of
 *   8 MB or more on its own and gives it back to the system when it is freed. By default glibc raises this threshold
 *   to the size of any mapped block freed (up to 32 MB), so after the first reload the arrays came from its main heap,
 *   and their memory stayed there when freed: 280 MB more after four reloads, and peaks of 1.45–1.50× the steady
 *   state by the fourth.
 * - `--concurrent-marking-max-worker-num=1`: V8 marks concurrently with as many threads as its platform has (4 in
 *   Node), which on a 2-core machine left the main thread 40 % of a core for the length of a marking (profiled: 120 of
 *   160 samples in one 170 ms window were the four markers). V8 reads it only when the process starts.
 */
export const START_SETTINGS = {
  env: { MALLOC_MMAP_THRESHOLD_: "8388608" },
  nodeOptions: ["--concurrent-marking-max-worker-num=1"],
} as const;

/**
 * V8 flags V8 reads whenever it uses them, so they are set from the code (`setFlagsFromString`), however the process
 * was started:
 * - `--heap-growing-percent=300`: the heap may grow to four times what was live after a full collection before V8
 *   starts the next (the most V8 picks by itself, when the program allocates slowly). A reload adds about one
 *   catalog, a little more than what is live, so no collection of two catalogs starts in the middle of its build;
 *   the one `startCollection` asks for after the swap is the reload's only full collection.
 * - `--no-incremental-marking-task`: during a full collection the main thread marks only when it allocates, and the
 *   concurrent marker does the rest. With V8's marking task, the main thread ran marking steps back to back: 197 ms
 *   of marking in one 300 ms window at 300,000 films, while keystrokes waited.
 */
const RUNTIME_FLAGS = ["--heap-growing-percent=300", "--no-incremental-marking-task"] as const;

/** Sets the runtime flags; returns the start settings this process lacks (each as NAME=value or --flag). */
export function configureCollector(): string[] {
  for (const flag of RUNTIME_FLAGS) setFlagsFromString(flag);
  const missing: string[] = [];
  for (const [name, value] of Object.entries(START_SETTINGS.env))
    if (process.env[name] !== value) missing.push(`${name}=${value}`);
  for (const option of START_SETTINGS.nodeOptions) if (!process.execArgv.includes(option)) missing.push(option);
  return missing;
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
  finishWhenIdle();
}

/** How often an idle process allocates a little while a collection it started is under way, and for how long. */
const IDLE_STEP_MS = 50;
const IDLE_STEPS_FOR_MS = 30_000;
/** About 64 KB of short-lived objects: the young generation's allocation that makes V8 take one marking step. */
const OBJECTS_PER_IDLE_STEP = 2_048;

let finishing = false;

/**
 * Without V8's marking task, the main thread takes its marking steps (and finishes the collection) only as it
 * allocates: a bot left idle after a reload would keep the replaced catalog until its next interactions. So, until
 * V8 reports a full collection (or for 30 s at most), the process allocates a little every 50 ms; when it is busy,
 * this is lost among what it allocates anyway.
 */
function finishWhenIdle(): void {
  if (finishing) return;
  finishing = true;
  let collected = false;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) collected = true;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const until = performance.now() + IDLE_STEPS_FOR_MS;
  const timer = setInterval(() => {
    if (collected || performance.now() > until) {
      clearInterval(timer);
      observer.disconnect();
      finishing = false;
      return;
    }
    const allocated: object[] = [];
    for (let i = 0; i < OBJECTS_PER_IDLE_STEP; i++) allocated.push({ i });
  }, IDLE_STEP_MS);
  timer.unref();
}
