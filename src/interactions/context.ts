import type { Logger } from "pino";
import type { CatalogHolder } from "../reload/holder.js";
import type { Config } from "../config/config.js";
import type { BotStore } from "../store/store.js";
import { CatalogReloader, type CatalogReloaderParts } from "../reload/reloader.js";
import { ServerSettings } from "../settings/server-settings.js";
import { defaultSettings } from "../settings/settings.js";

/**
 * What handlers depend on, passed in rather than imported, so a handler runs in a test without Discord, a disk or
 * a real clock.
 */
export interface BotContext {
  readonly catalog: CatalogHolder;
  readonly store: BotStore;
  readonly logger: Logger;
  readonly config: Config;
  /** Reloads with audit and the multi-process generation marker (the /reload command and SIGHUP). */
  readonly reloader: CatalogReloader;
  /**
   * Each server's settings (region, card visibility, public channels, adult films), read from memory: `of(guildId)`
   * and the router's `cardVisibility(…)` never wait on the store. Changed with `change(…)` (/settings).
   */
  readonly settings: ServerSettings;
  /** Now; a fixed clock in tests. */
  readonly clock: () => Date;
  /** Uniform in [0, 1); seeded in tests. */
  readonly random: () => number;
}

export type BotContextParts = Omit<BotContext, "reloader" | "settings">;

/**
 * The context, with the reloader and the server settings wired to the same holder, store, logger, configuration and
 * clock; `onReload` is told of every load and reload (metrics). The settings start at their defaults: the bot reads
 * the stored ones at start (`settings.load()`).
 */
export function createBotContext(parts: BotContextParts, onReload?: CatalogReloaderParts["onOutcome"]): BotContext {
  const reloader = new CatalogReloader({
    holder: parts.catalog,
    store: parts.store,
    logger: parts.logger,
    clock: parts.clock,
    ...(onReload === undefined ? {} : { onOutcome: onReload }),
  });
  const settings = new ServerSettings({
    store: parts.store.guildSettings,
    logger: parts.logger,
    defaults: defaultSettings(parts.config),
    clock: parts.clock,
  });
  return { ...parts, reloader, settings };
}
