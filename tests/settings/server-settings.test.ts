/**
 * The in-memory settings every interaction reads: loaded at start, refreshed on change (pub/sub notices, the poll),
 * never a store call on the hot path, the defaults while the store cannot be read, and no stale read winning over a
 * change.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ServerSettings } from "../../src/settings/server-settings.js";
import { defaultSettings, type GuildSettings } from "../../src/settings/settings.js";
import { openStore } from "../../src/store/open-store.js";
import {
  StoreUnavailableError,
  type GuildSettingsStore,
  type SettingsChangeRequest,
  type SettingsChangeResult,
} from "../../src/store/store.js";
import { FIXED_NOW, removeTempDirs, silentLogger, tempDir } from "../commands/fixtures.js";
import { recordingLogger, waitFor } from "../store/helpers.js";

afterAll(removeTempDirs);

const DEFAULTS = defaultSettings({ watchRegion: "US" });
const BY = "user:123456789012345678 (mod)";
const GUILD = "300000000000000001";
const CHANNEL = "400000000000000001";

function settingsOn(store: GuildSettingsStore, logger = silentLogger()): ServerSettings {
  return new ServerSettings({ store, logger, defaults: DEFAULTS, clock: () => FIXED_NOW });
}

async function sqliteUrl(): Promise<string> {
  return `sqlite://${join(await tempDir("film-settings-"), "bot.sqlite")}`;
}

/** Counts the calls made to a store. */
function counted(store: GuildSettingsStore): { store: GuildSettingsStore; calls: () => number } {
  let calls = 0;
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls++;
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls: () => calls };
}

/**
 * A store in memory whose reads can be held, to put a read and a change in any order; `notify` plays the part of
 * Redis pub/sub.
 */
class HeldStore implements GuildSettingsStore {
  readonly data = new Map<string, Record<string, string>>();
  changes = 0;
  reads = 0;
  readAlls = 0;
  /** While set, reads wait for it; each read takes what the store held when it started. */
  hold: Promise<void> | undefined;
  notify: (guildId: string | null) => void = () => undefined;

  async readAll(): Promise<Map<string, Record<string, string>>> {
    this.readAlls++;
    const snapshot = new Map([...this.data].map(([guild, values]) => [guild, { ...values }]));
    await this.hold;
    return snapshot;
  }

  async read(guildId: string): Promise<Record<string, string>> {
    this.reads++;
    const snapshot = { ...this.data.get(guildId) };
    await this.hold;
    return snapshot;
  }

  async change(request: SettingsChangeRequest): Promise<SettingsChangeResult> {
    const values = { ...this.data.get(request.guildId) };
    const from = values[request.setting] ?? null;
    if (from === request.value) return { changed: false, from };
    if (request.value === null) delete values[request.setting];
    else values[request.setting] = request.value;
    this.data.set(request.guildId, values);
    this.changes++;
    return { changed: true, from };
  }

  async recentChanges(): Promise<never[]> {
    return [];
  }

  async version(): Promise<string | null> {
    return this.changes === 0 ? null : String(this.changes);
  }

  async subscribe(onChange: (guildId: string | null) => void): Promise<() => Promise<void>> {
    this.notify = onChange;
    return async () => undefined;
  }
}

function held(): { promise: Promise<void>; release: () => void } {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const place = { channelId: CHANNEL, parentChannelId: null };

describe("server settings in memory", () => {
  it("reads every server's settings at start, then answers from memory: no store call per interaction", async () => {
    const store = await openStore(await sqliteUrl(), { logger: silentLogger() });
    try {
      await store.guildSettings.change({
        at: "x",
        by: BY,
        guildId: GUILD,
        setting: "card-visibility",
        value: "private",
      });
      await store.guildSettings.change({ at: "x", by: BY, guildId: "2", setting: "region", value: "FR" });
      const { store: countedStore, calls } = counted(store.guildSettings);
      const settings = settingsOn(countedStore);
      expect(settings.of(GUILD)).toEqual(DEFAULTS);
      expect(await settings.load()).toBe(true);
      const afterLoad = calls();
      for (let index = 0; index < 1000; index++) {
        expect(settings.cardVisibility(GUILD, place)).toBe("private");
        expect(settings.cardVisibility("2", place)).toBe("public");
        expect(settings.of("2").region).toBe("FR");
      }
      expect(calls()).toBe(afterLoad);
      expect(settings.of("a server that changed nothing")).toEqual(DEFAULTS);
      expect(settings.of(null)).toEqual(DEFAULTS);
      expect(settings.cardVisibility(null, place)).toBe("public");
    } finally {
      await store.close();
    }
  });

  it("puts a change in force here at once, and says what it was and became", async () => {
    const store = await openStore(await sqliteUrl(), { logger: silentLogger() });
    try {
      const settings = settingsOn(store.guildSettings);
      await settings.load();
      expect(await settings.change(GUILD, "region", "FR", BY)).toEqual({
        changed: true,
        from: "United States (US) (the default)",
        to: "France (FR)",
      });
      expect(settings.of(GUILD).region).toBe("FR");
      expect(await settings.change(GUILD, "region", "FR", BY)).toEqual({
        changed: false,
        from: "France (FR)",
        to: "France (FR)",
      });
      expect(await settings.change(GUILD, "publicChannelIds", [CHANNEL], BY)).toMatchObject({ to: `<#${CHANNEL}>` });
      expect(settings.cardVisibility(GUILD, { channelId: "999", parentChannelId: null })).toBe("private");
      expect(settings.storedOf(GUILD)).toEqual({ region: "FR", "public-channels": CHANNEL });
      expect(await store.guildSettings.recentChanges(GUILD, 5)).toEqual([
        {
          at: FIXED_NOW.toISOString(),
          by: BY,
          guildId: GUILD,
          setting: "public-channels",
          from: null,
          to: CHANNEL,
        },
        { at: FIXED_NOW.toISOString(), by: BY, guildId: GUILD, setting: "region", from: null, to: "FR" },
      ]);
      await settings.change(GUILD, "region", null, BY);
      expect(settings.of(GUILD).region).toBe("US");
    } finally {
      await store.close();
    }
  });

  it("sees another process's change at the next poll over SQLite (no pub/sub there), and reads nothing more while none", async () => {
    const url = await sqliteUrl();
    const [first, second] = [
      await openStore(url, { logger: silentLogger() }),
      await openStore(url, { logger: silentLogger() }),
    ];
    try {
      const here = settingsOn(first.guildSettings);
      const { store: countedStore, calls } = counted(second.guildSettings);
      const there = settingsOn(countedStore);
      await Promise.all([here.load(), there.load(), there.subscribe()]);
      await here.change(GUILD, "cardVisibility", "private", BY);
      expect(there.cardVisibility(GUILD, place)).toBe("public");
      await there.follow();
      expect(there.cardVisibility(GUILD, place)).toBe("private");
      const before = calls();
      await there.follow();
      // One look at the version: unchanged, so nothing is read.
      expect(calls()).toBe(before + 1);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("applies the defaults while the store cannot be read, keeps what it read once the store goes, and refuses changes", async () => {
    const { logger, lines } = recordingLogger();
    const down = await openStore(await sqliteUrl(), { logger: silentLogger() });
    await down.close();
    const unread = settingsOn(down.guildSettings, logger);
    expect(await unread.load()).toBe(false);
    expect(unread.loaded).toBe(false);
    expect(unread.of(GUILD)).toEqual(DEFAULTS);
    expect(lines.some((line) => line.msg.startsWith("server settings unavailable: the defaults apply"))).toBe(true);

    const store = await openStore(await sqliteUrl(), { logger: silentLogger() });
    const settings = settingsOn(store.guildSettings);
    await settings.load();
    await settings.change(GUILD, "adultFilms", true, BY);
    await store.close();
    await expect(settings.follow()).rejects.toThrow(StoreUnavailableError);
    await expect(settings.change(GUILD, "adultFilms", false, BY)).rejects.toThrow(StoreUnavailableError);
    expect(settings.of(GUILD).adultFilms).toBe(true);
  });

  it("refreshes the server a notice names, everything after a reconnection, and reads again once the store is back", async () => {
    const store = new HeldStore();
    const settings = settingsOn(store);
    await settings.load();
    await settings.subscribe();
    store.data.set(GUILD, { "card-visibility": "private" });
    store.notify(GUILD);
    expect(await waitFor(() => settings.of(GUILD).cardVisibility === "private", 1000)).toBe(true);
    expect(store.readAlls).toBe(1);
    store.data.set("2", { region: "JP" });
    store.notify(null);
    expect(await waitFor(() => settings.of("2").region === "JP", 1000)).toBe(true);
    expect(store.readAlls).toBe(2);
  });

  it("never lets a read that started before a change here undo it, even for a moment", async () => {
    const store = new HeldStore();
    const settings = settingsOn(store);
    await settings.load();
    await settings.subscribe();
    // A notice's read starts, and waits…
    const stale = held();
    store.hold = stale.promise;
    store.notify(GUILD);
    expect(await waitFor(() => store.reads === 1, 1000)).toBe(true);
    // …while a moderator makes cards private here; the read after the change waits too.
    const fresh = held();
    store.hold = fresh.promise;
    const changing = settings.change(GUILD, "cardVisibility", "private", BY);
    expect(await waitFor(() => settings.of(GUILD).cardVisibility === "private", 1000)).toBe(true);
    stale.release();
    expect(await waitFor(() => store.reads === 2, 1000)).toBe(true);
    expect(settings.of(GUILD).cardVisibility).toBe("private");
    fresh.release();
    await changing;
    expect(settings.of(GUILD).cardVisibility).toBe("private");
  });

  it("logs stored values it cannot read and leaves them at their defaults", async () => {
    const { logger, lines } = recordingLogger();
    const store = new HeldStore();
    store.data.set(GUILD, { region: "Narnia", "adult-films": "true" });
    const settings = settingsOn(store, logger);
    await settings.load();
    const expected: GuildSettings = { ...DEFAULTS, adultFilms: true };
    expect(settings.of(GUILD)).toEqual(expected);
    expect(lines).toContainEqual(
      expect.objectContaining({ guildId: GUILD, settings: ["region"], msg: expect.stringContaining("cannot read") }),
    );
  });

  it("keeps servers apart", async () => {
    const store = new HeldStore();
    const settings = settingsOn(store);
    await settings.load();
    const [one, other] = [randomUUID(), randomUUID()];
    await settings.change(one, "cardVisibility", "private", BY);
    expect(settings.cardVisibility(one, place)).toBe("private");
    expect(settings.cardVisibility(other, place)).toBe("public");
  });
});
