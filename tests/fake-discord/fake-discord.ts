import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  APIApplicationCommand,
  APIApplicationCommandAutocompleteInteraction,
  APIChatInputApplicationCommandInteraction,
  APIInteraction,
  APIMessage,
  APIMessageComponentInteraction,
  APIUser,
  ApplicationFlags,
  GatewayReadyDispatchData,
} from "discord.js";
import { buildApplication, buildGuild, makeBotUser, makeUser, type FakeGuild } from "./fixtures.js";
import { FakeGateway, type GatewayFrame, type GatewayStats, type SessionStart } from "./gateway.js";
import {
  buildAutocompleteInteraction,
  buildChatInputInteraction,
  buildComponentInteraction,
  type AutocompleteOptions,
  type BuilderContext,
  type ChatInputOptions,
  type ComponentOptions,
} from "./interaction-builders.js";
import { EXPIRY_SETTLE_MS, InteractionHandle, InteractionRecord, type CallbackRecord } from "./interactions.js";
import { FakeRestApi } from "./rest-server.js";
import { generateSigningKeys, signatureHeaders, type SigningKeys } from "./signing.js";
import { nextSnowflake, randomBotToken } from "./snowflake.js";
import { DiscordSpec } from "./spec-validator.js";
import { FakeState, type FakeSettings, type RecordedRequest, type Violation } from "./state.js";
import { DEFAULT_WAIT_MS, type WaitOptions } from "./waiters.js";

export interface FakeDiscordOptions {
  /** The bot token the fake accepts (REST `Authorization: Bot <token>` and gateway IDENTIFY). Default: random. */
  token?: string;
  /** HELLO's heartbeat_interval (ms). Discord's is 41250; lower it in tests to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /** The window (ms) to acknowledge an interaction before it is "Unknown interaction". Default 3000. */
  ackWindowMs?: number;
  /** How long (ms) interaction tokens work for webhook edits and follow-ups. Default 15 minutes. */
  interactionTokenLifetimeMs?: number;
  /** See {@link FakeSettings.requireSilentMentions}. Default true. */
  requireSilentMentions?: boolean;
  /** See {@link FakeSettings.rejectInvalidBodies}. Default false. */
  rejectInvalidBodies?: boolean;
  /** Guilds the bot is in. Default: one guild "Film Club" with a text channel "films". */
  guilds?: { name?: string; textChannelName?: string }[];
  /** Overrides for the bot user (READY `user`, `GET /users/@me`). */
  botUser?: Partial<APIUser>;
  /** Overrides for the default user who invokes commands. */
  user?: Partial<APIUser>;
}

/** Per-dispatch overrides for {@link FakeDiscord.sendInteraction}. */
export interface DispatchOptions {
  /** This interaction's acknowledgement window (ms); default `settings.ackWindowMs`. */
  ackWindowMs?: number;
}

const NO_APPLICATION_FLAGS = 0 as ApplicationFlags;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 41_250;
const DEFAULT_ACK_WINDOW_MS = 3000;
const DEFAULT_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * A local stand-in for Discord that the real discord.js v14 `Client` can log in to: REST v10 on
 * `restUrl`, the gateway on `gatewayUrl` (same port). Tests dispatch interactions, then inspect
 * what the bot answered, every request it made, and any rule it broke (`violations`).
 *
 * ```ts
 * const fake = await FakeDiscord.start({ heartbeatIntervalMs: 250 });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl } });
 * await client.login(fake.token);
 * const reply = await fake.sendCommand({ name: "film", options: { title: "Alien" } }).waitForReply();
 * expect(fake.violations).toEqual([]);
 * await client.destroy();
 * await fake.close();
 * ```
 */
export class FakeDiscord {
  /** Behaviour a test may change at any time. */
  readonly settings: FakeSettings;
  private readonly state: FakeState;
  private readonly gateway: FakeGateway;
  private readonly server: Server;
  private readonly expiryTimers = new Set<NodeJS.Timeout>();
  private readonly dmChannels = new Map<string, string>();
  private port = 0;
  private closed = false;
  /** The application's signing keys, for interactions POSTed to an Interactions Endpoint URL. */
  private readonly signing: SigningKeys = generateSigningKeys();
  /** Where interactions go when set: POSTed, signed, to this URL instead of dispatched over the gateway. */
  private endpoint: string | null = null;
  /** Interactions POSTed and not yet answered, by token: their webhooks wait for the answer to be taken in. */
  private readonly deliveries = new Map<string, Promise<void>>();

  private constructor(options: FakeDiscordOptions) {
    this.settings = {
      ackWindowMs: options.ackWindowMs ?? DEFAULT_ACK_WINDOW_MS,
      interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS,
      requireSilentMentions: options.requireSilentMentions ?? true,
      rejectInvalidBodies: options.rejectInvalidBodies ?? false,
    };
    this.state = new FakeState(FakeDiscord.buildWorld(options), this.settings);
    this.gateway = new FakeGateway({
      token: this.state.world.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      url: () => this.gatewayUrl,
      ready: (sessionId, resumeUrl, shard) => this.readyPayload(sessionId, resumeUrl, shard),
      guildCreates: () => this.state.world.guilds.map((guild) => guild.createPayload),
      changed: () => this.state.changed(),
    });
    const rest = new FakeRestApi(this.state, DiscordSpec.shared(), () => this.gatewayUrl);
    rest.warmUp();
    this.server = createServer((request, response) => {
      // Only a client aborting mid-body can make this fail; drop that connection quietly.
      void this.afterDelivery(request.url ?? "")
        .then(() => rest.handle(request, response))
        .catch(() => response.destroy());
    });
    // Longer than any test, so the server never closes an idle keep-alive socket just as a client
    // reuses it (ECONNRESET); close() ends them all anyway.
    this.server.keepAliveTimeout = 120_000;
    this.server.on("upgrade", (request, socket, head: Buffer) => this.gateway.handleUpgrade(request, socket, head));
  }

  /** Starts a fake on a random port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.port = await listen(fake.server);
    return fake;
  }

  private static buildWorld(options: FakeDiscordOptions) {
    const botUser = makeBotUser(options.botUser);
    const owner = makeUser({ username: "club_owner" });
    const defaultUser = makeUser(options.user);
    const applicationId = botUser.id;
    const guildOptions = options.guilds ?? [{}];
    const guilds = guildOptions.map((guild) => buildGuild({ ...guild, botUser, members: [owner, defaultUser] }));
    return {
      token: options.token ?? randomBotToken(botUser.id),
      applicationId,
      botUser,
      defaultUser,
      guilds,
      application: buildApplication(applicationId, botUser, owner),
    };
  }

  // ---- interactions over HTTP --------------------------------------------------------------

  /** The application's public key (64 hex characters): the bot's DISCORD_PUBLIC_KEY in "http" mode. */
  get interactionsPublicKey(): string {
    return this.signing.publicKeyHex;
  }

  /** Signs a request body as this application's Discord would. */
  signatureHeaders(body: string, timestamp?: string): Record<string, string> {
    return signatureHeaders(this.signing.privateKey, body, timestamp);
  }

  /**
   * From now on, interactions are POSTed, signed, to `url` (the Interactions Endpoint URL) and the HTTP response is
   * taken as their first response, as Discord does; null goes back to the gateway.
   */
  setInteractionsEndpoint(url: string | null): void {
    this.endpoint = url;
  }

  /** A webhook call for an interaction whose HTTP answer is still being taken in waits for it (as at Discord). */
  private async afterDelivery(url: string): Promise<void> {
    const token = /\/webhooks\/\d+\/([^/?]+)/.exec(url)?.[1];
    const pending = token === undefined ? undefined : this.deliveries.get(decodeURIComponent(token));
    if (pending !== undefined) await pending;
  }

  /** POSTs the interaction to the endpoint; a 200 answer is taken in through the callback route (validated). */
  private deliverOverHttp(url: string, record: InteractionRecord): void {
    const body = JSON.stringify(record.payload);
    const delivery = (async () => {
      let status: number;
      let answer: string;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.signatureHeaders(body) },
          body,
        });
        status = response.status;
        answer = await response.text();
      } catch (error) {
        this.state.addViolation({
          kind: "protocol",
          route: "POST interactions endpoint",
          message: `the interactions endpoint failed: ${error instanceof Error ? error.message : String(error)}`,
          interactionId: record.id,
        });
        return;
      }
      if (status !== 200) {
        this.state.addViolation({
          kind: "protocol",
          route: "POST interactions endpoint",
          message: `the interactions endpoint answered ${status} to ${record.describe()}: ${answer.slice(0, 200)}`,
          interactionId: record.id,
        });
        return;
      }
      await fetch(`${this.restUrl}/v10/interactions/${record.id}/${record.token}/callback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: answer,
      }).then((response) => response.arrayBuffer());
    })().finally(() => this.deliveries.delete(record.token));
    this.deliveries.set(record.token, delivery);
  }

  // ---- identity ----------------------------------------------------------------------------

  /** Pass as `rest.api` in the Client options (discord.js appends `/v10`). */
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The gateway URL `GET /gateway/bot` returns (discord.js appends `?v=10&encoding=json`). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The bot token to `client.login()` with. */
  get token(): string {
    return this.state.world.token;
  }

  /** The application id (the same as the bot user's id, as for real bots). */
  get applicationId(): string {
    return this.state.world.applicationId;
  }

  get botUser(): APIUser {
    return this.state.world.botUser;
  }

  /** The user who invokes commands unless a builder is given another. */
  get user(): APIUser {
    return this.state.world.defaultUser;
  }

  get guilds(): readonly FakeGuild[] {
    return this.state.world.guilds;
  }

  /** The first (by default only) guild. */
  get guild(): FakeGuild {
    const [guild] = this.state.world.guilds;
    if (!guild) throw new Error("The fake was started with no guilds");
    return guild;
  }

  /** A new user (not a guild member in GUILD_CREATE), e.g. a second person clicking a button. */
  makeUser(overrides: Partial<APIUser> = {}): APIUser {
    return makeUser(overrides);
  }

  // ---- records -----------------------------------------------------------------------------

  /** Every HTTP request, in arrival order. */
  get requests(): readonly RecordedRequest[] {
    return this.state.requests;
  }

  /** Requests no route handled (answered 404/405). A healthy bot makes none. */
  get unknownRoutes(): readonly RecordedRequest[] {
    return this.state.unknownRoutes;
  }

  /** Everything the client sent that Discord would reject or the bot's rules forbid. */
  get violations(): readonly Violation[] {
    return this.state.violations;
  }

  get gatewayStats(): Readonly<GatewayStats> {
    return this.gateway.stats;
  }

  /** Gateway frames sent and received (op, t, s), for debugging. */
  get gatewayFrames(): readonly GatewayFrame[] {
    return this.gateway.frames;
  }

  /** Registered commands: global ones, or a guild's when `guildId` is given. */
  commands(guildId?: string): readonly APIApplicationCommand[] {
    return this.state.commands.list(guildId);
  }

  /** Current state of a message the fake knows (replies, follow-ups, clicked messages). */
  message(id: string): APIMessage | undefined {
    return this.state.messages.get(id);
  }

  /** The handle of a dispatched interaction. */
  interaction(id: string): InteractionHandle | undefined {
    const record = this.state.interactions.get(id);
    return record ? this.handleFor(record) : undefined;
  }

  /** Forgets recorded requests, unknown routes and violations (e.g. between tests sharing a fake). */
  clearRecords(): void {
    this.state.requests.length = 0;
    this.state.unknownRoutes.length = 0;
    this.state.violations.length = 0;
  }

  // ---- REST controls -----------------------------------------------------------------------

  /**
   * Answers the next `times` matching requests with 429 and `retry_after` (seconds; fractions
   * allowed so tests stay fast), to test that the client waits and retries.
   * `route`: `"METHOD /spec/path"` (e.g. `"POST /webhooks/{webhook_id}/{webhook_token}"`), or a
   * regexp tested on `"METHOD /actual/path"`; default: any route.
   */
  injectRateLimit(
    options: { route?: string | RegExp; retryAfterSeconds?: number; global?: boolean; times?: number } = {},
  ): void {
    this.state.rateLimits.push({
      ...(options.route === undefined ? {} : { route: options.route }),
      retryAfterSeconds: options.retryAfterSeconds ?? 0.05,
      global: options.global ?? false,
      remaining: options.times ?? 1,
    });
  }

  // ---- gateway controls --------------------------------------------------------------------

  /** Resolves once a client has identified and received READY (for tests that start a bot in the background). */
  async waitForSession(options: WaitOptions = {}): Promise<void> {
    await this.state.waiters.waitFor(() => (this.gateway.hasSession ? true : undefined), {
      timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
      describe: () => "a client to IDENTIFY",
    });
  }

  /**
   * Closes every gateway connection: abruptly by default (the client sees 1006 and RESUMEs), or
   * with `code` (4000-4009 RESUME; 1000 or 4007/4009 make discord.js re-IDENTIFY, which its identify
   * throttle delays up to ~6.5 s after the previous IDENTIFY). Returns how many were closed.
   */
  dropConnections(code?: number): number {
    return this.gateway.dropConnections(code);
  }

  /**
   * Resolves with how the client came back (`resumed` / `identified`) after the last
   * `dropConnections()`, `invalidateSession()` or `requestReconnect()`. Default timeout 5 s.
   */
  waitForReconnect(options: WaitOptions = {}): Promise<SessionStart> {
    return this.state.waiters.waitFor(
      () => this.gateway.starts.find((start) => start.at > this.gateway.lastDisruptionAt)?.how,
      {
        timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS,
        describe: () => "the client to RESUME or IDENTIFY after the last disruption",
      },
    );
  }

  /** Sends INVALID_SESSION; unless `resumable`, the client must IDENTIFY anew. */
  invalidateSession(resumable = false): void {
    this.gateway.invalidateSession(resumable);
  }

  /** Sends RECONNECT (op 7): the client closes and RESUMEs. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Stop (or resume) answering heartbeats, so the client detects a zombie connection and reconnects. */
  setHeartbeatAcks(enabled: boolean): void {
    this.gateway.ackHeartbeats = enabled;
  }

  /** Stop (or go back to) answering IDENTIFY with READY: a gateway that takes the session and never starts it. */
  setReady(enabled: boolean): void {
    this.gateway.sendReady = enabled;
  }

  /** Sends any dispatch event (e.g. `GUILD_DELETE`) on the current session; returns its sequence number. */
  dispatch(event: string, data: unknown): number {
    return this.gateway.dispatch(event, data);
  }

  // ---- interactions ------------------------------------------------------------------------

  /** A slash-command payload (not sent); see {@link ChatInputOptions}. */
  buildCommandInteraction(options: ChatInputOptions): APIChatInputApplicationCommandInteraction {
    return buildChatInputInteraction(this.builderContext(), options);
  }

  /** An autocomplete payload (not sent); see {@link AutocompleteOptions}. */
  buildAutocompleteInteraction(options: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
    return buildAutocompleteInteraction(this.builderContext(), options);
  }

  /** A button / string-select payload (not sent); see {@link ComponentOptions}. */
  buildComponentInteraction(options: ComponentOptions): APIMessageComponentInteraction {
    return buildComponentInteraction(this.builderContext(), options);
  }

  /**
   * Dispatches INTERACTION_CREATE to the connected client and starts the acknowledgement clock.
   * The returned handle tells what the bot did: `response()`, `waitForReply()`, `followUps`...
   */
  sendInteraction(payload: APIInteraction, options: DispatchOptions = {}): InteractionHandle {
    if (this.closed) throw new Error("The fake is closed");
    if (this.endpoint === null && !this.gateway.hasSession)
      throw new Error("No gateway session: log the client in (and wait for ClientReady) first");
    const record = new InteractionRecord(
      payload,
      options.ackWindowMs ?? this.settings.ackWindowMs,
      this.settings.interactionTokenLifetimeMs,
    );
    // A clicked message must be known so `@original` edits and type-7 updates can apply to it.
    if (payload.message && !this.state.messages.get(payload.message.id)) this.state.messages.put(payload.message);
    this.state.interactions.set(record.id, record);
    if (this.endpoint === null) this.gateway.dispatch("INTERACTION_CREATE", payload);
    else this.deliverOverHttp(this.endpoint, record);
    this.scheduleExpiry(record);
    return this.handleFor(record);
  }

  /** Builds and dispatches a slash command. */
  sendCommand(options: ChatInputOptions, dispatch: DispatchOptions = {}): InteractionHandle {
    return this.sendInteraction(this.buildCommandInteraction(options), dispatch);
  }

  /** Builds and dispatches an autocomplete request. */
  sendAutocomplete(options: AutocompleteOptions, dispatch: DispatchOptions = {}): InteractionHandle {
    return this.sendInteraction(this.buildAutocompleteInteraction(options), dispatch);
  }

  /** Builds and dispatches a button click / select choice. */
  sendComponent(options: ComponentOptions, dispatch: DispatchOptions = {}): InteractionHandle {
    return this.sendInteraction(this.buildComponentInteraction(options), dispatch);
  }

  /** The accepted initial response of interaction `interactionId`; see {@link InteractionHandle.response}. */
  waitForResponse(interactionId: string, options: WaitOptions = {}): Promise<CallbackRecord> {
    const handle = this.interaction(interactionId);
    if (!handle) return Promise.reject(new Error(`No interaction ${interactionId} was dispatched by this fake`));
    return handle.response(options);
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  /**
   * Stops everything: gateway sockets (a still-connected client gets close code 4004 so it stops
   * reconnecting), the HTTP server and its keep-alive sockets, timers and pending waits. Destroy
   * the discord.js Client first for a clean shutdown.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.expiryTimers) clearTimeout(timer);
    this.expiryTimers.clear();
    this.state.waiters.closeAll(new Error("The fake Discord was closed"));
    await this.gateway.close();
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // discord.js (undici) keeps connections alive; without this, close() would wait for them.
    this.server.closeAllConnections();
    await serverClosed;
  }

  private handleFor(record: InteractionRecord): InteractionHandle {
    return new InteractionHandle(record, this.state.messages, this.state.waiters);
  }

  /** Wakes waits when the acknowledgement window closes, so `response()` rejects on time. */
  private scheduleExpiry(record: InteractionRecord): void {
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(timer);
        this.state.changed();
      },
      record.ackWindowMs + EXPIRY_SETTLE_MS + 1,
    );
    timer.unref();
    this.expiryTimers.add(timer);
  }

  private builderContext(): BuilderContext {
    const { world, commands } = this.state;
    return {
      applicationId: world.applicationId,
      botUser: world.botUser,
      defaultUser: world.defaultUser,
      guilds: world.guilds,
      findCommand: (name, guildId) => commands.find(name, guildId),
      dmChannelIdFor: (userId) => {
        const existing = this.dmChannels.get(userId);
        if (existing) return existing;
        const created = nextSnowflake();
        this.dmChannels.set(userId, created);
        return created;
      },
    };
  }

  private readyPayload(sessionId: string, resumeUrl: string, shard: [number, number]): GatewayReadyDispatchData {
    const { world } = this.state;
    return {
      v: 10,
      user: world.botUser,
      guilds: world.guilds.map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: resumeUrl,
      shard,
      application: { id: world.applicationId, flags: NO_APPLICATION_FLAGS, flags_new: "0" },
    };
  }
}
