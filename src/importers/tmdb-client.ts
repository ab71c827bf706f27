/**
 * A polite, robust GET client for TMDb's API v3, for a long batch of requests:
 *   - paced: requests start at least 1/rate seconds apart across all callers (TMDb asks for no more than about 40 a
 *     second), and how many are in flight is up to the caller (the importer runs a fixed number of workers);
 *   - 429: waits for Retry-After (seconds or an HTTP date; a backoff step when absent), holding back every caller,
 *     then asks again;
 *   - 5xx, timeouts and network errors: retried with exponential backoff a few times, then the answer is a failure;
 *   - 404: "not found", an answer like any other (and cached, so a re-run does not ask again);
 *   - 401: TmdbAuthError at once: every further request would be refused too;
 *   - every body is checked with a zod schema before it is handed back; a malformed one is a failure;
 *   - answers come from the disk cache when younger than the allowed age.
 * Time (the clock and sleeping) is injected, so tests run the waits without waiting.
 *
 * Credentials never leave this module except in the request itself: the v4 token goes in the Authorization header,
 * the v3 key is added to the URL only as it is sent; neither is part of a cache key, an error message or a log line.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { z } from "zod";
import type { CachedAnswer, ResponseCache } from "./tmdb-cache.js";
import { describeIssues, errorBodySchema } from "./tmdb-payloads.js";

export const DEFAULT_TMDB_API_URL = "https://api.themoviedb.org/3";
export const DEFAULT_REQUESTS_PER_SECOND = 40;
export const DEFAULT_RETRIES = 4;
export const DEFAULT_BACKOFF_MS = 500;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** 429s are TMDb asking to slow down, not failing: they are waited out more often than errors are retried. */
const MAX_RATE_LIMITED = 10;
/** Longest wait a Retry-After can impose; a wildly large value is not worth stalling a whole import for. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** A v4 read access token (sent as a Bearer token) or a v3 API key (sent as the api_key query parameter). */
export type TmdbCredentials = { token: string } | { apiKey: string };

/** The clock and sleep every wait goes through; tests pass ones that do not wait. */
export interface TmdbTiming {
  /** Epoch milliseconds. Date.now by default. */
  now?: () => number;
  /** Resolves after `ms`, rejects when `signal` aborts. timers/promises' setTimeout by default. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface TmdbClientOptions extends TmdbTiming {
  /** "https://api.themoviedb.org/3", or a proxy's or the tests' fake's. */
  baseUrl: string;
  credentials: TmdbCredentials;
  /** null: always ask TMDb. */
  cache: ResponseCache | null;
  /** Cached answers older than this are asked for again. */
  maxAgeMs: number;
  requestsPerSecond?: number;
  /** Further tries after a 5xx, a timeout or a network error. */
  retries?: number;
  /** The first backoff step; it doubles with each retry. */
  backoffMs?: number;
  /** One request's limit, so a stalled connection cannot stall its worker for ever. */
  timeoutMs?: number;
  /** Aborting it stops every request and wait: TmdbInterrupted. */
  signal: AbortSignal;
  fetch?: typeof fetch;
}

/** The data, or why there is none: TMDb does not have it (404), or the request failed for good. */
export type TmdbAnswer<T> = { ok: true; data: T } | { ok: false; notFound: boolean; reason: string };

export interface TmdbClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Answers read from the cache instead. */
  fromCache: number;
  /** Requests sent again after a 429, a 5xx or a network error. */
  retried: number;
  /** Answers that could not be written to the cache (the import goes on without). */
  cacheWriteErrors: number;
}

/** TMDb refused the credentials (401); the message is TMDb's status_message. */
export class TmdbAuthError extends Error {
  override name = "TmdbAuthError";
}

/** The run's signal was aborted (Ctrl-C) while a request or a wait was under way. */
export class TmdbInterrupted extends Error {
  override name = "TmdbInterrupted";
}

export class TmdbClient {
  readonly stats: TmdbClientStats = { requests: 0, fromCache: 0, retried: 0, cacheWriteErrors: 0 };
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly fetch: typeof fetch;
  private readonly baseUrl: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;
  private readonly spacingMs: number;
  /** When the next request may start: each request moves it on by one spacing. */
  private nextSlot = 0;

  constructor(private readonly options: TmdbClientOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.fetch = options.fetch ?? fetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.spacingMs = 1000 / (options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND);
  }

  /** GET `path` (e.g. "/movie/603") with `params`, checked against `schema`. Throws TmdbAuthError, TmdbInterrupted. */
  async get<T>(path: string, params: Readonly<Record<string, string>>, schema: z.ZodType<T>): Promise<TmdbAnswer<T>> {
    const request = requestKey(path, params);
    const cached = await this.fromCache(request, schema);
    if (cached !== null) return cached;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      this.checkSignal();
      await this.waitForSlot();
      this.stats.requests++;
      const outcome = await this.send(request);
      if (outcome.kind === "network") {
        if (failures >= this.retries) {
          return fail(`${outcome.reason}, ${attempts(failures + 1)}`);
        }
        await this.retryAfter(this.backoff(failures++));
        continue;
      }
      const { status, body, retryAfterMs } = outcome;
      if (status === 200) return this.accept(request, body, schema);
      if (status === 404) {
        await this.store(request, { status: 404, body: parseJson(body) ?? null, fetchedAt: this.now() });
        return { ok: false, notFound: true, reason: `not found on TMDb (${statusMessage(body) ?? "404"})` };
      }
      if (status === 401) throw new TmdbAuthError(statusMessage(body) ?? "HTTP 401");
      if (status === 429) {
        if (rateLimited >= MAX_RATE_LIMITED) return fail(`rate limited (HTTP 429) ${attempts(rateLimited + 1)}`);
        const wait = retryAfterMs ?? this.backoff(rateLimited);
        rateLimited++;
        // Every worker waits, not only this one: the limit is TMDb's for the whole import.
        this.nextSlot = Math.max(this.nextSlot, this.now() + wait);
        await this.retryAfter(wait);
        continue;
      }
      if (status >= 500) {
        if (failures >= this.retries) return fail(`HTTP ${status}, ${attempts(failures + 1)}`);
        await this.retryAfter(this.backoff(failures++));
        continue;
      }
      const message = statusMessage(body);
      return fail(`HTTP ${status}${message === null ? "" : `: ${message}`}`);
    }
  }

  private async fromCache<T>(request: string, schema: z.ZodType<T>): Promise<TmdbAnswer<T> | null> {
    const cache = this.options.cache;
    if (cache === null) return null;
    const entry = await cache.get(request);
    // At the age limit or past it (so --max-age 0 always asks again).
    if (entry === null || this.now() - entry.fetchedAt >= this.options.maxAgeMs) return null;
    if (entry.status === 404) {
      this.stats.fromCache++;
      return { ok: false, notFound: true, reason: `not found on TMDb (${statusMessage(entry.body) ?? "404"}, cached)` };
    }
    const parsed = schema.safeParse(entry.body);
    // A cached body this version cannot read (an older shape, an edited file) is simply asked for again.
    if (!parsed.success) return null;
    this.stats.fromCache++;
    return { ok: true, data: parsed.data };
  }

  private async accept<T>(request: string, body: string, schema: z.ZodType<T>): Promise<TmdbAnswer<T>> {
    const json = parseJson(body);
    if (json === undefined) return fail("malformed response: not JSON");
    const parsed = schema.safeParse(json);
    if (!parsed.success) return fail(`malformed response: ${describeIssues(parsed.error)}`);
    await this.store(request, { status: 200, body: json, fetchedAt: this.now() });
    return { ok: true, data: parsed.data };
  }

  private async store(request: string, answer: CachedAnswer): Promise<void> {
    try {
      await this.options.cache?.put(request, answer);
    } catch {
      this.stats.cacheWriteErrors++;
    }
  }

  private async send(
    request: string,
  ): Promise<
    { kind: "network"; reason: string } | { kind: "http"; status: number; body: string; retryAfterMs: number | null }
  > {
    const { credentials, signal } = this.options;
    let url = `${this.baseUrl}${request}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if ("token" in credentials) headers.authorization = `Bearer ${credentials.token}`;
    else url += `${request.includes("?") ? "&" : "?"}api_key=${encodeURIComponent(credentials.apiKey)}`;
    try {
      const response = await this.fetch(url, {
        headers,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      const body = await response.text();
      return {
        kind: "http",
        status: response.status,
        body,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), this.now()),
      };
    } catch (error) {
      this.checkSignal();
      return { kind: "network", reason: describeNetworkError(error) };
    }
  }

  private async waitForSlot(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.spacingMs;
    if (slot > now) await this.pause(slot - now);
  }

  private async retryAfter(ms: number): Promise<void> {
    this.stats.retried++;
    await this.pause(ms);
  }

  private async pause(ms: number): Promise<void> {
    try {
      await this.sleep(ms, this.options.signal);
    } catch (error) {
      this.checkSignal();
      throw error;
    }
  }

  private backoff(failures: number): number {
    return this.backoffMs * 2 ** failures;
  }

  private checkSignal(): void {
    if (this.options.signal.aborted) throw new TmdbInterrupted("interrupted");
  }
}

/** The request as path and sorted query: the cache key, and what is sent (plus the key, for v3 credentials). */
export function requestKey(path: string, params: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = query.toString();
  return text === "" ? path : `${path}?${text}`;
}

function fail(reason: string): { ok: false; notFound: false; reason: string } {
  return { ok: false, notFound: false, reason };
}

function attempts(count: number): string {
  return `gave up after ${count} attempt${count === 1 ? "" : "s"}`;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** TMDb's status_message from an error body (text or parsed), or null. */
function statusMessage(body: unknown): string | null {
  const parsed = errorBodySchema.safeParse(parseJson(body));
  const message = parsed.success ? parsed.data.status_message?.trim() : undefined;
  return message ? message.split("\n", 1)[0]! : null;
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === "") return null;
  const text = header.trim();
  const ms = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  return Number.isNaN(ms) ? null : Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * "network error (ECONNRESET)": the error's code, never its message, which for some failures quotes the URL (and
 * with a v3 key the URL carries the key).
 */
function describeNetworkError(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timed out";
  const code = codeOf(error) ?? (error instanceof Error ? codeOf(error.cause) : undefined);
  return `network error${code === undefined ? "" : ` (${code})`}`;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? code : undefined;
}
