/**
 * A store in a process of its own, for tests that need a second process (file locks between processes, a process
 * that could die of a signal): `node --import tsx store-process.ts <store URL>`. It reads one JSON request per line
 * on stdin, `{"id": 1, "op": "add", "args": ["user", "film"]}`, and answers one JSON line per request on stdout,
 * `{"id": 1, "result": …}` or `{"id": 1, "error": {"name": …, "reason": …, "message": …}}`. "exit" closes the store
 * and exits 0; log lines go to stderr.
 */
import { createInterface } from "node:readline";
import { pino } from "pino";
import { openStore } from "../../src/store/open-store.js";
import { StoreUnavailableError } from "../../src/store/store.js";

const url = process.argv[2];
if (url === undefined) throw new Error("usage: store-process.ts <store URL>");
const store = await openStore(url, { logger: pino({ level: "info" }, pino.destination(2)), callTimeoutMs: 10_000 });

const operations: Record<string, (...args: string[]) => Promise<unknown>> = {
  add: (user = "", film = "") => store.watchlists.add(user, film, new Date()),
  addMany: async (user = "", ...films: string[]) =>
    Promise.all(films.map((film) => store.watchlists.add(user, film, new Date()))),
  list: (user = "") => store.watchlists.list(user),
  health: () => store.health(),
};

const send = (message: unknown): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
send({ id: 0, result: "ready" });

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as { id: number; op: string; args?: string[] };
  if (request.op === "exit") {
    await store.close();
    send({ id: request.id, result: "closed" });
    process.exit(0);
  }
  const operation = operations[request.op];
  void (async () => {
    try {
      if (operation === undefined) throw new Error(`unknown op ${request.op}`);
      send({ id: request.id, result: await operation(...(request.args ?? [])) });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
      send({
        id: request.id,
        error: { name, message, reason: error instanceof StoreUnavailableError ? error.reason : null },
      });
    }
  })();
}
