import type { APIUser } from "discord.js";
import { CommandStore } from "./commands.js";
import type { FakeGuild } from "./fixtures.js";
import type { UploadedFile } from "./http-body.js";
import type { InteractionRecord } from "./interactions.js";
import { MessageStore } from "./messages.js";
import { ChangeWaiters } from "./waiters.js";

/** Behaviour a test may change while the fake runs (`fake.settings.x = ...`). */
export interface FakeSettings {
  /** How long (ms) the bot has to acknowledge an interaction; Discord's is 3000. */
  ackWindowMs: number;
  /** How long (ms) an interaction token works for webhook edits/follow-ups; Discord's is 15 min. */
  interactionTokenLifetimeMs: number;
  /**
   * Record a violation when a message body lacks `allowed_mentions: { parse: [] }` (the bot's
   * "film text never pings" rule). Turn off when testing clients that do not follow that rule.
   */
  requireSilentMentions: boolean;
  /**
   * Answer bodies that break the schema or Discord's limits with 400 / code 50035 "Invalid Form
   * Body", as Discord would. Off by default: the request succeeds and only a violation is recorded.
   */
  rejectInvalidBodies: boolean;
}

/** Identity of the fake's application and the world it serves. */
export interface FakeWorld {
  token: string;
  applicationId: string;
  botUser: APIUser;
  /** The user who invokes commands unless a builder is told otherwise. */
  defaultUser: APIUser;
  guilds: readonly FakeGuild[];
  /** `GET /applications/@me` body. */
  application: Record<string, unknown>;
}

/** One HTTP request the client made, as the fake saw and answered it. */
export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10`, percent-decoded (`@original`, not `%40original`). */
  path: string;
  /** The raw request URL path and query, as sent. */
  url: string;
  /** The matched route as written in Discord's OpenAPI spec, or null for an unknown route. */
  route: string | null;
  query: Record<string, string>;
  /** JSON body (or multipart `payload_json`); undefined when there was none. */
  body: unknown;
  files: UploadedFile[];
  encoding: "json" | "multipart" | "none" | "other";
  /** Whether a valid `Authorization: Bot <token>` header was present. */
  authorized: boolean;
  /** HTTP status the fake answered (0 while the request is still being handled). */
  status: number;
  /** The JSON body the fake answered with; undefined for empty (204) responses. */
  response: unknown;
  /** Wall-clock arrival time, ms since epoch. */
  at: number;
}

/**
 * What is wrong with something the client sent:
 * - `schema`: the body breaks Discord's OpenAPI request schema;
 * - `limit`: it breaks a documented limit the schema does not encode (embed totals, rows...);
 * - `mentions`: a message body lacks `allowed_mentions: { parse: [] }` (see `requireSilentMentions`);
 * - `protocol`: Discord would have refused the request (second or late acknowledgement,
 *   unknown interaction token, editing a message that does not exist...);
 * - `internal`: the fake itself failed while handling the request (a bug in the fake; answered 500).
 */
export type ViolationKind = "schema" | "limit" | "mentions" | "protocol" | "internal";

export interface Violation {
  kind: ViolationKind;
  /** `METHOD /spec/path`, e.g. `POST /interactions/{interaction_id}/{interaction_token}/callback`. */
  route: string;
  /** JSON pointer into the body, when the problem is in the body. */
  path?: string;
  message: string;
  body?: unknown;
  /** The interaction the request was about, when known. */
  interactionId?: string;
  at: number;
}

/** A 429 the fake will answer instead of handling matching requests. */
export interface RateLimitInjection {
  /** Which requests: `"METHOD /spec/path"`, a regexp tested on `"METHOD /actual/path"`, or any (undefined). */
  route?: string | RegExp;
  /** `retry_after`, in seconds (fractions allowed so tests stay fast). Default 0.05. */
  retryAfterSeconds: number;
  /** Mark it a global rate limit (`X-RateLimit-Global`). */
  global: boolean;
  /** How many more matching requests get the 429. */
  remaining: number;
}

/** Everything the REST and gateway halves of the fake share. */
export class FakeState {
  readonly requests: RecordedRequest[] = [];
  readonly unknownRoutes: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  readonly messages = new MessageStore();
  readonly commands: CommandStore;
  readonly waiters = new ChangeWaiters();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly rateLimits: RateLimitInjection[] = [];

  constructor(
    readonly world: FakeWorld,
    readonly settings: FakeSettings,
  ) {
    this.commands = new CommandStore(world.applicationId);
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    for (const record of this.interactions.values()) {
      if (record.token === token) return record;
    }
    return undefined;
  }

  addViolation(violation: Omit<Violation, "at">): void {
    this.violations.push({ ...violation, at: Date.now() });
  }

  /** Call after every state change so pending `waitFor...` helpers re-check. */
  changed(): void {
    this.waiters.notify();
  }
}
