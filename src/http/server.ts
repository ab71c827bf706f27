/**
 * The bot's HTTP server. In "http" interactions mode it is how Discord reaches the bot: `POST /interactions` (the
 * application's Interactions Endpoint URL), each request signed by Discord and answered with the interaction's first
 * response as the HTTP response body; later edits and follow-ups go over REST. In both modes it serves
 * `GET /healthz` (the process runs), `GET /readyz` (it can answer: catalog loaded, store reachable, not shutting down)
 * and `GET /metrics` (Prometheus).
 *
 * Whatever a request carries, the answer is an HTTP status, never a crash: bodies over the size limit (413), other
 * content types (415), a missing, malformed or wrong signature (401), JSON that does not parse or is not an
 * interaction (400), unknown paths (404) and methods (405).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { Responder } from "../interactions/answer.js";
import type { InteractionRouter } from "../interactions/router.js";
import type { Logger } from "../logging/logger.js";
import type { BotMetrics } from "../metrics.js";
import { isSignedBy } from "./signature.js";

/** Interaction payloads are a few kilobytes; a message with embeds and resolved data stays far below this. */
export const MAX_INTERACTION_BYTES = 1024 * 1024;

/** Interaction types Discord sends: ping, command, component, autocomplete, modal submit. */
const INTERACTION_TYPES = new Set([1, 2, 3, 4, 5]);

export interface Readiness {
  ready: boolean;
  /** What is not ready, for a person reading /readyz. */
  detail: string;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  metrics: BotMetrics;
  readiness: () => Promise<Readiness>;
  /** In "http" interactions mode: where POST /interactions goes. */
  interactions?: {
    router: InteractionRouter;
    publicKey: KeyObject;
    /** Edits and follow-ups, over REST; the first response of each interaction is the HTTP response. */
    later: Omit<Responder, "respond">;
  };
}

export interface RunningHttpServer {
  readonly server: Server;
  /** Where it listens (the port chosen by the system when 0 was asked for). */
  readonly address: { host: string; port: number };
  /**
   * Stops taking connections (a load balancer then sends new requests elsewhere), lets requests under way finish
   * for up to `graceMs`, then closes what is left.
   */
  close(graceMs: number): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Close the connection after answering (the request was not read to its end). */
    readonly options: { close?: boolean } = {},
  ) {
    super(message);
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger } = options;
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error({ err: error }, "HTTP request failed");
      else logger.debug({ status, problem: (error as Error).message }, "HTTP request refused");
      if (error instanceof HttpError && error.options.close === true) response.setHeader("connection", "close");
      sendJson(response, status, { error: error instanceof HttpError ? error.message : "internal error" });
    });
  });
  // A request must arrive whole quickly: Discord's window is 3 s, and slow senders must not hold sockets.
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  // Longer than a load balancer's idle keep-alive, so that it closes idle connections, not the bot mid-request.
  server.keepAliveTimeout = 75_000;
  server.on("clientError", (error, socket) => {
    logger.debug({ err: error }, "HTTP client error");
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: options.host, port: bound.port };
  logger.info({ ...address, interactions: options.interactions !== undefined }, "HTTP server listening");
  return {
    server,
    address,
    close: (graceMs) => closeServer(server, graceMs),
  };
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions): Promise<void> {
  const path = (request.url ?? "/").split("?", 1)[0];
  const method = request.method ?? "GET";
  if (path === "/interactions" && options.interactions !== undefined) {
    if (method !== "POST") throw methodNotAllowed(response, "POST");
    await interaction(request, response, options.interactions);
    return;
  }
  if (path === "/healthz" || path === "/readyz" || path === "/metrics") {
    if (method !== "GET" && method !== "HEAD") throw methodNotAllowed(response, "GET, HEAD");
    if (path === "/healthz") {
      sendJson(response, 200, { ok: true });
    } else if (path === "/readyz") {
      const readiness = await options.readiness();
      sendJson(response, readiness.ready ? 200 : 503, readiness);
    } else {
      const { body, contentType } = await options.metrics.exposition();
      response.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
      response.end(body);
    }
    return;
  }
  throw new HttpError(404, "not found");
}

function methodNotAllowed(response: ServerResponse, allowed: string): HttpError {
  response.setHeader("allow", allowed);
  return new HttpError(405, "method not allowed");
}

async function interaction(
  request: IncomingMessage,
  response: ServerResponse,
  interactions: NonNullable<HttpServerOptions["interactions"]>,
): Promise<void> {
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, "expected application/json");
  const declared = Number(request.headers["content-length"] ?? "0");
  if (declared > MAX_INTERACTION_BYTES) throw tooLarge(request);
  const body = await readBody(request);
  const signature = header(request, "x-signature-ed25519");
  const timestamp = header(request, "x-signature-timestamp");
  if (!isSignedBy(interactions.publicKey, signature, timestamp, body))
    throw new HttpError(401, "invalid request signature");
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const payloadType =
    typeof payload === "object" && payload !== null ? (payload as { type?: unknown }).type : undefined;
  if (typeof payloadType !== "number" || !INTERACTION_TYPES.has(payloadType)) {
    throw new HttpError(400, "not an interaction this endpoint handles");
  }
  let responded = false;
  const responder: Responder = {
    ...interactions.later,
    respond: (_target, first) => {
      responded = true;
      return sendResponse(response, first);
    },
  };
  await interactions.router.handle(payload, responder);
  if (!responded) throw new HttpError(400, "the interaction could not be read");
}

/** The first response, as the HTTP response; settles once it is handed to the connection. */
function sendResponse(response: ServerResponse, first: APIInteractionResponse): Promise<void> {
  if (response.headersSent || response.destroyed) {
    return Promise.reject(new Error("the HTTP request was already answered or closed"));
  }
  const body = JSON.stringify(first);
  return new Promise((resolve, reject) => {
    response.once("error", reject);
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body, () => resolve());
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function tooLarge(request: IncomingMessage): HttpError {
  // The rest of an oversized body is read and dropped, and the connection closed after the answer.
  request.resume();
  request.socket.setTimeout(5000, () => request.socket.destroy());
  return new HttpError(413, `the body is over ${MAX_INTERACTION_BYTES} bytes`, { close: true });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      if (refused) return;
      length += chunk.length;
      if (length > MAX_INTERACTION_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(request));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks, length));
    });
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = JSON.stringify(value);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  response.end(body);
}
