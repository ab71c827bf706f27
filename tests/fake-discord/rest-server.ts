import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { botRoutes } from "./bot-routes.js";
import { readBody, type ParsedBody } from "./http-body.js";
import { interactionRoutes } from "./interaction-routes.js";
import { bodyProblems, formBodyErrors, warmUpValidators } from "./request-validation.js";
import { discordError, errors, routeKey, type RouteContext, type RouteDefinition, type RouteResult } from "./routes.js";
import type { DiscordSpec, HttpMethod } from "./spec-validator.js";
import type { FakeState, RateLimitInjection, RecordedRequest } from "./state.js";

/** discord.js joins `rest.api` + `/v10` + route, so every request path starts with this. */
const API_PREFIX = "/api/v10";

/** A bucket's advertised size. Remaining stays below it but never reaches 0, so discord.js never waits. */
const BUCKET_LIMIT = 5;

type RouteMatch =
  | { kind: "route"; route: RouteDefinition; params: Record<string, string> }
  | { kind: "wrong-method" }
  | { kind: "none" };

function splitPath(path: string): string[] {
  return path.split("/").slice(1);
}

/** Matches decoded path segments against a spec template; `{name}` segments capture. */
function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = splitPath(template);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) {
      if (segment === "") return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function bucketHash(template: string | null): string {
  return createHash("sha1")
    .update(template ?? "unknown")
    .digest("hex")
    .slice(0, 16);
}

/** Headers discord.js reads to schedule requests; values keep its queue flowing. */
function rateLimitHeaders(template: string | null): Record<string, string> {
  const resetAfterSeconds = 1;
  return {
    "x-ratelimit-limit": String(BUCKET_LIMIT),
    "x-ratelimit-remaining": String(BUCKET_LIMIT - 1),
    "x-ratelimit-reset": (Date.now() / 1000 + resetAfterSeconds).toFixed(3),
    "x-ratelimit-reset-after": resetAfterSeconds.toFixed(3),
    "x-ratelimit-bucket": bucketHash(template),
  };
}

function tooManyRequests(injection: RateLimitInjection, template: string): RouteResult {
  const retryAfter = injection.retryAfterSeconds;
  return {
    status: 429,
    body: { message: "You are being rate limited.", retry_after: retryAfter, global: injection.global, code: 0 },
    headers: {
      "retry-after": String(retryAfter),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": retryAfter.toFixed(3),
      "x-ratelimit-scope": injection.global ? "global" : "user",
      "x-ratelimit-bucket": bucketHash(template),
      ...(injection.global ? { "x-ratelimit-global": "true" } : {}),
    },
  };
}

function injectionMatches(
  injection: RateLimitInjection,
  route: RouteDefinition,
  method: string,
  path: string,
): boolean {
  if (injection.route === undefined) return true;
  if (typeof injection.route === "string") return injection.route === routeKey(route);
  return injection.route.test(`${method} ${path}`) || injection.route.test(routeKey(route));
}

function send(response: ServerResponse, result: RouteResult, template: string | null): void {
  const headers: Record<string, string> = { ...rateLimitHeaders(template), ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const json = JSON.stringify(result.body);
  response
    .writeHead(result.status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(json),
    })
    .end(json);
}

/** The HTTP half of the fake: routes `/api/v10/...` requests, records and validates them. */
export class FakeRestApi {
  private readonly routes: RouteDefinition[] = [...interactionRoutes(), ...botRoutes()];

  constructor(
    private readonly state: FakeState,
    private readonly spec: DiscordSpec,
    private readonly gatewayUrl: () => string,
  ) {}

  /** Compiles every validator now, so the first request is not slowed by Ajv compiling them. */
  warmUp(): void {
    for (const route of this.routes) {
      if (route.bodyKind)
        warmUpValidators(this.spec, route.template, route.method.toLowerCase() as HttpMethod, route.bodyKind);
    }
  }

  /** Node `http` request listener. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Timing starts on arrival, so body parsing and validation never count against the bot.
    const arrivedAt = performance.now();
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const versioned = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const body = await readBody(request);
    const recorded = this.record(request, url, versioned, body);
    let result: RouteResult;
    try {
      result = this.process(recorded, { url, versioned, body, arrivedAt });
    } catch (error) {
      result = this.internalError(recorded, error);
    }
    recorded.status = result.status;
    recorded.response = result.body;
    send(response, result, recorded.route);
    this.state.changed();
  }

  private record(request: IncomingMessage, url: URL, versioned: boolean, body: ParsedBody): RecordedRequest {
    const rawPath = versioned ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const recorded: RecordedRequest = {
      method: (request.method ?? "GET").toUpperCase(),
      path: splitPath(rawPath)
        .map((segment) => `/${decodeSegment(segment)}`)
        .join(""),
      url: `${url.pathname}${url.search}`,
      route: null,
      query: Object.fromEntries(url.searchParams),
      body: body.json,
      files: body.files,
      encoding: body.encoding,
      authorized: request.headers.authorization === `Bot ${this.state.world.token}`,
      status: 0,
      response: undefined,
      at: Date.now(),
    };
    this.state.requests.push(recorded);
    return recorded;
  }

  private match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchTemplate(route.template, segments);
      if (!params) continue;
      if (route.method === method) return { kind: "route", route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: "wrong-method" } : { kind: "none" };
  }

  private process(
    recorded: RecordedRequest,
    incoming: { url: URL; versioned: boolean; body: ParsedBody; arrivedAt: number },
  ): RouteResult {
    const { url, versioned, body, arrivedAt } = incoming;
    // Anything outside /api/v10 (another API version, a typo in `rest.api`) is an unknown route.
    const match: RouteMatch = versioned ? this.match(recorded.method, recorded.path) : { kind: "none" };
    if (match.kind !== "route") {
      this.state.unknownRoutes.push(recorded);
      return match.kind === "wrong-method" ? errors.methodNotAllowed() : errors.notFound();
    }
    const { route, params } = match;
    recorded.route = route.template;
    if (route.auth === "bot" && !recorded.authorized) return errors.unauthorized();
    const injected = this.takeRateLimit(route, recorded);
    if (injected) return tooManyRequests(injected, route.template);
    if (body.parseError !== undefined) return errors.invalidJson();
    const invalid = this.validateBody(route, params, body);
    if (invalid) return invalid;
    const context: RouteContext = {
      state: this.state,
      params,
      query: url.searchParams,
      body,
      request: recorded,
      arrivedAt,
      gatewayUrl: this.gatewayUrl(),
    };
    return route.handle(context);
  }

  private takeRateLimit(route: RouteDefinition, recorded: RecordedRequest): RateLimitInjection | undefined {
    const injection = this.state.rateLimits.find((candidate) =>
      injectionMatches(candidate, route, recorded.method, recorded.path),
    );
    if (!injection) return undefined;
    injection.remaining -= 1;
    if (injection.remaining <= 0) this.state.rateLimits.splice(this.state.rateLimits.indexOf(injection), 1);
    return injection;
  }

  /** Records body problems as violations; answers 50035 only when the fake is set to reject. */
  private validateBody(
    route: RouteDefinition,
    params: Record<string, string>,
    body: ParsedBody,
  ): RouteResult | undefined {
    if (!route.bodyKind) return undefined;
    const { settings } = this.state;
    const method = route.method.toLowerCase() as HttpMethod;
    const problems = bodyProblems(
      this.spec,
      { template: route.template, method, kind: route.bodyKind, body: body.json },
      settings.requireSilentMentions,
    );
    const interactionId = params["interaction_id"] ?? this.state.interactionByToken(params["webhook_token"] ?? "")?.id;
    for (const problem of problems) {
      this.state.addViolation({
        ...problem,
        route: routeKey(route),
        body: body.json,
        ...(interactionId ? { interactionId } : {}),
      });
    }
    const rejectable = problems.filter((problem) => problem.kind === "schema" || problem.kind === "limit");
    if (settings.rejectInvalidBodies && rejectable.length > 0)
      return errors.invalidFormBody(formBodyErrors(rejectable));
    return undefined;
  }

  private internalError(recorded: RecordedRequest, error: unknown): RouteResult {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.state.addViolation({
      kind: "internal",
      route: `${recorded.method} ${recorded.route ?? recorded.path}`,
      message,
      body: recorded.body,
    });
    return discordError(500, 0, "500: Internal Server Error");
  }
}
