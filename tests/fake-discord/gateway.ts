import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
} from "discord.js";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { isRecord, numberOrUndefined, stringOrUndefined, type JsonRecord } from "./json.js";
import { randomSessionId } from "./snowflake.js";

/** Counters of what happened on the gateway since the fake started. */
export interface GatewayStats {
  /** WebSocket connections accepted. */
  connections: number;
  /** Successful IDENTIFYs (new sessions). */
  identifies: number;
  /** Successful RESUMEs. */
  resumes: number;
  /** Heartbeats received. */
  heartbeats: number;
  /** INVALID_SESSION (op 9) sent, by a failed RESUME or `invalidateSession()`. */
  invalidSessions: number;
}

/** How a client (re)established its session. */
export type SessionStart = "identified" | "resumed";

/** One gateway frame, for debugging and assertions (`fake.gatewayFrames`). */
export interface GatewayFrame {
  direction: "received" | "sent";
  op: number;
  t: string | null;
  s: number | null;
  at: number;
}

export interface GatewayConfig {
  token: string;
  heartbeatIntervalMs: number;
  /** `ws://127.0.0.1:<port>`: sent as `resume_gateway_url` so resumes come back here. */
  url(): string;
  /** The READY payload for a new session. */
  ready(sessionId: string, resumeUrl: string, shard: [number, number]): GatewayReadyDispatchData;
  /** One GUILD_CREATE per guild listed (as unavailable) in READY. */
  guildCreates(): GatewayGuildCreateDispatchData[];
  /** Called after every state change, so waits re-check. */
  changed(): void;
}

interface DispatchedEvent {
  s: number;
  t: string;
  d: unknown;
}

interface Connection {
  socket: WebSocket;
  session: GatewaySession | undefined;
}

/** A gateway session: survives dropped connections and is continued by RESUME. */
class GatewaySession {
  readonly id = randomSessionId();
  seq = 0;
  /** Every dispatch, kept so a RESUME can replay what the client missed. */
  readonly events: DispatchedEvent[] = [];
  connection: Connection | undefined;

  constructor(readonly intents: number) {}
}

/** Client opcodes Discord accepts after authentication that the fake acknowledges by ignoring. */
const IGNORED_CLIENT_OPCODES = new Set<number>([
  GatewayOpcodes.PresenceUpdate,
  GatewayOpcodes.VoiceStateUpdate,
  GatewayOpcodes.RequestGuildMembers,
  GatewayOpcodes.RequestSoundboardSounds,
]);

/** How long `close()` lets a client answer the closing handshake before cutting the socket. */
const CLOSE_GRACE_MS = 500;

function parseFrame(data: RawData): JsonRecord | undefined {
  try {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data as ArrayBuffer).toString("utf8");
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function shardOf(identify: JsonRecord): [number, number] {
  const shard = identify["shard"];
  if (Array.isArray(shard) && typeof shard[0] === "number" && typeof shard[1] === "number") return [shard[0], shard[1]];
  return [0, 1];
}

/**
 * The WebSocket half of the fake: HELLO, IDENTIFY -> READY + GUILD_CREATEs, heartbeats, RESUME
 * with replay, sequence numbers, and controls to break the connection on purpose.
 */
export class FakeGateway {
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, invalidSessions: 0 };
  readonly frames: GatewayFrame[] = [];
  /** Every session establishment, in order, with `performance.now()` times. */
  readonly starts: { how: SessionStart; at: number }[] = [];
  /** `performance.now()` of the last deliberate disruption (drop, invalidate, reconnect request). */
  lastDisruptionAt = Number.NEGATIVE_INFINITY;
  /** When false, heartbeats get no ACK, so the client must detect a zombie connection. */
  ackHeartbeats = true;
  /** Whether an IDENTIFY is answered with READY (a gateway that takes it and never answers, when false). */
  sendReady = true;

  private readonly server = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, GatewaySession>();
  private currentSession: GatewaySession | undefined;

  constructor(private readonly config: GatewayConfig) {}

  /** Hand an HTTP `upgrade` over to the gateway. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Whether some client has a session that dispatches can go to. */
  get hasSession(): boolean {
    return this.currentSession !== undefined;
  }

  /**
   * Sends a dispatch (op 0) on the current session and returns its sequence number. If the
   * connection is down, the event waits in the session and is replayed on RESUME, as on Discord.
   */
  dispatch(event: string, data: unknown): number {
    if (!this.currentSession) throw new Error("No gateway session: log the client in (and wait for ClientReady) first");
    return this.dispatchTo(this.currentSession, event, data);
  }

  /** Closes every client socket: abruptly (no close frame, client sees 1006) or with `code`. */
  dropConnections(code?: number): number {
    this.lastDisruptionAt = performance.now();
    const connections = [...this.connections];
    for (const connection of connections) {
      if (code === undefined) connection.socket.terminate();
      else connection.socket.close(code, "fake-discord dropConnections");
    }
    return connections.length;
  }

  /** Sends INVALID_SESSION (op 9). Not resumable: the session is forgotten and the client must re-IDENTIFY. */
  invalidateSession(resumable: boolean): void {
    this.lastDisruptionAt = performance.now();
    for (const connection of this.connections) {
      if (!connection.session) continue;
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
      this.stats.invalidSessions += 1;
      if (!resumable) this.forget(connection.session);
    }
  }

  /** Sends RECONNECT (op 7): the client should close and RESUME. */
  requestReconnect(): void {
    this.lastDisruptionAt = performance.now();
    for (const connection of this.connections) {
      this.send(connection, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
    }
  }

  /**
   * Ends every connection. A client still connected gets 4004 (authentication failed), one of
   * the codes after which discord.js stops reconnecting, so a forgotten client cannot keep the
   * test process alive by retrying a closed port.
   */
  async close(): Promise<void> {
    await Promise.all([...this.connections].map((connection) => this.closeConnection(connection)));
    this.server.close();
  }

  private async closeConnection(connection: Connection): Promise<void> {
    const { socket } = connection;
    if (socket.readyState === WebSocket.CLOSED) return;
    const closed = once(socket, "close");
    socket.close(GatewayCloseCodes.AuthenticationFailed, "fake Discord is shutting down");
    const grace = new AbortController();
    await Promise.race([closed, sleep(CLOSE_GRACE_MS, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    socket.terminate();
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const connection: Connection = { socket, session: undefined };
    this.connections.add(connection);
    this.stats.connections += 1;
    socket.on("message", (data) => this.onFrame(connection, data));
    socket.on("close", () => this.onClose(connection));
    // Errors (e.g. a client vanishing mid-frame) end in "close"; they must not crash the test run.
    socket.on("error", () => undefined);
    const refusal = this.refuseQuery(new URL(request.url ?? "/", "ws://127.0.0.1").searchParams);
    if (refusal) {
      socket.close(refusal.code, refusal.reason);
      return;
    }
    this.send(connection, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.config.heartbeatIntervalMs },
      s: null,
      t: null,
    });
    this.config.changed();
  }

  /** Discord's checks on the connect URL: API version 10, JSON encoding, no transport compression here. */
  private refuseQuery(query: URLSearchParams): { code: number; reason: string } | undefined {
    if (query.get("v") !== "10") return { code: GatewayCloseCodes.InvalidAPIVersion, reason: "Invalid API version" };
    if (query.get("encoding") !== "json")
      return { code: GatewayCloseCodes.DecodeError, reason: "fake supports encoding=json only" };
    if (query.has("compress"))
      return { code: GatewayCloseCodes.UnknownError, reason: "fake does not support transport compression" };
    return undefined;
  }

  private onClose(connection: Connection): void {
    this.connections.delete(connection);
    if (connection.session?.connection === connection) connection.session.connection = undefined;
    this.config.changed();
  }

  private onFrame(connection: Connection, data: RawData): void {
    const frame = parseFrame(data);
    if (!frame) {
      connection.socket.close(GatewayCloseCodes.DecodeError, "Error while decoding payload");
      return;
    }
    const op = numberOrUndefined(frame["op"]) ?? -1;
    this.frames.push({ direction: "received", op, t: null, s: null, at: Date.now() });
    const payload = isRecord(frame["d"]) ? frame["d"] : {};
    if (op === GatewayOpcodes.Heartbeat) this.onHeartbeat(connection);
    else if (op === GatewayOpcodes.Identify) this.onIdentify(connection, payload);
    else if (op === GatewayOpcodes.Resume) this.onResume(connection, payload);
    else if (!connection.session) connection.socket.close(GatewayCloseCodes.NotAuthenticated, "Not authenticated");
    else if (!IGNORED_CLIENT_OPCODES.has(op))
      connection.socket.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode");
  }

  private onHeartbeat(connection: Connection): void {
    this.stats.heartbeats += 1;
    if (this.ackHeartbeats) this.send(connection, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
    this.config.changed();
  }

  /** Closes the connection when an IDENTIFY/RESUME is not acceptable at all; true if it did. */
  private refusedAuthentication(connection: Connection, token: unknown): boolean {
    if (connection.session) {
      connection.socket.close(GatewayCloseCodes.AlreadyAuthenticated, "Already authenticated");
      return true;
    }
    if (token !== this.config.token) {
      connection.socket.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed");
      return true;
    }
    return false;
  }

  private onIdentify(connection: Connection, identify: JsonRecord): void {
    if (this.refusedAuthentication(connection, identify["token"])) return;
    if (!this.sendReady) return;
    const intents = numberOrUndefined(identify["intents"]);
    if (intents === undefined) {
      connection.socket.close(GatewayCloseCodes.InvalidIntents, "Invalid intent(s)");
      return;
    }
    const session = new GatewaySession(intents);
    this.sessions.set(session.id, session);
    this.currentSession = session;
    this.attach(connection, session);
    const resumeUrl = this.config.url();
    this.dispatchTo(session, GatewayDispatchEvents.Ready, this.config.ready(session.id, resumeUrl, shardOf(identify)));
    // discord.js waits (15 s by default) for a GUILD_CREATE per guild READY lists as unavailable.
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guild of this.config.guildCreates())
        this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, guild);
    }
    this.stats.identifies += 1;
    this.starts.push({ how: "identified", at: performance.now() });
    this.config.changed();
  }

  private onResume(connection: Connection, resume: JsonRecord): void {
    if (this.refusedAuthentication(connection, resume["token"])) return;
    const session = this.sessions.get(stringOrUndefined(resume["session_id"]) ?? "");
    const seq = numberOrUndefined(resume["seq"]) ?? 0;
    if (!session || seq > session.seq) {
      this.send(connection, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      this.stats.invalidSessions += 1;
      this.config.changed();
      return;
    }
    // A session lives on one connection; resuming it elsewhere kicks the old one, as on Discord.
    if (session.connection && session.connection !== connection) session.connection.socket.terminate();
    this.attach(connection, session);
    this.currentSession = session;
    for (const event of session.events.filter((missed) => missed.s > seq)) {
      this.send(connection, { op: GatewayOpcodes.Dispatch, t: event.t, s: event.s, d: event.d });
    }
    session.seq += 1;
    this.send(connection, {
      op: GatewayOpcodes.Dispatch,
      t: GatewayDispatchEvents.Resumed,
      s: session.seq,
      d: { _trace: ["fake-discord"] },
    });
    this.stats.resumes += 1;
    this.starts.push({ how: "resumed", at: performance.now() });
    this.config.changed();
  }

  private attach(connection: Connection, session: GatewaySession): void {
    connection.session = session;
    session.connection = connection;
  }

  private forget(session: GatewaySession): void {
    this.sessions.delete(session.id);
    if (this.currentSession === session) this.currentSession = undefined;
  }

  private dispatchTo(session: GatewaySession, event: string, data: unknown): number {
    session.seq += 1;
    const dispatched = { s: session.seq, t: event, d: data };
    session.events.push(dispatched);
    if (session.connection) this.send(session.connection, { op: GatewayOpcodes.Dispatch, ...dispatched });
    return dispatched.s;
  }

  private send(connection: Connection, frame: { op: number; d: unknown; s: number | null; t: string | null }): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    connection.socket.send(JSON.stringify(frame));
    this.frames.push({ direction: "sent", op: frame.op, t: frame.t, s: frame.s, at: Date.now() });
  }
}
