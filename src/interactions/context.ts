import type { Logger } from "pino";
import type { CatalogHolder } from "../reload/holder.js";
import type { Config } from "../config/config.js";
import type { BotStore } from "../store/store.js";
import { CatalogReloader, type CatalogReloaderParts } from "../reload/reloader.js";

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
  /** Now; a fixed clock in tests. */
  readonly clock: () => Date;
  /** Uniform in [0, 1); seeded in tests. */
  readonly random: () => number;
}

export type BotContextParts = Omit<BotContext, "reloader">;

/**
 * The context, with the reloader wired to the same holder, store, logger and clock; `onReload` is told of every
 * load and reload (metrics).
 */
export function createBotContext(parts: BotContextParts, onReload?: CatalogReloaderParts["onOutcome"]): BotContext {
  const reloader = new CatalogReloader({
    holder: parts.catalog,
    store: parts.store,
    logger: parts.logger,
    clock: parts.clock,
    ...(onReload === undefined ? {} : { onOutcome: onReload }),
  });
  return { ...parts, reloader };
}
