/**
 * A burst of 200 interactions at once (slash commands, autocomplete, button clicks): every one must be answered
 * within Discord's 3 s window. Prints the callback latency percentiles; asserts no other timing (the machine is noisy).
 */
import { describe, expect, it } from "vitest";
import { encodeCardButtonId, FILM_VIEWS } from "../../src/cards/film-card.js";
import type { InteractionHandle } from "../fake-discord/index.js";
import { dataFilms, SEED_ID, useHarness } from "./harness.js";

const harness = useHarness();

const BURST = 200;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** The i-th interaction of the burst: a mix of /movie by id and by text, autocomplete, and card buttons. */
function send(index: number, ids: readonly string[], titles: readonly string[]): InteractionHandle {
  const { fake } = harness();
  const id = ids[index % ids.length]!;
  switch (index % 5) {
    case 0:
      return fake.sendCommand({ name: "movie", options: { title: id } });
    case 1:
      return fake.sendCommand({ name: "movie", options: { title: titles[index % titles.length]!.toLowerCase() } });
    case 2:
    case 3:
      return fake.sendAutocomplete({
        name: "movie",
        focused: "title",
        options: { title: titles[index % titles.length]!.slice(0, 1 + (index % 7)) },
      });
    default:
      return fake.sendComponent({
        customId: encodeCardButtonId({ filmId: id, view: FILM_VIEWS[index % FILM_VIEWS.length]!, page: 0 }),
      });
  }
}

describe("a burst of interactions", () => {
  it(`answers all ${BURST} within the 3 s window`, async () => {
    const films = [...dataFilms()];
    const ids = [SEED_ID, ...films.map((film) => film.id)];
    const titles = films.map((film) => film.title);
    harness().fake.clearRecords();
    const handles = Array.from({ length: BURST }, (_, index) => send(index, ids, titles));
    const callbacks = await Promise.all(handles.map((handle) => handle.response()));
    const latencies = callbacks.map((callback) => callback.elapsedMs).sort((a, b) => a - b);
    console.log(
      `burst of ${BURST} (movie by id/text, autocomplete, buttons): callback latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    expect(callbacks).toHaveLength(BURST);
    expect(handles.every((handle) => !handle.expired)).toBe(true);
    expect(latencies.at(-1)).toBeLessThan(3000);
    // Replies to slash commands are complete messages (nothing was left deferred).
    const commandReplies = await Promise.all(
      handles.filter((_, index) => index % 5 < 2).map((handle) => handle.waitForReply()),
    );
    expect(commandReplies.every((message) => message.embeds.length > 0 || (message.content ?? "") !== "")).toBe(true);
    expect(harness().fake.violations).toEqual([]);
    expect(harness().fake.unknownRoutes).toEqual([]);
  });
});
