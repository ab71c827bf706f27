/** A promise and the function that resolves it, for tests that hold work back until they say so. */
export interface Signal {
  readonly promise: Promise<void>;
  resolve(): void;
}

export function signal(): Signal {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
