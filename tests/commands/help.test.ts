import { describe, expect, it } from "vitest";
import { helpReply } from "../../commands/help.js";
import { commands } from "../../commands/index.js";
import { messageLimitProblems } from "./fixtures.js";

describe("/help", () => {
  const reply = helpReply(commands.map((command) => command.definition));
  const fields = reply.embeds?.[0]?.fields ?? [];

  it("lists every command from the registered definitions, privately", () => {
    expect(commands.find((command) => command.definition.name === "help")?.visibility).toBe("private");
    expect(fields.map((field) => field.name)).toEqual([
      "/movie title [year]",
      "/cast title [year]",
      "/trivia [title] [year]",
      "/person name",
      "/random [min_rating] [year] [genre]",
      "/top [count] [year] [genre]",
      "/watchlist add | remove | list",
      "/reload [force] [confirm_empty]",
      "/settings view | set region | set cards | set public-channels | set adult-films",
      "/help",
    ]);
    expect(messageLimitProblems(reply)).toEqual([]);
  });

  it("describes subcommands and marks server-only commands", () => {
    expect(fields[6]?.value).toContain("• `add title [year]`: Add a film to your watchlist");
    expect(fields[7]?.value).toContain("(server only)");
    expect(fields[8]?.value).toContain(
      "• `set region country`: The country for film certifications and where-to-watch",
    );
    expect(fields[8]?.value).toContain("• `set public-channels [channel] [channel_2]");
    expect(fields[0]?.value).not.toContain("(server only)");
  });

  it("gives TMDb's notice, word for word, as its terms ask", () => {
    expect(reply.embeds?.[0]?.footer?.text).toContain(
      "This product uses the TMDB API but is not endorsed or certified by TMDB.",
    );
  });
});
