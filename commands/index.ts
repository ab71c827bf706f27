/**
 * Every command and button handler the bot has: the router routes to these, `npm run deploy` registers these
 * definitions, and /help describes them.
 */
import type { ComponentHandler, Command } from "../src/interactions/command.js";
import { cardButtons } from "./card-buttons.js";
import { cast } from "./cast.js";
import { pickCard, pickWatchlist } from "./film-picks.js";
import { helpCommandFor } from "./help.js";
import { movie } from "./movie.js";
import { person } from "./person.js";
import { random } from "./random.js";
import { reload } from "./reload.js";
import { settings } from "./settings.js";
import { similarFilms } from "./similar-films.js";
import { top } from "./top.js";
import { trivia } from "./trivia.js";
import { watchlist } from "./watchlist.js";

export const commands: readonly Command[] = [
  movie,
  cast,
  trivia,
  person,
  random,
  top,
  watchlist,
  reload,
  settings,
  helpCommandFor(() => commands),
];

// The router takes the first handler whose prefix fits: the Similar button's "film:v1:similar:" before the card's "film:".
export const components: readonly ComponentHandler[] = [similarFilms, cardButtons, pickCard, pickWatchlist];
