/**
 * The bot's metrics in Prometheus' text format (prom-client), served at GET /metrics: the process's defaults (CPU,
 * memory, event-loop lag, garbage collection) and what an operator watches — interactions by command, kind and
 * outcome, the time to each first response, the catalog, reloads and store errors.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { InteractionReport } from "./interactions/router.js";

export class BotMetrics {
  readonly registry = new Registry();
  private readonly interactions: Counter<"command" | "kind" | "outcome">;
  private readonly responseSeconds: Histogram<"command" | "kind">;
  private readonly catalogFilms: Gauge;
  private readonly catalogGeneration: Gauge<"generation">;
  private readonly reloads: Counter<"outcome">;
  private readonly storeErrors: Counter<"operation">;
  private catalogState: (() => { films: number; generation: string | null }) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.interactions = new Counter({
      name: "film_bot_interactions_total",
      help: "Interactions handled, by command (or button prefix), kind and outcome.",
      labelNames: ["command", "kind", "outcome"],
      registers,
    });
    this.responseSeconds = new Histogram({
      name: "film_bot_interaction_response_seconds",
      help: "Time from an interaction's arrival to its first response (Discord allows 3 s).",
      labelNames: ["command", "kind"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3],
      registers,
    });
    const catalogNow = (): { films: number; generation: string | null } | undefined => this.catalogState?.();
    this.catalogFilms = new Gauge({
      name: "film_bot_catalog_films",
      help: "Films in the catalog served.",
      registers,
      collect() {
        const state = catalogNow();
        if (state !== undefined) this.set(state.films);
      },
    });
    this.catalogGeneration = new Gauge({
      name: "film_bot_catalog_generation_info",
      help: "The catalog generation served (1 for the current one): replicas that agree serve the same catalog.",
      labelNames: ["generation"],
      registers,
      collect() {
        const state = catalogNow();
        if (state === undefined) return;
        this.reset();
        this.set({ generation: state.generation ?? "none" }, 1);
      },
    });
    this.reloads = new Counter({
      name: "film_bot_catalog_reloads_total",
      help: "Catalog reloads by outcome (reloaded, refused, failed).",
      labelNames: ["outcome"],
      registers,
    });
    this.storeErrors = new Counter({
      name: "film_bot_store_errors_total",
      help: "Store calls that failed or timed out, by operation.",
      labelNames: ["operation"],
      registers,
    });
  }

  interaction(report: InteractionReport): void {
    this.interactions.inc({ command: report.command, kind: report.kind, outcome: report.outcome });
    if (report.firstResponseSeconds !== null) {
      this.responseSeconds.observe({ command: report.command, kind: report.kind }, report.firstResponseSeconds);
    }
  }

  /** Where the catalog gauges read the films served and their generation, at each scrape. */
  watchCatalog(state: () => { films: number; generation: string | null }): void {
    this.catalogState = state;
  }

  reload(outcome: string): void {
    this.reloads.inc({ outcome });
  }

  storeError(operation: string): void {
    this.storeErrors.inc({ operation });
  }

  /** The text GET /metrics serves, and its content type. */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
