/**
 * `npm run bench -- scale`: a burst of signed interactions (a mix of /movie by id and by title, autocomplete and card
 * buttons, as members send them) answered over HTTP by 1, 2 and 3 replicas behind nginx, side by side in one run with
 * the floor — a bare endpoint that verifies the signature and answers a fixed embed (bench/floor-endpoint.ts), alone
 * and behind the same nginx — and with the same burst over the gateway against the fake Discord. Each figure is the
 * time from sending an interaction to its first response, and interactions answered per second.
 *
 * Everything runs on this machine: the replicas, nginx, Redis and the load generator share its cores, so throughput
 * stops growing once they are all busy.
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { APIInteraction } from "discord-api-types/v10";
import { commands } from "../commands/index.js";
import { encodeCardButtonId, FILM_VIEWS } from "../src/cards/film-card.js";
import { loadDataDir } from "../src/catalog/load.js";
import { deployCommands } from "../src/discord/register-commands.js";
import { FakeDiscord } from "../tests/fake-discord/index.js";
import { MAIN, type Replica, run, startReplica, until, logLines } from "../tests/support/bot-process.js";
import {
  findBinary,
  findRedisServer,
  startNginx,
  startRedisServer,
  type Nginx,
  type RedisServer,
} from "../tests/support/services.js";

const BURST = 1000;
/** Interactions in flight at once: Discord delivers a busy bot's interactions concurrently. */
const CONCURRENCY = 50;
const DATA_DIR = fileURLToPath(new URL("../data", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

interface Sample {
  label: string;
  latencies: number[];
  wallMs: number;
  failures: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * The i-th interaction of a burst, built when it is sent: its id carries its creation time, which the bot's deferral
 * clock reads, as Discord's do.
 */
type PayloadMaker = (index: number) => APIInteraction;

function burstPayloads(fake: FakeDiscord, ids: readonly string[], titles: readonly string[]): PayloadMaker {
  return (index) => {
    const id = ids[index % ids.length]!;
    const title = titles[index % titles.length]!;
    switch (index % 5) {
      case 0:
        return fake.buildCommandInteraction({ name: "movie", options: { title: id } });
      case 1:
        return fake.buildCommandInteraction({ name: "movie", options: { title: title.toLowerCase() } });
      case 2:
      case 3:
        return fake.buildAutocompleteInteraction({
          name: "movie",
          focused: "title",
          options: { title: title.slice(0, 1 + (index % 7)) },
        });
      default:
        return fake.buildComponentInteraction({
          customId: encodeCardButtonId({ filmId: id, view: FILM_VIEWS[index % FILM_VIEWS.length]!, page: 0 }),
        });
    }
  };
}

/** POSTs every payload, signed, to `url`, CONCURRENCY at a time; each latency is send → whole response. */
async function httpBurst(
  label: string,
  url: string,
  fake: FakeDiscord,
  make: PayloadMaker,
  count = BURST,
): Promise<Sample> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const signed = (index: number): { body: string; headers: Record<string, string> } => {
    const body = JSON.stringify(make(index));
    return { body, headers: { "content-type": "application/json", ...fake.signatureHeaders(body) } };
  };
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const send = (item: { body: string; headers: Record<string, string> }): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      const call = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: item.headers,
          agent,
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            if (response.statusCode === 200) latencies.push(performance.now() - started);
            else failures++;
            resolve();
          });
        },
      );
      call.on("error", () => {
        failures++;
        resolve();
      });
      call.end(item.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await send(signed(next++));
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { label, latencies: latencies.sort((a, b) => a - b), wallMs, failures };
}

/** The same burst over the gateway: the fake dispatches, the bot answers over REST; latency is dispatch → callback. */
async function gatewayBurst(fake: FakeDiscord, make: PayloadMaker, count = BURST): Promise<Sample> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const handle = fake.sendInteraction(make(next++));
        await handle.response().then(
          (callback) => latencies.push(callback.elapsedMs),
          () => failures++,
        );
      }
    }),
  );
  const wallMs = performance.now() - started;
  return {
    label: "gateway, 1 process (fake Discord → REST callback)",
    latencies: latencies.sort((a, b) => a - b),
    wallMs,
    failures,
  };
}

/** "127.0.0.1:8081" for nginx's upstream list. */
function address(url: string): string {
  return url.replace("http://", "");
}

function row(sample: Sample, floor: Sample | undefined): string {
  const p50 = percentile(sample.latencies, 0.5);
  const p99 = percentile(sample.latencies, 0.99);
  const perSecond = (sample.latencies.length / sample.wallMs) * 1000;
  const ratio = floor === undefined ? "" : `  p99 ${(p99 / percentile(floor.latencies, 0.99)).toFixed(2)}× the floor's`;
  const failed = sample.failures > 0 ? `  ${sample.failures} failed` : "";
  return (
    `  ${sample.label.padEnd(52)} p50 ${p50.toFixed(2).padStart(6)} ms  p99 ${p99.toFixed(2).padStart(7)} ms  ` +
    `${perSecond.toFixed(0).padStart(5)} interactions/s${ratio}${failed}`
  );
}

/** The floor endpoint as its own process. */
async function startFloor(publicKey: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL("./floor-endpoint.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", TSX, script], {
    env: { PATH: process.env["PATH"] ?? "", DISCORD_PUBLIC_KEY: publicKey },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once("data", (chunk: Buffer) => resolve((JSON.parse(String(chunk)) as { port: number }).port)),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export async function runScaleBench(): Promise<void> {
  const nginxBinary = findBinary("nginx");
  const redisBinary = findRedisServer();
  if (nginxBinary === null || redisBinary === null) {
    console.log("skipped: nginx and redis-server are needed (apt-get install nginx redis-server)");
    return;
  }
  const fake = await FakeDiscord.start();
  await deployCommands({ token: fake.token, apiUrl: fake.restUrl, guildId: undefined, commands });
  const films = (await loadDataDir(DATA_DIR)).films;
  const ids = films.map((film) => film.id);
  const titles = films.map((film) => film.title);
  const redis: RedisServer = await startRedisServer(redisBinary);
  const floor = await startFloor(fake.interactionsPublicKey);
  const env = {
    DISCORD_TOKEN: fake.token,
    DISCORD_API_URL: fake.restUrl,
    DISCORD_PUBLIC_KEY: fake.interactionsPublicKey,
    DATA_DIR,
    STORE_URL: redis.url,
    LOG_LEVEL: "warn",
  };
  const replicas: Replica[] = [];
  const samples: Sample[] = [];
  let nginx: Nginx | undefined;
  try {
    for (let i = 0; i < 3; i++) replicas.push(await startReplica(process.cwd(), { ...env, LOG_LEVEL: "info" }));
    const make = burstPayloads(fake, ids, titles);
    console.log(
      `${BURST} signed interactions per run (2/5 /movie, 2/5 autocomplete, 1/5 buttons), ${CONCURRENCY} in flight`,
    );
    // A warm-up run per target, not measured: the first requests pay for connections and JIT compilation.
    const measure = async (label: string, url: string): Promise<Sample> => {
      await httpBurst("warm-up", url, fake, make, 200);
      const sample = await httpBurst(label, url, fake, make);
      samples.push(sample);
      return sample;
    };
    const floorDirect = await measure("floor, direct", `${floor.url}/interactions`);
    nginx = await startNginx(nginxBinary, [address(floor.url)]);
    const floorBehindNginx = await measure("floor, behind nginx", `${nginx.url}/interactions`);
    await nginx.stop();
    nginx = undefined;
    await measure("1 replica, direct", `${replicas[0]!.url}/interactions`);
    for (let count = 1; count <= 3; count++) {
      nginx = await startNginx(
        nginxBinary,
        replicas.slice(0, count).map((replica) => address(replica.url)),
      );
      await measure(`${count} replica${count === 1 ? "" : "s"} behind nginx`, `${nginx.url}/interactions`);
      await nginx.stop();
      nginx = undefined;
    }
    for (const replica of replicas) replica.signal("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    replicas.length = 0;

    const gateway = run(MAIN, process.cwd(), { ...env, INTERACTIONS: "gateway", LOG_LEVEL: "info" });
    await until(() => logLines(gateway).some((line) => line["msg"] === "ready"), 30_000, "the gateway bot");
    await gatewayBurst(fake, make, 200);
    samples.push(await gatewayBurst(fake, make));
    gateway.signal("SIGTERM");
    await gateway.exited;

    for (const sample of samples) {
      const floorFor = sample.label.includes("nginx") ? floorBehindNginx : floorDirect;
      console.log(row(sample, sample.label.startsWith("floor") ? undefined : floorFor));
    }
  } finally {
    for (const replica of replicas) replica.signal("SIGTERM");
    await Promise.all(replicas.map((replica) => replica.exited));
    await nginx?.stop();
    await floor.stop();
    await redis.stop();
    await fake.close();
  }
}
