/**
 * BotStore over Redis, for several processes answering for one bot. Every change is one Lua script (atomic: no
 * other command runs in between, so two processes cannot interleave a read and a write), on native structures:
 *
 *   <ns>::watchlist-films:<user>   list of film ids, oldest first
 *   <ns>::watchlist-added:<user>   hash film id → when it was added
 *   <ns>::reload-audit-log         list of JSON entries, newest first, capped
 *   <ns>::reload-refusals          hash group → JSON summary of refused attempts (member, guild, reason)
 *   <ns>::reload-refusals-by-time  sorted set group → last refusal (ms), to keep the newest groups
 *   <ns>::cooldown:<cmd>:<user>    a key that expires when the cooldown ends
 *   <ns>::catalog-generation       the generation, as Keyv wrote it (so processes of the previous version follow);
 *                                  each write is also published on the channel of the same name
 *   <ns>::guild-settings           hash server id → JSON object of the settings that server changed (setting → text);
 *                                  each change publishes the server's id on the channel of the same name
 *   <ns>::guild-settings-audit:<server>  list of JSON entries, newest first, capped
 *   <ns>::guild-settings-version   a counter, moved on by every change (the poll's cheap check)
 *
 * Data in Keyv's format (`<ns>::watchlist:<user>`, `<ns>::reload-audit`: one JSON value each) is moved into these
 * structures the first time a script meets it: the script reports it, the value is parsed here, and a second script
 * merges it and deletes the old key only if it is still exactly what was parsed. A process of the previous version
 * that writes an old key meanwhile has that write merged on the next call.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import { firstLine } from "../errors.js";
import {
  decodeKeyvValue,
  encodeKeyvValue,
  parseAuditEntries,
  parseJsonRows,
  parseLegacyWatchlist,
} from "./legacy-format.js";
import type { RedisClient, RedisLink } from "./redis-link.js";
import { parseSettingsAuditRows, parseSettingsObject } from "./settings-rows.js";
import {
  AUDIT_LOG_LIMIT,
  REFUSAL_LOG_LIMIT,
  SETTINGS_AUDIT_LIMIT,
  WATCHLIST_LIMIT,
  type AuditLog,
  type BotStore,
  type CooldownLedger,
  type GenerationMarker,
  type GuildSettingsStore,
  type ReloadAuditEntry,
  type ReloadRefusal,
  type ReloadRefusalSummary,
  type SettingsAuditEntry,
  type SettingsChangeRequest,
  type SettingsChangeResult,
  type StoreHealth,
  type WatchlistAddResult,
  type WatchlistEntry,
  type WatchlistStore,
} from "./store.js";

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/** Runs a script by its digest, sending the source only when Redis does not have it cached. */
async function runScript(client: RedisClient, { source, sha }: Script, keys: string[], args: string[]) {
  try {
    return await client.evalSha(sha, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.eval(source, { keys, arguments: args });
  }
}

/** What a script answers when the member's list is still in Keyv's format. */
const LEGACY = "legacy";

// KEYS: films, added, legacy. ARGV: film id, added at, limit.
const ADD = script(`
if redis.call('EXISTS', KEYS[3]) == 1 then return '${LEGACY}' end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 'already-listed' end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[3]) then return 'full' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[1], ARGV[1])
return 'added'
`);

// KEYS: films, added, legacy. ARGV: film id.
const REMOVE = script(`
if redis.call('EXISTS', KEYS[3]) == 1 then return '${LEGACY}' end
local forgotten = redis.call('HDEL', KEYS[2], ARGV[1])
local unlisted = redis.call('LREM', KEYS[1], 0, ARGV[1])
if forgotten == 0 and unlisted == 0 then return 'absent' end
return 'removed'
`);

// KEYS: films, added, legacy. Answers {film id, added at, film id, added at, …}, oldest first.
const LIST = script(`
if redis.call('EXISTS', KEYS[3]) == 1 then return '${LEGACY}' end
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
end
return out
`);

// KEYS: films, added, legacy. ARGV: the old value as read, then film id, added at, … (oldest first).
const MIGRATE_WATCHLIST = script(`
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[i]) end
end
redis.call('DEL', KEYS[3])
return 1
`);

// KEYS: log, legacy. ARGV: entry JSON, limit.
const RECORD = script(`
if redis.call('EXISTS', KEYS[2]) == 1 then return '${LEGACY}' end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 'recorded'
`);

// KEYS: log, legacy. ARGV: how many.
const RECENT = script(`
if redis.call('EXISTS', KEYS[2]) == 1 then return '${LEGACY}' end
return redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
`);

// KEYS: log, legacy. ARGV: the old value as read, limit, then entry JSON, … (newest first). The old entries go
// after any already in the new log: they were written before the first process of this version started.
const MIGRATE_AUDIT = script(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
for i = 3, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('DEL', KEYS[2])
return 1
`);

// KEYS: summaries, by time. ARGV: group, first summary JSON (when new), at, at in ms, limit.
const REFUSE = script(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
local summary
if current then
  summary = cjson.decode(current)
  summary.count = summary.count + 1
  if ARGV[3] > summary.lastAt then summary.lastAt = ARGV[3] end
  summary = cjson.encode(summary)
else
  summary = ARGV[2]
end
redis.call('HSET', KEYS[1], ARGV[1], summary)
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[4]) then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1]) end
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, excess - 1)
  redis.call('HDEL', KEYS[1], unpack(oldest))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return 1
`);

// KEYS: summaries, by time. ARGV: how many. Newest first.
const REFUSALS = script(`
local groups = redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
if #groups == 0 then return {} end
return redis.call('HMGET', KEYS[1], unpack(groups))
`);

// KEYS: the cooldown. ARGV: its length in ms. Answers -1 when allowed, else how many ms remain.
const TAKE_COOLDOWN = script(`
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return -1 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
  return -1
end
return left
`);

// KEYS: the generation. ARGV: the value as stored, the channel, the generation.
const PUBLISH_GENERATION = script(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`);

// KEYS: settings, the server's audit, version. ARGV: server, setting, has a value ("1"/"0"), value, at, by, limit,
// channel. Answers JSON {changed, from}. A damaged settings value counts as none (the change replaces it).
const CHANGE_SETTING = script(`
local settings = {}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' then settings = decoded end
end
local from = settings[ARGV[2]]
if type(from) ~= 'string' then from = nil end
local to = nil
if ARGV[3] == '1' then to = ARGV[4] end
if from == to then return cjson.encode({changed = false, from = from or cjson.null}) end
settings[ARGV[2]] = to
if next(settings) == nil then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(settings))
end
local entry = {at = ARGV[5], by = ARGV[6], guildId = ARGV[1], setting = ARGV[2], from = from or cjson.null,
  to = to or cjson.null}
redis.call('LPUSH', KEYS[2], cjson.encode(entry))
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
redis.call('INCR', KEYS[3])
redis.call('PUBLISH', ARGV[8], ARGV[1])
return cjson.encode({changed = true, from = from or cjson.null})
`);

const changeResultSchema = z.object({ changed: z.boolean(), from: z.string().nullable() });

/** How often one call may find and move old-format data before giving up (another process keeps rewriting it). */
const MIGRATION_ATTEMPTS = 3;

const refusalSummarySchema = z.object({
  by: z.string(),
  guildId: z.string().nullable(),
  message: z.string(),
  count: z.number(),
  firstAt: z.string(),
  lastAt: z.string(),
});

export interface RedisStoreOptions {
  namespace: string;
  logger: Logger;
  clock: () => Date;
  callTimeoutMs: number;
}

export class RedisBotStore implements BotStore {
  readonly watchlists: WatchlistStore;
  readonly reloadAudit: AuditLog;
  readonly catalogGeneration: GenerationMarker;
  readonly cooldowns: CooldownLedger;
  readonly guildSettings: GuildSettingsStore;
  private readonly generation: RedisGeneration;
  private readonly settings: RedisGuildSettings;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    options: RedisStoreOptions,
  ) {
    const key = (name: string): string => `${options.namespace}::${name}`;
    this.watchlists = new RedisWatchlists(link, key, options.logger);
    this.reloadAudit = new RedisAuditLog(link, key, options.logger);
    this.generation = new RedisGeneration(link, key("catalog-generation"), options);
    this.catalogGeneration = this.generation;
    this.settings = new RedisGuildSettings(link, key, options);
    this.guildSettings = this.settings;
    this.cooldowns = {
      take: async (command, userId, seconds) => {
        if (seconds <= 0) return { allowed: true };
        const left = await link.call("cooldown", (client) =>
          runScript(client, TAKE_COOLDOWN, [key(`cooldown:${command}:${userId}`)], [String(Math.ceil(seconds * 1000))]),
        );
        if (typeof left !== "number" || left < 0) return { allowed: true };
        return { allowed: false, retryAt: new Date(options.clock().getTime() + left) };
      },
    };
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.link.call("health check", (client) => client.ping());
      return { ok: true, detail: `${this.link.where} answers` };
    } catch (error) {
      return { ok: false, detail: firstLine(error) };
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.generation.close();
      await this.settings.close();
      await this.link.close();
    })();
    return this.closing;
  }
}

class RedisWatchlists implements WatchlistStore {
  constructor(
    private readonly link: RedisLink,
    private readonly key: (name: string) => string,
    private readonly logger: Logger,
  ) {}

  async add(userId: string, filmId: string, at: Date): Promise<WatchlistAddResult> {
    const reply = await this.run("watchlist add", userId, ADD, [filmId, at.toISOString(), String(WATCHLIST_LIMIT)]);
    if (reply === "added" || reply === "already-listed" || reply === "full") return reply;
    throw new Error(`watchlist add: unexpected reply ${JSON.stringify(reply)}`);
  }

  async remove(userId: string, filmId: string): Promise<boolean> {
    return (await this.run("watchlist remove", userId, REMOVE, [filmId])) === "removed";
  }

  async list(userId: string): Promise<WatchlistEntry[]> {
    const reply = await this.run("watchlist list", userId, LIST, []);
    const values = Array.isArray(reply) ? reply.map(String) : [];
    const entries: WatchlistEntry[] = [];
    for (let index = 0; index + 1 < values.length; index += 2) {
      const [filmId, addedAt] = [values[index]!, values[index + 1]!];
      // An id without its date would mean the two structures disagree; the id is kept so the member can remove it.
      entries.push({ filmId, addedAt: addedAt === "" ? new Date(0).toISOString() : addedAt });
    }
    return entries;
  }

  private keys(userId: string): string[] {
    return [
      this.key(`watchlist-films:${userId}`),
      this.key(`watchlist-added:${userId}`),
      this.key(`watchlist:${userId}`),
    ];
  }

  /** Runs a watchlist script, first moving the member's list out of Keyv's format if the script finds it there. */
  private run(what: string, userId: string, body: Script, args: string[]): Promise<unknown> {
    const keys = this.keys(userId);
    return this.link.call(what, async (client) => {
      for (let attempt = 0; attempt < MIGRATION_ATTEMPTS; attempt++) {
        const reply = await runScript(client, body, keys, args);
        if (reply !== LEGACY) return reply;
        const raw = await client.get(keys[2]!);
        if (raw === null) continue;
        const { entries, dropped } = parseLegacyWatchlist(decodeKeyvValue(raw));
        if (dropped > 0)
          this.logger.warn({ userId, kept: entries.length }, "watchlist had unreadable entries; they were dropped");
        await runScript(client, MIGRATE_WATCHLIST, keys, [
          raw,
          ...entries.flatMap((entry) => [entry.filmId, entry.addedAt]),
        ]);
      }
      throw new Error(`${what}: the list in the old format kept changing while it was moved`);
    });
  }
}

class RedisAuditLog implements AuditLog {
  constructor(
    private readonly link: RedisLink,
    private readonly key: (name: string) => string,
    private readonly logger: Logger,
  ) {}

  async record(entry: ReloadAuditEntry): Promise<void> {
    await this.run("record a reload", RECORD, [JSON.stringify(entry), String(AUDIT_LOG_LIMIT)]);
  }

  async recent(limit: number): Promise<ReloadAuditEntry[]> {
    if (limit <= 0) return [];
    const reply = await this.run("read the reload audit", RECENT, [String(Math.floor(limit))]);
    const rows = Array.isArray(reply) ? reply.map(String) : [];
    const { entries, dropped } = parseAuditEntries(parseJsonRows(rows));
    if (dropped > 0) this.logger.warn({ kept: entries.length }, "audit log had unreadable entries; they were dropped");
    return entries;
  }

  async recordRefusal(refusal: ReloadRefusal): Promise<void> {
    const group = JSON.stringify([refusal.by, refusal.guildId, refusal.message]);
    const first: ReloadRefusalSummary = {
      by: refusal.by,
      guildId: refusal.guildId,
      message: refusal.message,
      count: 1,
      firstAt: refusal.at,
      lastAt: refusal.at,
    };
    const atMs = Date.parse(refusal.at);
    await this.link.call("record a refused reload", (client) =>
      runScript(
        client,
        REFUSE,
        [this.key("reload-refusals"), this.key("reload-refusals-by-time")],
        [group, JSON.stringify(first), refusal.at, String(Number.isNaN(atMs) ? 0 : atMs), String(REFUSAL_LOG_LIMIT)],
      ),
    );
  }

  async recentRefusals(limit: number): Promise<ReloadRefusalSummary[]> {
    if (limit <= 0) return [];
    const reply = await this.link.call("read refused reloads", (client) =>
      runScript(
        client,
        REFUSALS,
        [this.key("reload-refusals"), this.key("reload-refusals-by-time")],
        [String(Math.floor(limit))],
      ),
    );
    const rows = Array.isArray(reply) ? reply.filter((row): row is string => typeof row === "string") : [];
    return parseJsonRows(rows).flatMap((row) => {
      const parsed = refusalSummarySchema.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private keys(): string[] {
    return [this.key("reload-audit-log"), this.key("reload-audit")];
  }

  /** Runs an audit script, first moving the log out of Keyv's format if the script finds it there. */
  private run(what: string, body: Script, args: string[]): Promise<unknown> {
    const keys = this.keys();
    return this.link.call(what, async (client) => {
      for (let attempt = 0; attempt < MIGRATION_ATTEMPTS; attempt++) {
        const reply = await runScript(client, body, keys, args);
        if (reply !== LEGACY) return reply;
        const raw = await client.get(keys[1]!);
        if (raw === null) continue;
        const { entries, dropped } = parseAuditEntries(decodeKeyvValue(raw));
        if (dropped > 0)
          this.logger.warn({ kept: entries.length }, "audit log had unreadable entries; they were dropped");
        await runScript(client, MIGRATE_AUDIT, keys, [
          raw,
          String(AUDIT_LOG_LIMIT),
          ...entries.map((entry) => JSON.stringify(entry)),
        ]);
      }
      throw new Error(`${what}: the log in the old format kept changing while it was moved`);
    });
  }
}

/**
 * The generation marker, with pub/sub: a write publishes the new generation, and subscribers get it on a second
 * connection. The key stays the truth: a subscriber that reconnects reads it once, since messages sent while it was
 * disconnected are lost.
 */
class RedisGeneration implements GenerationMarker {
  private readonly channel: RedisChannel<string>;

  constructor(
    private readonly link: RedisLink,
    private readonly key: string,
    private readonly options: RedisStoreOptions,
  ) {
    this.channel = new RedisChannel(link, key, options, {
      what: "catalog generation",
      decode: (message) => message,
      catchUp: async () => (await this.read()) ?? undefined,
      catchUpWhenListening: false,
    });
  }

  async read(): Promise<string | null> {
    const raw = await this.link.call("read the catalog generation", (client) => client.get(this.key));
    if (raw === null) return null;
    const value = decodeKeyvValue(raw);
    if (typeof value === "string") return value;
    this.options.logger.warn("catalog generation is unreadable; treated as none");
    return null;
  }

  async write(generation: string): Promise<void> {
    await this.link.call("write the catalog generation", (client) =>
      runScript(client, PUBLISH_GENERATION, [this.key], [encodeKeyvValue(generation), this.key, generation]),
    );
  }

  subscribe(onChange: (generation: string) => void): Promise<() => Promise<void>> {
    return this.channel.subscribe(onChange);
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}

/** Servers' settings: one hash for all (read whole at start), an audit list per server, a version, pub/sub. */
class RedisGuildSettings implements GuildSettingsStore {
  private readonly channel: RedisChannel<string | null>;
  private readonly settingsKey: string;
  private readonly versionKey: string;

  constructor(
    private readonly link: RedisLink,
    private readonly key: (name: string) => string,
    private readonly options: RedisStoreOptions,
  ) {
    this.settingsKey = key("guild-settings");
    this.versionKey = key("guild-settings-version");
    this.channel = new RedisChannel<string | null>(link, this.settingsKey, options, {
      what: "server settings",
      decode: (message) => message,
      // What was published while not listening is lost: listeners read everything again.
      catchUp: async () => null,
      catchUpWhenListening: true,
    });
  }

  async readAll(): Promise<Map<string, Record<string, string>>> {
    const all = await this.link.call("read server settings", (client) => client.hGetAll(this.settingsKey));
    return new Map(Object.entries(all).map(([guildId, raw]) => [guildId, parseSettingsObject(String(raw))]));
  }

  async read(guildId: string): Promise<Record<string, string>> {
    const raw = await this.link.call("read a server's settings", (client) => client.hGet(this.settingsKey, guildId));
    return raw === null || raw === undefined ? {} : parseSettingsObject(String(raw));
  }

  async change(request: SettingsChangeRequest): Promise<SettingsChangeResult> {
    const reply = await this.link.call("change a server setting", (client) =>
      runScript(
        client,
        CHANGE_SETTING,
        [this.settingsKey, this.auditKey(request.guildId), this.versionKey],
        [
          request.guildId,
          request.setting,
          request.value === null ? "0" : "1",
          request.value ?? "",
          request.at,
          request.by,
          String(SETTINGS_AUDIT_LIMIT),
          this.settingsKey,
        ],
      ),
    );
    const parsed = changeResultSchema.safeParse(typeof reply === "string" ? JSON.parse(reply) : reply);
    if (!parsed.success) throw new Error(`change a server setting: unexpected reply ${JSON.stringify(reply)}`);
    return parsed.data;
  }

  async recentChanges(guildId: string, limit: number): Promise<SettingsAuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await this.link.call("read server settings changes", (client) =>
      client.lRange(this.auditKey(guildId), 0, Math.floor(limit) - 1),
    );
    const { entries, dropped } = parseSettingsAuditRows(rows.map(String));
    if (dropped > 0)
      this.options.logger.warn({ guildId, kept: entries.length }, "settings audit had unreadable entries; left out");
    return entries;
  }

  async version(): Promise<string | null> {
    const raw = await this.link.call("read the server settings version", (client) => client.get(this.versionKey));
    return raw === null ? null : String(raw);
  }

  subscribe(onChange: (guildId: string | null) => void): Promise<() => Promise<void>> {
    return this.channel.subscribe(onChange);
  }

  close(): Promise<void> {
    return this.channel.close();
  }

  private auditKey(guildId: string): string {
    return this.key(`guild-settings-audit:${guildId}`);
  }
}

interface ChannelOptions<T> {
  /** What the channel carries, for log lines. */
  what: string;
  decode(message: string): T;
  /** What listeners are told after a reconnection (undefined: nothing), since messages sent meanwhile are lost. */
  catchUp(): Promise<T | undefined>;
  /** Also once the first subscription is acknowledged: what was published before listening began is lost too. */
  catchUpWhenListening: boolean;
}

/** One pub/sub channel, listened to on a second connection (a subscribed connection runs nothing else). */
class RedisChannel<T> {
  private readonly listeners = new Set<(message: T) => void>();
  private subscriber: RedisClient | undefined;
  /** Resolves once the subscriber connection's SUBSCRIBE was acknowledged. */
  private listening: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly channel: string,
    private readonly options: RedisStoreOptions,
    private readonly parts: ChannelOptions<T>,
  ) {}

  async subscribe(onChange: (message: T) => void): Promise<() => Promise<void>> {
    if (this.link.isClosed) return async () => undefined;
    this.listeners.add(onChange);
    const listening = this.listen();
    await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, this.options.callTimeoutMs).unref())]);
    return async () => {
      this.listeners.delete(onChange);
      if (this.listeners.size === 0) await this.close();
    };
  }

  /** Starts the subscriber connection if there is none; resolves once Redis acknowledged the subscription. */
  private listen(): Promise<void> {
    if (this.listening !== undefined) return this.listening;
    let connections = 0;
    let acknowledged = false;
    let resolveListening!: () => void;
    this.listening = new Promise((resolve) => {
      resolveListening = resolve;
    });
    const subscriber = this.link.subscriber(() => {
      // After a reconnection, catch up on what was published while disconnected.
      if (++connections > 1) void this.catchUp();
      // Once acknowledged, node-redis subscribes again by itself after each reconnection.
      if (acknowledged) return;
      subscriber
        .subscribe(this.channel, (message) => this.notify(this.parts.decode(message)))
        .then(
          () => {
            acknowledged = true;
            resolveListening();
            if (this.parts.catchUpWhenListening) void this.catchUp();
          },
          // The connection dropped before the acknowledgement: the next connection subscribes.
          () => undefined,
        );
    });
    this.subscriber = subscriber;
    return this.listening;
  }

  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.listening = undefined;
    if (subscriber !== undefined) await this.link.closeSubscriber(subscriber);
  }

  private async catchUp(): Promise<void> {
    try {
      const message = await this.parts.catchUp();
      if (message !== undefined) this.notify(message);
    } catch {
      // The poll the caller keeps will see it.
    }
  }

  private notify(message: T): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.options.logger.error({ err: error }, `${this.parts.what} listener failed`);
      }
    }
  }
}
