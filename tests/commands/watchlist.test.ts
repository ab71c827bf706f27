import { describe, expect, it } from "vitest";
import {
  WATCHLIST_UNAVAILABLE,
  watchlist,
  watchlistDefinition,
  watchlistRemoveChoices,
  watchlistReply,
} from "../../commands/watchlist.js";
import { Catalog } from "../../src/catalog/catalog.js";
import { FilmNotFoundError } from "../../src/cards/film-lookup.js";
import { UserFacingError } from "../../src/errors.js";
import { StoreUnavailableError, WATCHLIST_LIMIT, type StoreFailure } from "../../src/store/store.js";
import { seedFilm } from "../support/seed-film.js";
import { FIXED_NOW, messageLimitProblems, useTestContext } from "./fixtures.js";

const testContext = useTestContext();

const add = (user: string, title: string, year: number | null = null) =>
  watchlistReply({ subcommand: "add", options: { title, year } }, user, testContext().context);
const remove = (user: string, title: string) =>
  watchlistReply({ subcommand: "remove", options: { title } }, user, testContext().context);
const list = (user: string) => watchlistReply({ subcommand: "list", options: {} }, user, testContext().context);

describe("/watchlist", () => {
  it("works in DMs too (a member's own list)", () => {
    expect(watchlistDefinition.contexts).toEqual([0, 1]);
    expect(watchlistDefinition.options.map((option) => option.name)).toEqual(["add", "remove", "list"]);
  });

  it("adds by id or typed title, privately, and knows a film already listed", async () => {
    expect(await add("u1", "solaris-1972")).toEqual({
      content: "Added **Solaris** (1972) to your watchlist.",
    });
    expect(await add("u1", "the godfather")).toEqual({
      content: "Added **The Godfather** (1972) to your watchlist.",
    });
    expect(await add("u1", "solaris", 1972)).toEqual({
      content: "**Solaris** (1972) is already on your watchlist.",
    });
    expect(await testContext().store.watchlists.list("u1")).toEqual([
      { filmId: "solaris-1972", addedAt: FIXED_NOW.toISOString() },
      { filmId: "the-godfather-1972", addedAt: FIXED_NOW.toISOString() },
    ]);
    await expect(add("u1", "no such film qqq")).rejects.toThrow(FilmNotFoundError);
  });

  it("lists titles with years, oldest first, within limits", async () => {
    await add("u2", "miss-you-already-2015");
    await add("u2", "batteries-not-included-1987");
    await add("u2", "undated-reel");
    const reply = await list("u2");
    expect(watchlist.visibility).toBe("private");
    expect(reply.embeds?.[0]?.description).toBe(
      "1. **Miss You Already** (2015)\n2. **\\*batteries not included** (1987)\n3. **Undated Reel** (year unknown)",
    );
    expect(reply.embeds?.[0]?.footer?.text).toBe("3 films · oldest first");
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("shows a film no longer in the catalog by its id", async () => {
    await add("u3", "solaris-1972");
    await add("u3", "miss-you-already-2015");
    const { catalog } = testContext().context;
    const smaller = {
      ...testContext().context,
      catalog: { current: Catalog.build([seedFilm()]), reload: catalog.reload, replace: catalog.replace },
    };
    const reply = await watchlistReply({ subcommand: "list", options: {} }, "u3", smaller);
    expect(reply.embeds?.[0]?.description).toBe(
      "1. solaris-1972 (no longer in the catalog)\n2. **Miss You Already** (2015)",
    );
    expect(await watchlistRemoveChoices("u3", "", smaller)).toEqual([
      { name: "solaris-1972 (no longer in the catalog)", value: "solaris-1972" },
      { name: "Miss You Already (2015)", value: "miss-you-already-2015" },
    ]);
    expect(await watchlistReply({ subcommand: "remove", options: { title: "solaris-1972" } }, "u3", smaller)).toEqual({
      content: "Removed solaris-1972 from your watchlist.",
    });
  });

  it("removes by id or by the title as typed, and says when a film is not listed", async () => {
    await add("u4", "solaris-1972");
    await add("u4", "the-godfather-1972");
    expect(await remove("u4", "the godfather")).toEqual({
      content: "Removed **The Godfather** (1972) from your watchlist.",
    });
    expect(await remove("u4", "solaris-1972")).toEqual({
      content: "Removed **Solaris** (1972) from your watchlist.",
    });
    await expect(remove("u4", "solaris-1972")).rejects.toThrow(UserFacingError);
    expect(await list("u4")).toEqual({
      content: "Your watchlist is empty. Add films with `/watchlist add`.",
    });
  });

  it("removes what add takes: a title with typos, or with its year, matched on the member's own list", async () => {
    await add("u9", "solaris-2002");
    await add("u9", "the-godfather-1972");
    expect(await remove("u9", "godfater")).toEqual({
      content: "Removed **The Godfather** (1972) from your watchlist.",
    });
    expect(await remove("u9", "solaris 2002")).toEqual({
      content: "Removed **Solaris** (2002) from your watchlist.",
    });
  });

  it("asks which film, with a menu, when a title to add could be several", async () => {
    const asked = await add("u10", "solaris").catch((error: unknown) => error);
    expect(asked).toBeInstanceOf(UserFacingError);
    expect(asked).not.toBeInstanceOf(FilmNotFoundError);
    const menu = (asked as UserFacingError).reply?.components?.[0]?.components[0];
    expect(menu && "custom_id" in menu && menu.custom_id).toBe("pick:v1:watchlist");
  });

  it("tells the member plainly when the store cannot answer, and whether trying again can help", async () => {
    const { context } = testContext();
    const failing = (reason: StoreFailure) => ({
      ...context,
      store: {
        ...context.store,
        watchlists: {
          add: () => Promise.reject(new StoreUnavailableError(reason, `store ${reason}`)),
          remove: () => Promise.reject(new StoreUnavailableError(reason, `store ${reason}`)),
          list: () => Promise.reject(new StoreUnavailableError(reason, `store ${reason}`)),
        },
      },
    });
    const input = { subcommand: "add", options: { title: "solaris-1972", year: null } } as const;
    await expect(watchlistReply(input, "u11", failing("full"))).rejects.toThrow(WATCHLIST_UNAVAILABLE.cannotSave);
    await expect(watchlistReply(input, "u11", failing("read-only"))).rejects.toThrow(WATCHLIST_UNAVAILABLE.cannotSave);
    await expect(watchlistReply(input, "u11", failing("timeout"))).rejects.toThrow(WATCHLIST_UNAVAILABLE.tryAgain);
    await expect(
      watchlistReply({ subcommand: "list", options: {} }, "u11", failing("unreachable")),
    ).rejects.toBeInstanceOf(UserFacingError);
  });

  it("completes `remove` from the member's own list only", async () => {
    await add("u5", "solaris-1972");
    await add("u5", "the-godfather-1972");
    expect(await watchlistRemoveChoices("u5", "sol", testContext().context)).toEqual([
      { name: "Solaris (1972)", value: "solaris-1972" },
    ]);
    expect(await watchlistRemoveChoices("u5", "", testContext().context)).toHaveLength(2);
    expect(await watchlistRemoveChoices("someone-else", "", testContext().context)).toEqual([]);
  });

  it("refuses to grow a list past its cap", async () => {
    const films = testContext().context.catalog.current.films.slice(0, WATCHLIST_LIMIT);
    for (const film of films) await testContext().store.watchlists.add("u6", film.id, FIXED_NOW);
    const extra = testContext().context.catalog.current.films[WATCHLIST_LIMIT]!;
    await expect(add("u6", extra.id)).rejects.toThrow(`Your watchlist is full (${WATCHLIST_LIMIT} films)`);
    const reply = await list("u6");
    expect(messageLimitProblems(reply)).toEqual([]);
    expect(reply.embeds?.[0]?.description).toMatch(/…and \d+ more$/);
  });
});
