import { InteractionResponseType } from "discord.js";
import { isRecord } from "./json.js";
import {
  autocompleteLimitProblems,
  messageLimitProblems,
  modalLimitProblems,
  silentMentionProblems,
  type LimitProblem,
} from "./message-limits.js";
import type { DiscordSpec, HttpMethod } from "./spec-validator.js";
import type { Violation } from "./state.js";

/** Which extra checks a route's body gets on top of the schema. */
export type BodyKind = "callback" | "message" | "commands";

/** A violation before the fake stamps route, interaction and time on it. */
export type BodyProblem = Pick<Violation, "kind" | "path" | "message">;

/**
 * The callback schema is an `anyOf` over every callback type, so a failure reports errors from
 * all branches. Re-validating against the branch the body's `type` selects gives the errors that
 * actually matter.
 */
const CALLBACK_SCHEMA_BY_TYPE = new Map<number, string>([
  [InteractionResponseType.Pong, "PongInteractionCallbackRequest"],
  [InteractionResponseType.ChannelMessageWithSource, "CreateMessageInteractionCallbackRequest"],
  [InteractionResponseType.DeferredChannelMessageWithSource, "CreateMessageInteractionCallbackRequest"],
  [InteractionResponseType.DeferredMessageUpdate, "UpdateMessageInteractionCallbackRequest"],
  [InteractionResponseType.UpdateMessage, "UpdateMessageInteractionCallbackRequest"],
  [InteractionResponseType.ApplicationCommandAutocompleteResult, "ApplicationCommandAutocompleteCallbackRequest"],
  [InteractionResponseType.Modal, "ModalInteractionCallbackRequest"],
  [InteractionResponseType.LaunchActivity, "LaunchActivityInteractionCallbackRequest"],
]);

/** Callback types whose `data` is a message the user will see. */
const MESSAGE_CALLBACKS = new Set<number>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
]);

function schemaProblems(
  spec: DiscordSpec,
  template: string,
  method: HttpMethod,
  kind: BodyKind,
  body: unknown,
): BodyProblem[] {
  let errors = spec.requestBodyErrors(template, method, body);
  if (errors.length > 0 && kind === "callback" && isRecord(body) && typeof body["type"] === "number") {
    const branch = CALLBACK_SCHEMA_BY_TYPE.get(body["type"]);
    const focused = branch === undefined ? [] : spec.componentErrors(branch, body);
    if (focused.length > 0) errors = focused;
  }
  return errors.map((error) => ({
    kind: "schema",
    path: error.path,
    message: `${error.path || "body"} ${error.message}`,
  }));
}

function asProblems(kind: "limit" | "mentions", problems: LimitProblem[]): BodyProblem[] {
  return problems.map((problem) => ({ kind, path: problem.path, message: problem.message }));
}

function messageProblems(message: unknown, basePath: string, requireSilentMentions: boolean): BodyProblem[] {
  return [
    ...asProblems("limit", messageLimitProblems(message, basePath)),
    ...(requireSilentMentions ? asProblems("mentions", silentMentionProblems(message, basePath)) : []),
  ];
}

function callbackDataProblems(body: unknown, requireSilentMentions: boolean): BodyProblem[] {
  if (!isRecord(body)) return [];
  const type = body["type"];
  const data = body["data"];
  if (typeof type !== "number") return [];
  if (MESSAGE_CALLBACKS.has(type)) return messageProblems(data, "/data", requireSilentMentions);
  if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
    return asProblems("limit", autocompleteLimitProblems(data, "/data"));
  }
  if (type === InteractionResponseType.Modal) return asProblems("limit", modalLimitProblems(data, "/data"));
  return [];
}

/**
 * Every problem with a request body: Discord's schema for the route, plus for message-carrying
 * bodies the documented limits and (optionally) the silent-mentions rule.
 */
export function bodyProblems(
  spec: DiscordSpec,
  request: { template: string; method: HttpMethod; kind: BodyKind; body: unknown },
  requireSilentMentions: boolean,
): BodyProblem[] {
  const { template, method, kind, body } = request;
  const problems = spec.hasRequestBodySchema(template, method)
    ? schemaProblems(spec, template, method, kind, body)
    : [];
  if (kind === "callback") problems.push(...callbackDataProblems(body, requireSilentMentions));
  if (kind === "message") problems.push(...messageProblems(body, "", requireSilentMentions));
  return problems;
}

/** Compiles the validators `bodyProblems` will use for this route. */
export function warmUpValidators(spec: DiscordSpec, template: string, method: HttpMethod, kind: BodyKind): void {
  if (spec.hasRequestBodySchema(template, method)) spec.requestBodyErrors(template, method, {});
  if (kind === "callback") {
    for (const schemaName of new Set(CALLBACK_SCHEMA_BY_TYPE.values())) spec.componentErrors(schemaName, {});
  }
}

/** Finds or creates the nested object for one JSON-pointer token. */
function childNode(node: Record<string, unknown>, token: string): Record<string, unknown> {
  const existing = node[token];
  if (isRecord(existing)) return existing;
  const created: Record<string, unknown> = {};
  node[token] = created;
  return created;
}

/**
 * The `errors` object of Discord's "Invalid Form Body" (code 50035) response: problems nested by
 * body path, each leaf holding an `_errors` list.
 */
export function formBodyErrors(problems: readonly BodyProblem[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    const tokens = (problem.path ?? "").split("/").filter((token) => token !== "");
    const leaf = tokens.reduce(childNode, root);
    const list: unknown[] = Array.isArray(leaf["_errors"]) ? leaf["_errors"] : [];
    list.push({
      code: problem.kind === "schema" ? "BASE_TYPE_INVALID" : "BASE_TYPE_MAX_LENGTH",
      message: problem.message,
    });
    leaf["_errors"] = list;
  }
  return root;
}
