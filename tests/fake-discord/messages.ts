import {
  MessageFlags,
  MessageType,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIUser,
} from "discord.js";
import type { UploadedFile } from "./http-body.js";
import {
  arrayOrEmpty,
  isRecord,
  numberOrUndefined,
  recordOrEmpty,
  stringOrUndefined,
  type JsonRecord,
} from "./json.js";
import { nextSnowflake } from "./snowflake.js";

/** Flags a client may set when creating a message through an interaction or webhook. */
const CREATABLE_FLAGS =
  MessageFlags.Ephemeral |
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsComponentsV2;
/** Flags a client may change when editing. */
const EDITABLE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2;

/** Where and by whom a new message is posted. */
export interface MessageOrigin {
  channelId: string;
  author: APIUser;
  applicationId: string;
  type: MessageType;
  interactionMetadata?: APIMessageInteractionMetadata;
  /** The deprecated `interaction` field; discord.js still reads `commandName` from it. */
  interaction?: APIMessageInteraction;
  /** Extra flags the fake sets itself (e.g. Loading for a deferred reply). */
  extraFlags?: number;
}

// The fake trusts the shape of embeds/components here: they were already checked against
// Discord's schema, and any problem is recorded as a violation rather than rejected.
function embedsFrom(value: unknown): APIEmbed[] {
  return arrayOrEmpty(value)
    .filter(isRecord)
    .map((embed) => ({ type: "rich", ...embed }) as APIEmbed);
}

function componentsFrom(value: unknown): APIMessageTopLevelComponent[] {
  return arrayOrEmpty(value).filter(isRecord) as unknown as APIMessageTopLevelComponent[];
}

function attachmentFromUpload(file: UploadedFile, channelId: string, description: string | undefined): APIAttachment {
  const id = nextSnowflake();
  const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
  return {
    id,
    filename: file.filename,
    size: file.size,
    url,
    proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
    content_type: file.contentType || undefined,
    ...(description === undefined ? {} : { description }),
  };
}

/**
 * Attachments after a create or edit. In `attachments` of the body, an entry whose id is an
 * existing attachment keeps it; an entry whose id is a number N describes the upload `files[N]`.
 * New uploads are always added; existing ones survive an edit only when listed (Discord's rule).
 */
function resolveAttachments(
  body: JsonRecord,
  files: UploadedFile[],
  existing: APIAttachment[],
  channelId: string,
): APIAttachment[] {
  const listed = arrayOrEmpty(body["attachments"]).map(recordOrEmpty);
  const keepAll = !("attachments" in body);
  const listedIds = new Set(listed.map((entry) => String(entry["id"])));
  const kept = existing.filter((attachment) => keepAll || listedIds.has(attachment.id));
  const uploads = files.map((file, index) => {
    const entry = listed.find((candidate) => String(candidate["id"]) === String(index));
    return attachmentFromUpload(file, channelId, stringOrUndefined(entry?.["description"]));
  });
  return [...kept, ...uploads];
}

/** Builds a complete APIMessage, as Discord returns it, from a create body. */
export function messageFromBody(body: unknown, files: UploadedFile[], origin: MessageOrigin): APIMessage {
  const fields = recordOrEmpty(body);
  const requestedFlags = (numberOrUndefined(fields["flags"]) ?? 0) & CREATABLE_FLAGS;
  return {
    id: nextSnowflake(),
    channel_id: origin.channelId,
    author: origin.author,
    content: stringOrUndefined(fields["content"]) ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: fields["tts"] === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: resolveAttachments(fields, files, [], origin.channelId),
    embeds: embedsFrom(fields["embeds"]),
    components: componentsFrom(fields["components"]),
    pinned: false,
    type: origin.type,
    flags: requestedFlags | (origin.extraFlags ?? 0),
    application_id: origin.applicationId,
    webhook_id: origin.applicationId,
    ...(origin.interactionMetadata ? { interaction_metadata: origin.interactionMetadata } : {}),
    ...(origin.interaction ? { interaction: origin.interaction } : {}),
  };
}

/**
 * Applies an edit body (PATCH semantics: absent fields stay, `null` clears). Editing a deferred
 * ("thinking") message replaces the placeholder, so the Loading flag goes and it does not count
 * as an edit.
 */
export function editedMessage(message: APIMessage, body: unknown, files: UploadedFile[]): APIMessage {
  const fields = recordOrEmpty(body);
  const oldFlags = message.flags ?? 0;
  const wasLoading = (oldFlags & MessageFlags.Loading) !== 0;
  const next: APIMessage = { ...message };
  if ("content" in fields) next.content = stringOrUndefined(fields["content"]) ?? "";
  if ("embeds" in fields) next.embeds = embedsFrom(fields["embeds"]);
  if ("components" in fields) next.components = componentsFrom(fields["components"]);
  if ("attachments" in fields || files.length > 0) {
    next.attachments = resolveAttachments(fields, files, message.attachments, message.channel_id);
  }
  const requested = numberOrUndefined(fields["flags"]);
  const editableFlags = requested === undefined ? oldFlags & EDITABLE_FLAGS : requested & EDITABLE_FLAGS;
  next.flags = (oldFlags & ~EDITABLE_FLAGS & ~MessageFlags.Loading) | editableFlags;
  next.edited_timestamp = wasLoading ? message.edited_timestamp : new Date().toISOString();
  return next;
}

/** Every message the fake knows, by id (interaction replies, follow-ups, component hosts). */
export class MessageStore {
  private readonly messages = new Map<string, APIMessage>();
  private readonly deleted = new Set<string>();

  get(id: string): APIMessage | undefined {
    return this.messages.get(id);
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  put(message: APIMessage): APIMessage {
    this.messages.set(message.id, message);
    this.deleted.delete(message.id);
    return message;
  }

  delete(id: string): boolean {
    const existed = this.messages.delete(id);
    if (existed) this.deleted.add(id);
    return existed;
  }

  all(): APIMessage[] {
    return [...this.messages.values()];
  }
}
