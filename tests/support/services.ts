/**
 * Real services for the tests and the benchmark, started on free 127.0.0.1 ports and stopped after: a throwaway
 * redis-server (the Redis store, replicas sharing state) and nginx (the load balancer in front of replicas). The
 * binaries come from Debian's packages (`.ci/run` installs them); without them the tests that need them are skipped
 * with a message.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A program from /usr/bin, /usr/sbin or PATH; null when there is none. */
export function findBinary(name: string): string | null {
  const candidates = [
    `/usr/bin/${name}`,
    `/usr/sbin/${name}`,
    ...(process.env["PATH"] ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name)),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The redis-server binary, or null when there is none. */
export function findRedisServer(): string | null {
  return findBinary("redis-server");
}

export const REDIS_SKIP_MESSAGE =
  "SKIPPED: redis-server is not installed (apt-get install redis-server); the Redis store tests did not run";
export const NGINX_SKIP_MESSAGE =
  "SKIPPED: nginx or redis-server is not installed (apt-get install nginx redis-server); the scale tests did not run";

/** A port nothing listens on right now (the system's choice for port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  port: number;
  /** The server process, for tests that kill it. */
  readonly process: ChildProcess;
  /** SIGSTOP: the server keeps its connections open and answers nothing, like a frozen host. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** A port to listen on (default: a free one), to start a server again where a stopped one was. */
  port?: number;
  /** More redis-server arguments, e.g. ["--requirepass", "secret"]. */
  args?: string[];
}

/** Starts redis-server without persistence; resolves once it accepts connections. */
export async function startRedisServer(binary: string, options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...(options.args ?? [])],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await waitForOutput(child, "Ready to accept connections", "redis-server");
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    freeze: () => child.kill("SIGSTOP"),
    thaw: () => child.kill("SIGCONT"),
    stop: () => {
      // A frozen server would not act on SIGTERM.
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGCONT");
      return stopProcess(child);
    },
  };
}

/** The proxy settings the repository ships for running the bot behind nginx (included by the test config). */
export const NGINX_PROXY_CONF = fileURLToPath(new URL("../../deploy/nginx/film-bot-proxy.conf", import.meta.url));

export interface Nginx {
  /** http://127.0.0.1:<port> */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground on a free port, balancing over `upstreams` ("127.0.0.1:8081") with the repository's
 * proxy settings; its files live in a temporary prefix folder.
 */
export async function startNginx(binary: string, upstreams: readonly string[]): Promise<Nginx> {
  const prefix = await mkdtemp(join(tmpdir(), "film-bot-nginx-"));
  const port = await freePort();
  const config = [
    "worker_processes 1;",
    "pid nginx.pid;",
    "error_log stderr warn;",
    "events { worker_connections 1024; }",
    "http {",
    "  access_log off;",
    `  client_body_temp_path ${join(prefix, "body")};`,
    `  proxy_temp_path ${join(prefix, "proxy")};`,
    `  fastcgi_temp_path ${join(prefix, "fastcgi")};`,
    `  uwsgi_temp_path ${join(prefix, "uwsgi")};`,
    `  scgi_temp_path ${join(prefix, "scgi")};`,
    "  upstream film_bot {",
    ...upstreams.map((address) => `    server ${address} max_fails=1 fail_timeout=10s;`),
    "    keepalive 32;",
    "  }",
    "  server {",
    `    listen 127.0.0.1:${port};`,
    `    include ${NGINX_PROXY_CONF};`,
    "  }",
    "}",
    "",
  ].join("\n");
  await writeFile(join(prefix, "nginx.conf"), config);
  const child = spawn(binary, ["-p", prefix, "-e", "stderr", "-c", join(prefix, "nginx.conf"), "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${output}`);
    const up = await fetch(`${url}/nginx-started`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: async () => {
      await stopProcess(child, "SIGQUIT");
      await rm(prefix, { recursive: true, force: true });
    },
  };
}

function waitForOutput(child: ChildProcess, marker: string, name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output}`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${output}`));
    });
  });
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
