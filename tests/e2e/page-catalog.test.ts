/**
 * A catalog big enough for the page workers (2,100 pages: films kept as their pages, see src/catalog/page-film.ts)
 * through the real bot: cards, autocomplete, people and buttons read the pages as members use them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { APIApplicationCommandOptionChoice } from "discord.js";
import { describe, expect, it } from "vitest";
import { PageFilm } from "../../src/catalog/pages/page-film.js";
import { parsePage } from "../../src/catalog/pages/parse-page.js";
import { buildFilmCard } from "../../src/cards/film-card.js";
import { tempDir } from "../commands/fixtures.js";
import { buttonIds, SEED_ID, SEED_PAGE, useHarness } from "./harness.js";

const PAGES = 2100;
const SEED = await readFile(SEED_PAGE, "utf8");

/** The film known by another title too. */
const KNOWN_AS = 42;

/** The seed page as film `i`: its own title, year and lead actor; film KNOWN_AS has another title. */
function pageOf(i: number): string {
  const page = SEED.replaceAll("Miss You Already", `Harbour Lights ${i}`)
    .replaceAll("2015", String(1950 + (i % 70)))
    .replaceAll("Toni Collette", `Actor Number${i}`);
  return i === KNOWN_AS
    ? page.replace("No valid json found", "No valid json found\n\nAlso Known As: Lumières du port")
    : page;
}

async function bigDataDir(): Promise<string> {
  const dir = join(await tempDir("film-bot-pages-"), "data");
  await mkdir(join(dir, "pages"), { recursive: true });
  await writeFile(join(dir, "000_ca69434de1f8644e.txt"), SEED);
  await Promise.all(
    Array.from({ length: PAGES }, (_, i) =>
      writeFile(join(dir, "pages", `${String(i).padStart(4, "0")}.txt`), pageOf(i)),
    ),
  );
  return dir;
}

const harness = useHarness({ dataDir: await bigDataDir() });

describe("a catalog of 2,100 pages, kept as pages", () => {
  it("was parsed on the page workers", () => {
    const catalog = harness().bot.context.catalog.current;
    expect(catalog.size).toBe(PAGES + 1);
    expect(catalog.get(SEED_ID)).toBeInstanceOf(PageFilm);
  });

  it("shows a film's card as the page parsed in full gives it", async () => {
    const message = await harness()
      .fake.sendCommand({ name: "movie", options: { title: "harbour lights 1234" } })
      .waitForFinalReply();
    const expected = buildFilmCard(parsePage(pageOf(1234), "pages/1234.txt"));
    expect(message.embeds).toEqual(expected.embeds.map((embed) => ({ type: "rich", ...embed })));
  });

  it("finds a page's film by the other title its page gives", async () => {
    const message = await harness()
      .fake.sendCommand({ name: "movie", options: { title: "lumieres du port" } })
      .waitForFinalReply();
    expect(message.embeds[0]?.title).toBe(`Harbour Lights ${KNOWN_AS} (${1950 + KNOWN_AS})`);
  });

  it("completes titles, finds people and turns card pages", async () => {
    const callback = await harness()
      .fake.sendAutocomplete({ name: "movie", focused: "title", options: { title: "harbor lights 77" } })
      .response();
    const { choices } = callback.data as { choices: APIApplicationCommandOptionChoice[] };
    expect(choices[0]?.name).toMatch(/^Harbour Lights 77 \(/);

    const person = await harness()
      .fake.sendCommand({ name: "person", options: { name: "actor number 42" } })
      .waitForFinalReply();
    expect(JSON.stringify(person.embeds)).toContain("Harbour Lights 42");

    const card = await harness()
      .fake.sendCommand({ name: "movie", options: { title: SEED_ID } })
      .waitForFinalReply();
    const castId = buttonIds(card)["Cast"];
    expect(castId).toBeDefined();
    const handle = harness().fake.sendComponent({ customId: castId!, message: card });
    const updated = await handle.waitForFinalReply();
    expect(JSON.stringify(updated.embeds)).toContain("Drew Barrymore");
  });
});
