/**
 * Film card buttons through the real bot: each click redraws the same message (an update, not a new reply) from the
 * button's id alone; stale and hostile ids get a private answer.
 */
import { InteractionResponseType, MessageFlags, type APIMessage } from "discord.js";
import { describe, expect, it } from "vitest";
import { FILM_GONE_MESSAGE } from "../../commands/card-buttons.js";
import { ROUTER_MESSAGES } from "../../src/interactions/router.js";
import { encodeCardButtonId } from "../../src/cards/film-card.js";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { buttonIds, dataFilms, SEED_ID, TRANSPORTS, useHarness } from "./harness.js";

/** A film as a TMDb import gives it: poster, links, watch offers in two regions. */
const LINKED: Film = {
  ...emptyFilm("The Linked Picture", "tmdb.jsonl"),
  id: "the-linked-picture-2010",
  year: 2010,
  logline: "A film with every link a card can give.",
  imdbId: "tt1375666",
  tmdbId: 27205,
  poster: "https://image.tmdb.org/t/p/w500/linked.jpg",
  tagline: "Your mind is the scene of the crime.",
  certification: "PG-13",
  trailer: "https://www.youtube.com/watch?v=YoHD9XEInc0",
  watchProviders: {
    US: { link: "https://www.themoviedb.org/movie/27205/watch?locale=US", streaming: ["Netflix"], rent: [], buy: [] },
    GB: {
      link: "https://www.themoviedb.org/movie/27205/watch?locale=GB",
      streaming: [],
      rent: ["Apple TV", "Sky Store"],
      buy: ["Apple TV"],
    },
  },
};

describe.each(TRANSPORTS)("interactions over the %s", (transport) => {
  const harness = useHarness({ transport });

  /** The custom ids of a message's buttons, by label. */
  async function click(message: APIMessage, label: string, where: "guild" | "dm" = "guild"): Promise<APIMessage> {
    const customId = buttonIds(message)[label];
    expect(customId, `a "${label}" button`).toBeDefined();
    const handle = harness().fake.sendComponent({ customId: customId!, message, where });
    const callback = await handle.response();
    expect(callback.type).toBe(InteractionResponseType.UpdateMessage);
    return handle.waitForReply();
  }

  describe("film card buttons", () => {
    it("switch the same message between Overview, Cast, Trivia and Review", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: SEED_ID } })
        .waitForReply();
      expect(Object.keys(buttonIds(card))).toEqual([
        "Overview",
        "Cast",
        "Trivia",
        "Review",
        "Where to watch",
        "Similar",
      ]);
      const cast = await click(card, "Cast");
      expect(cast.id).toBe(card.id);
      expect(cast.embeds[0]?.title).toBe("Miss You Already (2015) — Cast");
      const trivia = await click(cast, "Trivia");
      expect(trivia.embeds[0]?.description).toContain("Jennifer Aniston");
      const review = await click(trivia, "Review");
      expect(review.embeds[0]?.title).toBe("Miss You Already (2015) — User review");
      const overview = await click(review, "Overview");
      expect(overview.embeds[0]?.title).toBe("Miss You Already (2015)");
    });

    it("page through a long cast with ◀ and ▶", async () => {
      const first = await harness()
        .fake.sendCommand({ name: "cast", options: { title: "crowded-picture-2001" } })
        .waitForReply();
      expect(first.embeds[0]?.footer?.text).toMatch(/^Page 1\/4/);
      const second = await click(first, "▶");
      expect(second.embeds[0]?.footer?.text).toMatch(/^Page 2\/4/);
      expect(second.embeds[0]?.description).toContain("Extra Number 21");
      const back = await click(second, "◀");
      expect(back.embeds[0]?.footer?.text).toMatch(/^Page 1\/4/);
    });

    it("work in DMs", async () => {
      const card = await harness()
        .fake.sendCommand({ name: "movie", options: { title: SEED_ID }, where: "dm" })
        .waitForReply();
      expect((await click(card, "Cast", "dm")).embeds[0]?.title).toBe("Miss You Already (2015) — Cast");
    });

    it("answer privately when the film has left the catalog", async () => {
      const handle = harness().fake.sendComponent({
        customId: encodeCardButtonId({ filmId: "a-film-removed-since-1999", view: "cast", page: 0 }),
      });
      const callback = await handle.response();
      expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(callback.data).toMatchObject({ content: FILM_GONE_MESSAGE, flags: MessageFlags.Ephemeral });
    });

    it.each([
      "film:v1:cast:0:../../etc/passwd",
      "film:v9:overview:0:alien-1979",
      `film:v1:cast:0:${"x".repeat(95)}`,
      "film:v1:cast:-1:alien-1979",
    ])("answer the hostile id %j privately", async (customId) => {
      const callback = await harness().fake.sendComponent({ customId }).response();
      expect(callback.data).toMatchObject({ content: ROUTER_MESSAGES.unknownButton, flags: MessageFlags.Ephemeral });
    });
  });
});

describe("a card with a poster, links and watch offers, in a server whose region is GB", () => {
  const harness = useHarness({ films: [...dataFilms(), LINKED], env: { WATCH_REGION: "GB" } });

  it("sends the poster, Similar beside the links, and Where to watch for GB, as Discord takes them", async () => {
    const card = await harness()
      .fake.sendCommand({ name: "movie", options: { title: LINKED.id } })
      .waitForReply();
    expect(card.embeds[0]?.thumbnail?.url).toBe(LINKED.poster);
    expect(card.embeds[0]?.footer?.text).toContain(
      "This product uses the TMDB API but is not endorsed or certified by TMDB.",
    );
    expect(card.components?.at(-1)).toMatchObject({
      components: [
        { style: 2, label: "Similar" },
        { style: 5, label: "IMDb", url: "https://www.imdb.com/title/tt1375666/" },
        { style: 5, label: "TMDb", url: "https://www.themoviedb.org/movie/27205" },
        { style: 5, label: "Letterboxd", url: "https://letterboxd.com/imdb/tt1375666/" },
        { style: 5, label: "Trailer", url: LINKED.trailer },
      ],
    });
    const handle = harness().fake.sendComponent({ customId: buttonIds(card)["Where to watch"]!, message: card });
    expect((await handle.response()).type).toBe(InteractionResponseType.UpdateMessage);
    const watch = await handle.waitForReply();
    expect(watch.embeds[0]?.description).toBe(
      "Where to watch in GB: https://www.themoviedb.org/movie/27205/watch?locale=GB\n\nStreaming data by JustWatch",
    );
    expect(watch.embeds[0]?.fields?.map((field) => [field.name, field.value])).toEqual([
      ["Rent", "Apple TV, Sky Store"],
      ["Buy", "Apple TV"],
    ]);
    // Similar and the links stay under the Where to watch view too.
    expect(watch.components?.at(-1)).toEqual(card.components?.at(-1));
  });
});
