import type { Logger } from "pino";
import { Catalog } from "../catalog/catalog.js";
import { loadDataDir, type LoadResult } from "../catalog/load.js";
import type { PreviousFilms } from "../catalog/pages/page-worker-pool.js";
import { runStepsWithPauses } from "../catalog/steps.js";
import { firstLine } from "../errors.js";
import { startCollection } from "./collector.js";

/**
 * What a load found, without the films: an outcome is kept by whoever asked for the reload (the reply to a
 * moderator, the audit, a test), and the films it would otherwise carry are a whole catalog — after a refused
 * reload, one nobody serves.
 */
export type LoadReport = Omit<LoadResult, "films">;

/** The result of a reload: what a moderator reads, and what the audit log keeps. */
export type ReloadOutcome =
  | {
      status: "reloaded";
      films: number;
      previousFilms: number;
      load: LoadReport;
      durationMs: number;
      /** No film changed: the catalog in service was kept as it is, not built again. */
      unchanged?: boolean;
    }
  | { status: "refused"; reason: string; films: number; previousFilms: number; load: LoadReport; durationMs: number }
  | { status: "failed"; reason: string; previousFilms: number; durationMs: number };

/**
 * Holds the current catalog. A reload builds a complete new Catalog off to the side and swaps one reference:
 * lookups in flight keep the catalog they started with, and nothing ever sees half a catalog.
 */
export interface CatalogHolder {
  readonly current: Catalog;
  /**
   * Re-reads the data folder. Refuses to lose more than half the films unless forced, and to lose every film unless
   * that is confirmed too; a failure keeps the old catalog. Reloads are serialized: one asked for while another runs
   * starts when that one ends, so the last reload always reflects the folder as it was after the last request; and
   * requests that arrive while one waits to start join it (twenty SIGHUPs in a row are one reload, then one more).
   */
  reload(options: ReloadOptions): Promise<ReloadOutcome>;
  /** Puts in place a catalog built elsewhere: the one loaded at start while the bot already listens. */
  replace(catalog: Catalog): void;
}

export interface ReloadOptions {
  /** Accept a catalog that loses more than half the films. */
  force: boolean;
  /** Accept, with force, a catalog with no film at all. */
  confirmEmpty?: boolean;
}

export interface CatalogHolderOptions {
  dataDir: string;
  initial: Catalog;
  logger: Logger;
  /**
   * How the folder is read; loadDataDir unless a test wraps it (to observe overlapping loads, for instance).
   * `previous` is the catalog being replaced: the films that did not change keep their bytes, which the load workers
   * then need not send again.
   */
  load?: (dataDir: string, previous: PreviousFilms) => Promise<LoadResult>;
}

export function createCatalogHolder(options: CatalogHolderOptions): CatalogHolder {
  return new SwappingCatalogHolder(options);
}

/** Whether going from `previous` to `next` films loses more than half of them. */
export function losesMoreThanHalf(previous: number, next: number): boolean {
  return next * 2 < previous;
}

class SwappingCatalogHolder implements CatalogHolder {
  private catalog: Catalog;
  /** Settles when the last reload asked for has ended (holding no outcome: a refused load must not stay alive). */
  private queue: Promise<void> = Promise.resolve();
  /** A reload waiting for the one running, which later requests with the same options join. */
  private waiting: { key: string; outcome: Promise<ReloadOutcome> } | undefined;
  private readonly dataDir: string;
  private readonly logger: Logger;
  private readonly load: (dataDir: string, previous: PreviousFilms) => Promise<LoadResult>;

  constructor(options: CatalogHolderOptions) {
    this.catalog = options.initial;
    this.dataDir = options.dataDir;
    this.logger = options.logger;
    this.load = options.load ?? ((dir, previous) => loadDataDir(dir, { previous }));
  }

  get current(): Catalog {
    return this.catalog;
  }

  replace(catalog: Catalog): void {
    this.catalog = catalog;
    // The load that made it left its garbage: the steady state starts without it.
    startCollection();
  }

  reload(options: ReloadOptions): Promise<ReloadOutcome> {
    const key = `${options.force}/${options.confirmEmpty === true}`;
    if (this.waiting?.key === key) return this.waiting.outcome;
    const outcome = this.queue.then(() => {
      if (this.waiting?.outcome === outcome) this.waiting = undefined;
      return this.reloadNow(options.force, options.confirmEmpty === true);
    });
    this.waiting = { key, outcome };
    // The queue must go on after a rejection; reloadNow catches everything, but stay safe.
    this.queue = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome;
  }

  private async reloadNow(force: boolean, confirmEmpty: boolean): Promise<ReloadOutcome> {
    try {
      return await this.loadAndSwap(force, confirmEmpty);
    } finally {
      // Whatever the outcome, the reload leaves garbage: the catalog it replaced, the one it refused, or its load.
      startCollection();
    }
  }

  private async loadAndSwap(force: boolean, confirmEmpty: boolean): Promise<ReloadOutcome> {
    const started = performance.now();
    const current = this.catalog;
    const previousFilms = current.size;
    const elapsed = (): number => Math.round(performance.now() - started);
    let report: LoadReport;
    let next: Catalog;
    try {
      const { films, ...rest } = await this.load(this.dataDir, current);
      report = rest;
      if (films.length === 0 && previousFilms > 0 && !(force && confirmEmpty)) {
        const reason =
          `the data folder has no films: the catalog would be empty instead of ${previousFilms} films; ` +
          "check the data folder, or reload with force and confirm_empty to accept it";
        return { status: "refused", reason, films: 0, previousFilms, load: report, durationMs: elapsed() };
      }
      if (!force && losesMoreThanHalf(previousFilms, films.length)) {
        const reason =
          `the new catalog would have ${films.length} films instead of ${previousFilms} (more than half lost); ` +
          "check the data folder, or reload with force to accept it";
        return { status: "refused", reason, films: films.length, previousFilms, load: report, durationMs: elapsed() };
      }
      // Nothing changed (a reload to check, a supervisor's SIGHUP): building the same catalog again would cost the
      // time, memory and pauses of a build for nothing.
      if (await runStepsWithPauses(current.sameFilmsSteps(films))) {
        return {
          status: "reloaded",
          films: current.size,
          previousFilms,
          load: report,
          durationMs: elapsed(),
          unchanged: true,
        };
      }
      // Built in slices: the bot keeps answering interactions while a big catalog is indexed.
      next = await Catalog.buildWithPauses(films);
    } catch (error) {
      const reason = firstLine(error);
      this.logger.warn({ err: error, dataDir: this.dataDir }, "catalog reload failed; keeping the current catalog");
      return { status: "failed", reason, previousFilms, durationMs: elapsed() };
    }
    // The swap: one assignment, after the new catalog is complete.
    this.catalog = next;
    return { status: "reloaded", films: next.size, previousFilms, load: report, durationMs: elapsed() };
  }
}
