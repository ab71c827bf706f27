// A page worker that dies on the first range it is handed, for the loader's fallback test.
import { parentPort } from "node:worker_threads";

parentPort?.once("message", () => process.exit(1));
