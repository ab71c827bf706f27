/**
 * A fake Discord (REST v10 + gateway) for end-to-end tests with the real discord.js Client.
 * See README.md in this folder for a guide.
 */
export { FakeDiscord, type DispatchOptions, type FakeDiscordOptions } from "./fake-discord.js";
export {
  InteractionHandle,
  type CallbackAttempt,
  type CallbackRecord,
  type FinalReplyWaitOptions,
  type InteractionEvent,
  type InteractionEventKind,
  type ReplyWaitOptions,
} from "./interactions.js";
export type {
  AutocompleteOptions,
  ChatInputOptions,
  CommandInvocation,
  ComponentOptions,
  InvocationContext,
  OptionValue,
} from "./interaction-builders.js";
export type { FakeSettings, RecordedRequest, Violation, ViolationKind } from "./state.js";
export type { GatewayFrame, GatewayStats, SessionStart } from "./gateway.js";
export type { UploadedFile } from "./http-body.js";
export type { WaitOptions } from "./waiters.js";
export { ALL_PERMISSIONS, BOT_PERMISSIONS, MEMBER_PERMISSIONS, permissionString, type FakeGuild } from "./fixtures.js";
export {
  DISCORD_LIMITS,
  autocompleteLimitProblems,
  messageLimitProblems,
  silentMentionProblems,
  type LimitProblem,
} from "./message-limits.js";
export { DiscordSpec, type SchemaError } from "./spec-validator.js";
