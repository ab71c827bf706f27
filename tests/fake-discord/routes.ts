import type { ParsedBody } from "./http-body.js";
import type { BodyKind } from "./request-validation.js";
import type { HttpMethod } from "./spec-validator.js";
import type { FakeState, RecordedRequest } from "./state.js";

/** What a route handler gets. */
export interface RouteContext {
  state: FakeState;
  /** Path parameters by their spec names (`interaction_id`, `webhook_token`...), percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body: ParsedBody;
  request: RecordedRequest;
  /** `performance.now()` when the request arrived, before its body was read or validated. */
  arrivedAt: number;
  /** `ws://127.0.0.1:<port>`, for `GET /gateway/bot`. */
  gatewayUrl: string;
}

/** What a route handler answers; `body` undefined means an empty 204-style response. */
export interface RouteResult {
  status: number;
  body?: unknown;
  /** Extra response headers (the server adds rate-limit headers itself). */
  headers?: Record<string, string>;
}

export interface RouteDefinition {
  method: Uppercase<HttpMethod>;
  /** The path exactly as Discord's OpenAPI spec writes it, e.g. `/webhooks/{webhook_id}/{webhook_token}`. */
  template: string;
  /** `bot`: needs `Authorization: Bot <token>`; `url-token`: authorised by the token in the URL. */
  auth: "bot" | "url-token";
  /** Set when the request body is validated (schema, limits, mentions) before handling. */
  bodyKind?: BodyKind;
  handle(context: RouteContext): RouteResult;
}

/** A Discord JSON error response. */
export function discordError(status: number, code: number, message: string): RouteResult {
  return { status, body: { message, code } };
}

/** The error responses Discord gives for the situations the fake reproduces. */
export const errors = {
  unauthorized: () => discordError(401, 0, "401: Unauthorized"),
  notFound: () => discordError(404, 0, "404: Not Found"),
  methodNotAllowed: () => discordError(405, 0, "405: Method Not Allowed"),
  invalidJson: () => discordError(400, 50109, "The request body contains invalid JSON."),
  missingAccess: () => discordError(403, 50001, "Missing Access"),
  unknownGuild: () => discordError(404, 10004, "Unknown Guild"),
  unknownMessage: () => discordError(404, 10008, "Unknown Message"),
  unknownWebhook: () => discordError(404, 10015, "Unknown Webhook"),
  unknownInteraction: () => discordError(404, 10062, "Unknown interaction"),
  invalidWebhookToken: () => discordError(401, 50027, "Invalid Webhook Token"),
  alreadyAcknowledged: () => discordError(400, 40060, "Interaction has already been acknowledged."),
  emptyMessage: () => discordError(400, 50006, "Cannot send an empty message"),
  invalidFormBody: (errorsByPath: Record<string, unknown>) => ({
    status: 400,
    body: { code: 50035, message: "Invalid Form Body", errors: errorsByPath },
  }),
};

/** The route key used in violations and rate-limit matching: `METHOD /spec/path`. */
export function routeKey(route: Pick<RouteDefinition, "method" | "template">): string {
  return `${route.method} ${route.template}`;
}
