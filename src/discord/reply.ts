/**
 * Replies as plain data, and the only place they become discord.js calls: every reply, edit, follow-up and update
 * goes out with `allowedMentions: { parse: [] }` (film text never pings), and whether to reply, edit a deferred
 * reply or follow up is decided from the interaction's state, not remembered by each handler.
 */
import {
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageComponentInteraction,
  type MessageMentionOptions,
  type RepliableInteraction,
} from "discord.js";

/** What a command computes: the message, and whether only the member sees it. */
export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Only the member who used the command sees it (an ephemeral message). */
  ephemeral?: boolean;
}

/** No @everyone, no user or role pings, whatever the text says. */
export function silentMentions(): MessageMentionOptions {
  return { parse: [] };
}

export function privateText(content: string): ReplyPayload {
  return { content, ephemeral: true };
}

export function toReplyOptions(payload: ReplyPayload): InteractionReplyOptions & { withResponse?: false } {
  return {
    ...(payload.content === undefined ? {} : { content: payload.content }),
    embeds: payload.embeds ?? [],
    components: payload.components ?? [],
    allowedMentions: silentMentions(),
    ...(payload.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** For editing a deferred reply: its visibility was fixed when it was deferred. */
export function toEditOptions(payload: ReplyPayload): InteractionEditReplyOptions {
  return {
    ...(payload.content === undefined ? {} : { content: payload.content }),
    embeds: payload.embeds ?? [],
    components: payload.components ?? [],
    allowedMentions: silentMentions(),
  };
}

/** For a button that redraws the message it sits on (same visibility as that message). */
export function toUpdateOptions(payload: ReplyPayload): InteractionUpdateOptions & { withResponse?: false } {
  return {
    ...(payload.content === undefined ? {} : { content: payload.content }),
    embeds: payload.embeds ?? [],
    components: payload.components ?? [],
    allowedMentions: silentMentions(),
  };
}

/**
 * Sends `payload` whatever the interaction's state: the first reply, the edit of a deferred reply, or a follow-up
 * once it was answered. A deferred reply keeps the visibility it was deferred with.
 */
export async function sendReply(interaction: RepliableInteraction, payload: ReplyPayload): Promise<void> {
  if (interaction.replied) {
    await interaction.followUp(toReplyOptions(payload));
  } else if (interaction.deferred) {
    await interaction.editReply(toEditOptions(payload));
  } else {
    await interaction.reply(toReplyOptions(payload));
  }
}

/** Redraws the message a button sits on (editing it when the click was acknowledged already, during a start-up). */
export async function updateMessage(interaction: MessageComponentInteraction, payload: ReplyPayload): Promise<void> {
  if (interaction.deferred) await interaction.editReply(toEditOptions(payload));
  else await interaction.update(toUpdateOptions(payload));
}

/**
 * How long `respond` waits for a reply before deferring: Discord allows 3 s for the first response, and the
 * deferral itself needs a round trip, so defer well before.
 */
export const DEFER_AFTER_MS = 1500;

export interface RespondOptions {
  /** Visibility of the "thinking…" message if the reply is slow (the payload's own `ephemeral` can no longer apply). */
  deferEphemeral: boolean;
  deferAfterMs?: number;
}

/**
 * Replies with what `compute` produces: directly when it is ready in time (the usual case: catalog lookups are
 * instant, store operations take a millisecond), otherwise defers first and edits the deferred reply when it is.
 * A `compute` that throws reaches the caller (the router's error boundary), deferred or not.
 */
export async function respond(
  interaction: RepliableInteraction,
  compute: () => ReplyPayload | Promise<ReplyPayload>,
  options: RespondOptions,
): Promise<void> {
  if (interaction.deferred) {
    // Deferred already (the bot was starting up): no deadline left to race.
    await sendReply(interaction, await compute());
    return;
  }
  const work = Promise.resolve().then(compute);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(
      () => resolve("late"),
      deferDelay(interaction.createdTimestamp, options.deferAfterMs ?? DEFER_AFTER_MS),
    );
  });
  try {
    const first = await Promise.race([work, late]);
    if (first !== "late") {
      await sendReply(interaction, first);
      return;
    }
  } finally {
    clearTimeout(timer);
  }
  // `work` keeps running while the deferral is sent; a rejection is observed below, not reported as unhandled.
  work.catch(() => undefined);
  await interaction.deferReply(options.deferEphemeral ? { flags: MessageFlags.Ephemeral } : {});
  await sendReply(interaction, await work);
}

/**
 * How long from now until `deferAfterMs` after the interaction was created: time spent before the handler ran (a busy
 * event loop, a burst) counts against Discord's window too. A clock behind Discord's only makes this the full delay;
 * one ahead makes the bot defer sooner, which is harmless.
 */
export function deferDelay(createdTimestamp: number, deferAfterMs: number, now = Date.now()): number {
  const waited = Math.max(0, now - createdTimestamp);
  return Math.max(0, deferAfterMs - waited);
}

/**
 * `work`'s result, or `fallback` if it takes longer than `ms`: for autocomplete, which cannot be deferred, when it
 * needs the store. A late rejection is ignored (the answer was already given).
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
