import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIMessage,
  type APIUser,
} from "discord.js";
import type { InteractionEventKind, InteractionRecord } from "./interactions.js";
import { arrayOrEmpty, recordOrEmpty, textLength } from "./json.js";
import { editedMessage, messageFromBody, type MessageOrigin } from "./messages.js";
import { errors, type RouteContext, type RouteDefinition, type RouteResult } from "./routes.js";

/** Which callback types Discord accepts for each interaction type. */
const ALLOWED_CALLBACKS = new Map<InteractionType, ReadonlySet<InteractionResponseType>>([
  [InteractionType.Ping, new Set([InteractionResponseType.Pong])],
  [
    InteractionType.ApplicationCommand,
    new Set([
      InteractionResponseType.ChannelMessageWithSource,
      InteractionResponseType.DeferredChannelMessageWithSource,
      InteractionResponseType.Modal,
      InteractionResponseType.LaunchActivity,
    ]),
  ],
  [
    InteractionType.MessageComponent,
    new Set([
      InteractionResponseType.ChannelMessageWithSource,
      InteractionResponseType.DeferredChannelMessageWithSource,
      InteractionResponseType.DeferredMessageUpdate,
      InteractionResponseType.UpdateMessage,
      InteractionResponseType.Modal,
      InteractionResponseType.LaunchActivity,
    ]),
  ],
  [
    InteractionType.ApplicationCommandAutocomplete,
    new Set([InteractionResponseType.ApplicationCommandAutocompleteResult]),
  ],
  [
    InteractionType.ModalSubmit,
    new Set([
      InteractionResponseType.ChannelMessageWithSource,
      InteractionResponseType.DeferredChannelMessageWithSource,
      InteractionResponseType.DeferredMessageUpdate,
      InteractionResponseType.UpdateMessage,
      InteractionResponseType.LaunchActivity,
    ]),
  ],
]);

/** Callback types that leave a message behind `@original`. */
const MESSAGE_BEARING_CALLBACKS = new Set<InteractionResponseType>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.DeferredMessageUpdate,
  InteractionResponseType.UpdateMessage,
]);

function routeLabel(context: RouteContext): string {
  return `${context.request.method} ${context.request.route ?? context.request.path}`;
}

/** Answers with Discord's error and records why as a protocol violation. */
function refuse(context: RouteContext, result: RouteResult, why: string, record?: InteractionRecord): RouteResult {
  context.state.addViolation({
    kind: "protocol",
    route: routeLabel(context),
    message: why,
    body: context.body.json,
    ...(record ? { interactionId: record.id } : {}),
  });
  return result;
}

function invoker(record: InteractionRecord): APIUser | undefined {
  return record.payload.member?.user ?? record.payload.user;
}

/** How Discord stamps messages created by this interaction (author, type, interaction metadata). */
function messageOrigin(context: RouteContext, record: InteractionRecord, extraFlags = 0): MessageOrigin {
  const { world } = context.state;
  const { payload } = record;
  const user = invoker(record);
  const origin: MessageOrigin = {
    channelId: payload.channel?.id ?? payload.channel_id ?? "0",
    author: world.botUser,
    applicationId: world.applicationId,
    type: payload.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Reply,
    extraFlags,
  };
  if (user && payload.type === InteractionType.ApplicationCommand) {
    const owners = payload.authorizing_integration_owners;
    origin.interactionMetadata = { id: payload.id, type: payload.type, user, authorizing_integration_owners: owners };
    origin.interaction = { id: payload.id, type: payload.type, name: payload.data.name, user };
  }
  return origin;
}

/** Discord refuses to create a message with nothing to show. */
function isEmptyMessage(data: unknown, fileCount: number): boolean {
  const message = recordOrEmpty(data);
  return (
    textLength(message["content"]) === 0 &&
    arrayOrEmpty(message["embeds"]).length === 0 &&
    arrayOrEmpty(message["components"]).length === 0 &&
    arrayOrEmpty(message["sticker_ids"]).length === 0 &&
    message["poll"] === undefined &&
    fileCount === 0
  );
}

/** Creates or updates the `@original` message a callback of `type` produces. */
function applyCallbackToMessages(
  context: RouteContext,
  record: InteractionRecord,
  type: InteractionResponseType,
  data: unknown,
): void {
  const { messages } = context.state;
  const files = context.body.files;
  if (type === InteractionResponseType.ChannelMessageWithSource) {
    record.originalMessageId = messages.put(messageFromBody(data, files, messageOrigin(context, record))).id;
  } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
    // The "Bot is thinking..." placeholder: only the flags (ephemeral) of `data` count.
    const flagsOnly = { flags: recordOrEmpty(data)["flags"] };
    record.originalMessageId = messages.put(
      messageFromBody(flagsOnly, [], messageOrigin(context, record, MessageFlags.Loading)),
    ).id;
  } else if (type === InteractionResponseType.UpdateMessage) {
    const target = record.originalMessageId === undefined ? undefined : messages.get(record.originalMessageId);
    if (target) messages.put(editedMessage(target, data, files));
  }
}

/** Callback types whose `with_response` body carries the message as `resource` (per Discord's spec). */
const RESOURCE_CALLBACKS = new Set<InteractionResponseType>([
  InteractionResponseType.ChannelMessageWithSource,
  InteractionResponseType.UpdateMessage,
]);

/**
 * The `InteractionCallbackResponse` body Discord returns for `?with_response=true`: always the
 * `interaction` summary (with the response message's id/loading/ephemeral state when there is
 * one), plus `resource.message` for types 4 and 7.
 */
function callbackResponse(context: RouteContext, record: InteractionRecord, type: InteractionResponseType): unknown {
  const messageId = MESSAGE_BEARING_CALLBACKS.has(type) ? record.originalMessageId : undefined;
  const message = messageId === undefined ? undefined : context.state.messages.get(messageId);
  const flags = message?.flags ?? 0;
  const messageState = message && {
    response_message_id: message.id,
    response_message_loading: (flags & MessageFlags.Loading) !== 0,
    response_message_ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
  };
  return {
    interaction: { id: record.id, type: record.payload.type, ...messageState },
    ...(message && RESOURCE_CALLBACKS.has(type) ? { resource: { type, message } } : {}),
  };
}

type CallbackCheck =
  | { accepted: true; record: InteractionRecord; type: InteractionResponseType }
  | { accepted: false; result: RouteResult; why: string };

/** Discord's checks on an initial response, in the order Discord reports them. */
function checkCallback(context: RouteContext, record: InteractionRecord | undefined, type: unknown): CallbackCheck {
  const token = context.params["interaction_token"];
  if (!record || record.token !== token) {
    return {
      accepted: false,
      result: errors.unknownInteraction(),
      why: "callback for an unknown interaction id/token",
    };
  }
  if (record.callback)
    return {
      accepted: false,
      result: errors.alreadyAcknowledged(),
      why: `${record.describe()} was already acknowledged`,
    };
  if (record.isExpired(context.arrivedAt)) {
    const why = `${record.describe()} acknowledged after ${record.elapsedMs(context.arrivedAt)} ms; the window is ${record.ackWindowMs} ms`;
    return { accepted: false, result: errors.unknownInteraction(), why };
  }
  const allowed = ALLOWED_CALLBACKS.get(record.payload.type);
  if (typeof type !== "number" || !allowed?.has(type)) {
    const result = errors.invalidFormBody({
      type: { _errors: [{ code: "INTERACTION_RESPONSE_TYPE_INVALID", message: "Invalid interaction response type" }] },
    });
    return {
      accepted: false,
      result,
      why: `callback type ${String(type)} is not valid for interaction type ${record.payload.type}`,
    };
  }
  const data = recordOrEmpty(context.body.json)["data"];
  if (type === InteractionResponseType.ChannelMessageWithSource && isEmptyMessage(data, context.body.files.length)) {
    return {
      accepted: false,
      result: errors.emptyMessage(),
      why: `${record.describe()} replied with an empty message`,
    };
  }
  return { accepted: true, record, type };
}

/** `POST /interactions/{interaction_id}/{interaction_token}/callback`: the initial response. */
function interactionCallback(context: RouteContext): RouteResult {
  const { state } = context;
  const found = state.interactions.get(context.params["interaction_id"] ?? "");
  const body = recordOrEmpty(context.body.json);
  const attempt = {
    at: context.request.at,
    elapsedMs: found?.elapsedMs(context.arrivedAt) ?? 0,
    body: context.body.json,
  };
  const check = checkCallback(context, found, body["type"]);
  if (!check.accepted) {
    const errorCode = recordOrEmpty(check.result.body)["code"];
    found?.attempts.push({
      ...attempt,
      status: check.result.status,
      ...(typeof errorCode === "number" ? { errorCode } : {}),
    });
    return refuse(context, check.result, check.why, found);
  }
  const { record, type } = check;
  const withResponse = context.query.get("with_response") === "true";
  record.callback = { type, data: body["data"], files: context.body.files, withResponse, ...attempt };
  record.attempts.push({ ...attempt, status: withResponse ? 200 : 204 });
  applyCallbackToMessages(context, record, type, body["data"]);
  const messageId = record.originalMessageId;
  record.addEvent("callback", context.arrivedAt, { body: context.body.json, ...(messageId ? { messageId } : {}) });
  state.changed();
  return withResponse ? { status: 200, body: callbackResponse(context, record, type) } : { status: 204 };
}

type WebhookLookup = { record: InteractionRecord } | { failure: RouteResult };

/** The interaction a webhook route's `{webhook_id}/{webhook_token}` designates, or the refusal. */
function webhookInteraction(context: RouteContext): WebhookLookup {
  const { state } = context;
  if (context.params["webhook_id"] !== state.world.applicationId) {
    return { failure: refuse(context, errors.unknownWebhook(), "webhook id is not the application id") };
  }
  const record = state.interactionByToken(context.params["webhook_token"] ?? "");
  if (!record)
    return { failure: refuse(context, errors.invalidWebhookToken(), "webhook token is no known interaction token") };
  if (record.isTokenExpired()) {
    return {
      failure: refuse(context, errors.invalidWebhookToken(), `the token of ${record.describe()} has expired`, record),
    };
  }
  if (!record.callback) {
    return {
      failure: refuse(context, errors.unknownWebhook(), `${record.describe()} used before it was acknowledged`, record),
    };
  }
  return { record };
}

/** The id of the message `message_id` (or `@original`) refers to, if this interaction owns it. */
function ownedMessageId(record: InteractionRecord, messageId: string | undefined): string | undefined {
  if (messageId === undefined) {
    const hasOriginal = record.callback !== undefined && MESSAGE_BEARING_CALLBACKS.has(record.callback.type);
    return hasOriginal ? record.originalMessageId : undefined;
  }
  return messageId === record.originalMessageId || record.followUpIds.includes(messageId) ? messageId : undefined;
}

interface MessageTarget {
  record: InteractionRecord;
  message: APIMessage;
  isOriginal: boolean;
}

/** Resolves the target of a `/messages/@original` or `/messages/{message_id}` route. */
function messageTarget(context: RouteContext): MessageTarget | RouteResult {
  const lookup = webhookInteraction(context);
  if ("failure" in lookup) return lookup.failure;
  const { record } = lookup;
  const id = ownedMessageId(record, context.params["message_id"]);
  const message = id === undefined ? undefined : context.state.messages.get(id);
  if (!message) return refuse(context, errors.unknownMessage(), `${record.describe()} has no such message`, record);
  return { record, message, isOriginal: message.id === record.originalMessageId };
}

function isTarget(value: MessageTarget | RouteResult): value is MessageTarget {
  return "message" in value;
}

function recordWebhookEvent(
  context: RouteContext,
  target: MessageTarget,
  action: "fetched" | "edited" | "deleted",
): void {
  const kind: InteractionEventKind = `${target.isOriginal ? "original" : "message"}-${action}`;
  target.record.addEvent(kind, context.arrivedAt, {
    messageId: target.message.id,
    ...(action === "edited" ? { body: context.body.json } : {}),
  });
  context.state.changed();
}

function getMessage(context: RouteContext): RouteResult {
  const target = messageTarget(context);
  if (!isTarget(target)) return target;
  recordWebhookEvent(context, target, "fetched");
  return { status: 200, body: target.message };
}

function editMessage(context: RouteContext): RouteResult {
  const target = messageTarget(context);
  if (!isTarget(target)) return target;
  const updated = context.state.messages.put(editedMessage(target.message, context.body.json, context.body.files));
  recordWebhookEvent(context, target, "edited");
  return { status: 200, body: updated };
}

function deleteMessage(context: RouteContext): RouteResult {
  const target = messageTarget(context);
  if (!isTarget(target)) return target;
  context.state.messages.delete(target.message.id);
  recordWebhookEvent(context, target, "deleted");
  return { status: 204 };
}

/** `POST /webhooks/{webhook_id}/{webhook_token}`: a follow-up message. */
function sendFollowUp(context: RouteContext): RouteResult {
  const lookup = webhookInteraction(context);
  if ("failure" in lookup) return lookup.failure;
  const { record } = lookup;
  if (isEmptyMessage(context.body.json, context.body.files.length)) {
    return refuse(context, errors.emptyMessage(), `follow-up to ${record.describe()} is an empty message`, record);
  }
  const origin = { ...messageOrigin(context, record), type: MessageType.Default };
  const message = context.state.messages.put(messageFromBody(context.body.json, context.body.files, origin));
  record.followUpIds.push(message.id);
  record.addEvent("follow-up", context.arrivedAt, { messageId: message.id, body: context.body.json });
  context.state.changed();
  // Without ?wait=true Discord answers 204 and the client never learns the message.
  return context.query.get("wait") === "true" ? { status: 200, body: message } : { status: 204 };
}

/** Routes authorised by the interaction token in the URL (no bot token needed). */
export function interactionRoutes(): RouteDefinition[] {
  const webhook = "/webhooks/{webhook_id}/{webhook_token}";
  const original = `${webhook}/messages/@original`;
  const byId = `${webhook}/messages/{message_id}`;
  return [
    {
      method: "POST",
      template: "/interactions/{interaction_id}/{interaction_token}/callback",
      auth: "url-token",
      bodyKind: "callback",
      handle: interactionCallback,
    },
    { method: "POST", template: webhook, auth: "url-token", bodyKind: "message", handle: sendFollowUp },
    // `@original` before `{message_id}` so the literal wins.
    { method: "GET", template: original, auth: "url-token", handle: getMessage },
    { method: "PATCH", template: original, auth: "url-token", bodyKind: "message", handle: editMessage },
    { method: "DELETE", template: original, auth: "url-token", handle: deleteMessage },
    { method: "GET", template: byId, auth: "url-token", handle: getMessage },
    { method: "PATCH", template: byId, auth: "url-token", bodyKind: "message", handle: editMessage },
    { method: "DELETE", template: byId, auth: "url-token", handle: deleteMessage },
  ];
}
