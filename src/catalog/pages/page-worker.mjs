// Entry point of a page worker thread: a worker does not inherit the main thread's TypeScript loader, so it
// registers tsx before importing the TypeScript module.
import { register } from "tsx/esm/api";

register();
await import("./page-worker.ts");
