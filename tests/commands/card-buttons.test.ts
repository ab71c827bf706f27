import { describe, expect, it } from "vitest";
import { cardButtons, FILM_GONE_MESSAGE } from "../../commands/card-buttons.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { UserFacingError } from "../../src/errors.js";
import { ROUTER_MESSAGES } from "../../src/interactions/router.js";
import { buildFilmCard, encodeCardButtonId } from "../../src/cards/film-card.js";
import { seedFilm } from "../support/seed-film.js";
import type { BotContext } from "../../src/interactions/context.js";
import { DM_INVOKER, fixtureCatalog, useTestContext, createTestContext } from "./fixtures.js";

const testContext = useTestContext();

const invoker = DM_INVOKER;

/**
 * What the router does with a click: read the id, then redraw; an id it cannot read is a button that no longer works.
 */
async function cardButtonReply(customId: string, context: BotContext) {
  const target = cardButtons.parse(customId);
  if (target === null) throw new UserFacingError(ROUTER_MESSAGES.unknownButton);
  return cardButtons.reply(target, context, { invoker, values: [] });
}

describe("film card buttons", () => {
  it("redraws the view and page the id asks for", async () => {
    const film = fixtureCatalog().details("crowded-picture-2001")!;
    const reply = await cardButtonReply(
      encodeCardButtonId({ filmId: film.id, view: "cast", page: 2 }, "next"),
      testContext().context,
    );
    const card = buildFilmCard(film, "cast", 2);
    expect(reply).toEqual({ embeds: card.embeds, components: card.components });
    expect(reply.embeds?.[0]?.footer?.text).toMatch(/^Page 3\/4/);
  });

  it("opens Where to watch on the offers of the operator's region (WATCH_REGION)", async () => {
    const film = {
      ...seedFilm(),
      watchProviders: {
        US: { link: null, streaming: ["Netflix"], rent: [], buy: [] },
        GB: { link: null, streaming: [], rent: ["Sky Store"], buy: [] },
      },
    };
    const british = await createTestContext({ catalog: Catalog.build([film]), config: { WATCH_REGION: "gb" } });
    const reply = await cardButtonReply(
      encodeCardButtonId({ filmId: film.id, view: "watch", page: 0 }),
      british.context,
    );
    expect(reply).toEqual(buildFilmCard(film, "watch", 0, "GB"));
    expect(reply.embeds?.[0]?.fields).toEqual([{ name: "Rent", value: "Sky Store", inline: true }]);
    await british.close();
  });

  it("says privately that a film left the catalog", async () => {
    const smaller = await createTestContext({ catalog: Catalog.build([seedFilm()]) });
    const id = encodeCardButtonId({ filmId: "solaris-1972", view: "overview", page: 0 });
    await expect(cardButtonReply(id, smaller.context)).rejects.toThrow(new UserFacingError(FILM_GONE_MESSAGE));
    await smaller.close();
  });

  it.each([
    "film:v1:poster:0:alien-1979",
    "film:v2:overview:0:alien-1979",
    "film:v1:cast:99999:alien-1979",
    "film:v1:cast:0:ALIEN",
    `film:v1:cast:0:${"a".repeat(200)}`,
    "film:",
    "",
  ])("treats the hostile id %j as a button that no longer works", async (customId) => {
    await expect(cardButtonReply(customId, testContext().context)).rejects.toThrow(ROUTER_MESSAGES.unknownButton);
  });
});
