/**
 * Answering one interaction, the only place messages become Discord API bodies: every body goes out with
 * `allowed_mentions: { parse: [] }` (film text never pings), and whether to respond, edit a deferred response or
 * follow up is decided from what was already sent, not remembered by each handler.
 *
 * How a body reaches Discord is the transport's business (a `Responder`): over the gateway, the first response is a
 * REST call to the interaction callback endpoint; over HTTP it is the body of the HTTP response. Edits and
 * follow-ups always go to the webhook endpoints.
 */
import {
  InteractionResponseType,
  MessageFlags,
  type APIAllowedMentions,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
} from "discord-api-types/v10";
import type { Choice, MessageReply, Visibility } from "./command.js";
import type { InteractionTarget } from "./incoming.js";

/** No @everyone, no user or role pings, whatever the text says: the one place this is set. */
export const NO_MENTIONS: APIAllowedMentions = { parse: [] };

/** Where an interaction's answers go. */
export interface Responder {
  /** The first response; an interaction gets exactly one. */
  respond(target: InteractionTarget, response: APIInteractionResponse): Promise<void>;
  /** Replaces the first response's message (after a deferral, or to finish one). */
  editOriginal(target: InteractionTarget, body: RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void>;
  /** Another message, after the first response. */
  followUp(target: InteractionTarget, body: APIInteractionResponseCallbackData): Promise<void>;
}

export function privateText(content: string): MessageReply {
  return { content };
}

/** A message as every endpoint takes it: the first response's data, an edit, a follow-up. */
type MessageBody = Required<Pick<APIInteractionResponseCallbackData, "embeds" | "components" | "allowed_mentions">> &
  Pick<APIInteractionResponseCallbackData, "content" | "flags">;

/** The message fields of a reply, with silent mentions. */
function messageData(reply: MessageReply): MessageBody {
  return {
    ...(reply.content === undefined ? {} : { content: reply.content }),
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    allowed_mentions: NO_MENTIONS,
  };
}

function withVisibility(reply: MessageReply, visibility: Visibility): MessageBody {
  return { ...messageData(reply), ...(visibility === "private" ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** none: nothing sent yet; deferred: "thinking…" (or a button's acknowledged click) sent; answered: a message sent. */
type AnswerState = "none" | "deferred-reply" | "deferred-update" | "answered";

/**
 * One interaction's answers, in order: the router holds one per interaction and is the only caller. Every method
 * picks the right Discord call for the state the interaction is in.
 */
export class Answer {
  private state: AnswerState = "none";
  /** When the first response was handed to the responder (performance.now()); null until then. */
  firstResponseAt: number | null = null;

  constructor(
    private readonly target: InteractionTarget,
    private readonly responder: Responder,
  ) {}

  private respond(response: APIInteractionResponse): Promise<void> {
    this.firstResponseAt ??= performance.now();
    return this.responder.respond(this.target, response);
  }

  /** Whether Discord has had its first response (so the 3 s window no longer matters). */
  get acknowledged(): boolean {
    return this.state !== "none";
  }

  /** "thinking…" with the visibility the answer will have (it cannot change once deferred). */
  async defer(visibility: Visibility): Promise<void> {
    if (this.state !== "none") return;
    const data = visibility === "private" ? { flags: MessageFlags.Ephemeral } : undefined;
    await this.respond({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      ...(data === undefined ? {} : { data }),
    });
    this.state = "deferred-reply";
  }

  /** Acknowledges a button click; the message it sits on is redrawn later with `update`. */
  async deferUpdate(): Promise<void> {
    if (this.state !== "none") return;
    await this.respond({ type: InteractionResponseType.DeferredMessageUpdate });
    this.state = "deferred-update";
  }

  /**
   * Sends a message: the first response, the edit of a deferred one (which keeps the visibility it was deferred
   * with), or a follow-up once something was sent.
   */
  async send(reply: MessageReply, visibility: Visibility): Promise<void> {
    switch (this.state) {
      case "none":
        await this.respond({
          type: InteractionResponseType.ChannelMessageWithSource,
          data: withVisibility(reply, visibility),
        });
        break;
      case "deferred-reply":
        await this.responder.editOriginal(this.target, messageData(reply));
        break;
      case "deferred-update":
      case "answered":
        await this.responder.followUp(this.target, withVisibility(reply, visibility));
        break;
    }
    this.state = "answered";
  }

  /** Redraws the message a button sits on (editing it when the click was acknowledged already). */
  async update(reply: MessageReply): Promise<void> {
    if (this.state === "none") {
      await this.respond({
        type: InteractionResponseType.UpdateMessage,
        data: messageData(reply),
      });
    } else {
      await this.responder.editOriginal(this.target, messageData(reply));
    }
    this.state = "answered";
  }

  /** Autocomplete's one answer (it cannot be deferred or followed up). */
  async choices(choices: readonly Choice[]): Promise<void> {
    if (this.state !== "none") return;
    await this.respond({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [...choices] },
    });
    this.state = "answered";
  }

  async pong(): Promise<void> {
    await this.respond({ type: InteractionResponseType.Pong });
    this.state = "answered";
  }
}
