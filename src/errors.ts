/**
 * Error text, in one place: what a member may read, and the one-line forms operators read in logs, reports and on
 * the command line (a stack trace or a multi-line message would bury the point).
 */

import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from "discord-api-types/v10";

/**
 * An error whose message is meant for the member: the interaction router shows it as is, privately — or, when it
 * carries a `reply`, that message instead (a question with a menu to pick from, say). Any other error is logged and
 * the member sees a generic apology with a reference.
 */
export class UserFacingError extends Error {
  override readonly name = "UserFacingError";
  readonly reply: PrivateMessage | undefined;

  constructor(message: string, options: { reply?: PrivateMessage; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reply = options.reply;
  }
}

/** A message shown only to the member (see UserFacingError). */
export interface PrivateMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** The first line of an error's message, trimmed: reports and start-up failures stay one line per problem. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n", 1)[0]?.trim() || "unknown error";
}

/** A Node system error's code ("ENOENT"), if it has one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

const FILE_SYSTEM_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "not found",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a folder",
  ENOTDIR: "not a folder",
  EMFILE: "too many open files",
  ELOOP: "too many symbolic links",
  EIO: "input/output error",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
};

/** "not found" rather than "ENOENT: no such file or directory, open '…'", which repeats the path the caller names. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  return (code === undefined ? undefined : FILE_SYSTEM_ERRORS[code]) ?? firstLine(error);
}
