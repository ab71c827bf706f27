/**
 * Servers' settings as every interaction reads them: from memory, never from the store. Read whole at start; then,
 * like the catalog generation, refreshed when the store says a server changed (Redis pub/sub, at once) and when the
 * settings version moved (the poll, the safety net for a message lost while disconnected, and all there is on
 * SQLite). A change made here is in force here at once. With the store down, what was read stays in force — the
 * defaults, when nothing could be read yet — and changes are refused (the store throws).
 *
 * Refreshes run one at a time, in the order they were asked for, each reading after the change that caused it: a
 * slow read that started before a change can never be the last word on it.
 */
import type { Logger } from "pino";
import { StoreUnavailableError, type GuildSettingsStore } from "../store/store.js";
import {
  cardAnswerVisibility,
  describeStored,
  encodeSetting,
  readStoredSettings,
  SETTINGS,
  type AnswerPlace,
  type CardVisibility,
  type GuildSettings,
  type SettingField,
} from "./settings.js";

export interface ServerSettingsParts {
  store: GuildSettingsStore;
  logger: Logger;
  defaults: GuildSettings;
  clock: () => Date;
}

/** A change as the member is told of it: the values before and after, as members read them. */
export interface SettingChangeOutcome {
  /** false when the setting already had that value (nothing was written or audited). */
  changed: boolean;
  from: string;
  to: string;
}

export class ServerSettings {
  readonly defaults: GuildSettings;
  private readonly store: GuildSettingsStore;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  /** What each server changed, as stored, and the settings in force that follow from it. */
  private stored = new Map<string, Readonly<Record<string, string>>>();
  private settings = new Map<string, GuildSettings>();
  /** Whether everything was read once; until then, every server has the defaults. */
  private loadedOnce = false;
  /**
   * The version everything was last read at (null: no change was ever made); undefined when nothing was read yet or
   * a refresh failed since, so that the next poll reads everything.
   */
  private knownVersion: string | null | undefined = undefined;
  private queued: { all: boolean; guilds: Set<string> } = { all: false, guilds: new Set() };
  /** Counts changes made here; `changedHere` holds the count at each server's latest, to spot reads older than it. */
  private changesHere = 0;
  private readonly changedHere = new Map<string, number>();
  private draining: Promise<void> | undefined;

  constructor(parts: ServerSettingsParts) {
    this.store = parts.store;
    this.logger = parts.logger;
    this.defaults = parts.defaults;
    this.clock = parts.clock;
  }

  /** The settings in force in `guildId` (the defaults in DMs, for a server that changed none, or before the first read). */
  of(guildId: string | null): GuildSettings {
    return (guildId === null ? undefined : this.settings.get(guildId)) ?? this.defaults;
  }

  /** What `guildId` changed, as stored (setting key → text): the rest is at its default. */
  storedOf(guildId: string): Readonly<Record<string, string>> {
    return this.stored.get(guildId) ?? {};
  }

  /** Whether the settings were read from the store at least once (false: the defaults apply everywhere for now). */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Where a card answer to a member in `guildId`, at `place`, goes: from memory, for the router. */
  cardVisibility(guildId: string | null, place: AnswerPlace): CardVisibility {
    return guildId === null ? "public" : cardAnswerVisibility(this.of(guildId), place);
  }

  /** Reads every server's settings: at start. Never rejects; false when the store could not answer. */
  async load(): Promise<boolean> {
    await this.schedule(null);
    return this.knownVersion !== undefined;
  }

  /** What the poll does: read everything again if the version moved since (or nothing could be read yet). */
  async follow(): Promise<void> {
    const version = await this.store.version();
    if (this.knownVersion !== undefined && version === this.knownVersion) return;
    await this.schedule(null);
  }

  /** Listens for changes made by any process (Redis); returns the way to stop. Never rejects. */
  subscribe(): Promise<() => Promise<void>> {
    return this.store.subscribe((guildId) => void this.schedule(guildId));
  }

  /**
   * Changes one setting of one server (`value` null: back to the default), audited as made by `by`, and puts it in
   * force here at once. Throws StoreUnavailableError when the store cannot take it: then nothing changed.
   */
  async change<Field extends SettingField>(
    guildId: string,
    field: Field,
    value: GuildSettings[Field] | null,
    by: string,
  ): Promise<SettingChangeOutcome> {
    const key = SETTINGS[field].key;
    const text = encodeSetting(field, value);
    const result = await this.store.change({ at: this.clock().toISOString(), by, guildId, setting: key, value: text });
    const fields = { guildId, by, setting: key, from: result.from, to: text };
    if (result.changed) this.logger.info(fields, "server setting changed");
    else this.logger.debug(fields, "server setting already had that value");
    // In force here at once. A read under way may predate the change: what it found for this server is not used,
    // and the server is read again after it.
    const current = { ...this.stored.get(guildId) };
    if (text === null) delete current[key];
    else current[key] = text;
    this.put(guildId, current);
    this.changedHere.set(guildId, ++this.changesHere);
    await this.schedule(guildId);
    return {
      changed: result.changed,
      from: describeStored(field, result.from, this.defaults),
      to: describeStored(field, text, this.defaults),
    };
  }

  /** Queues a refresh of one server (null: of everything); resolves when it and those before it are done. */
  private schedule(guildId: string | null): Promise<void> {
    if (guildId === null) this.queued.all = true;
    else this.queued.guilds.add(guildId);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queued.all || this.queued.guilds.size > 0) {
      const { all, guilds } = this.queued;
      this.queued = { all: false, guilds: new Set() };
      try {
        if (all) await this.readAll();
        else
          for (const guildId of guilds) {
            const startedAt = this.changesHere;
            const stored = await this.store.read(guildId);
            if (!this.changedSince(guildId, startedAt)) this.put(guildId, stored);
          }
      } catch (error) {
        // Read everything at the next poll (or reconnection) instead.
        this.knownVersion = undefined;
        if (error instanceof StoreUnavailableError) {
          if (!this.loadedOnce)
            this.logger.warn(
              { reason: error.reason },
              "server settings unavailable: the defaults apply until the store answers",
            );
        } else {
          this.logger.error({ err: error }, "could not read server settings");
        }
      }
    }
  }

  private async readAll(): Promise<void> {
    // The version first: a change made while everything is read moves it, and the next poll reads again.
    const startedAt = this.changesHere;
    const version = await this.store.version();
    const all = await this.store.readAll();
    const [previousStored, previousSettings] = [this.stored, this.settings];
    this.stored = new Map();
    this.settings = new Map();
    for (const [guildId, stored] of all) if (!this.changedSince(guildId, startedAt)) this.put(guildId, stored);
    // Servers changed here during the read keep what the change put in force (and are read again after it).
    for (const [guildId, count] of this.changedHere) {
      if (count <= startedAt) continue;
      const [stored, settings] = [previousStored.get(guildId), previousSettings.get(guildId)];
      if (stored !== undefined && settings !== undefined) {
        this.stored.set(guildId, stored);
        this.settings.set(guildId, settings);
      }
    }
    this.knownVersion = version;
    this.loadedOnce = true;
  }

  /** Whether this process changed `guildId` since the change count was `count`. */
  private changedSince(guildId: string, count: number): boolean {
    return (this.changedHere.get(guildId) ?? 0) > count;
  }

  private put(guildId: string, stored: Readonly<Record<string, string>>): void {
    if (Object.keys(stored).length === 0) {
      this.stored.delete(guildId);
      this.settings.delete(guildId);
      return;
    }
    const { settings, unreadable } = readStoredSettings(stored, this.defaults);
    if (unreadable.length > 0)
      this.logger.warn({ guildId, settings: unreadable }, "server settings this version cannot read: defaults apply");
    this.stored.set(guildId, stored);
    this.settings.set(guildId, settings);
  }
}
