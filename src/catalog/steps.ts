/**
 * Long computations written once as generators that `yield` between pieces of work, and run either in one go or
 * with pauses: building a 100,000-film catalog takes seconds, and during a /reload the bot must keep answering
 * interactions (Discord gives each 3 s).
 */
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, letting the event loop in whenever `sliceMs` of work has passed. */
export async function runStepsWithPauses<T>(steps: Steps<T>, sliceMs = 20): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** How often loops over many items yield: cheap enough to check, short enough to keep pauses near `sliceMs`. */
export const ITEMS_PER_STEP = 2000;
