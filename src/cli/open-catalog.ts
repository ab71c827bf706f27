/** The catalog a lookup command reads (`search`, `show`, `card`), loaded from a data folder as the bot loads it. */
import { Catalog } from "../catalog/catalog.js";
import type { Film } from "../catalog/film.js";
import { loadDataDir } from "../catalog/load.js";
import { plural } from "../format.js";
import type { CliIo } from "./io.js";

/** Loads the folder for a lookup; files that fail are counted on stderr, never mixed into stdout. */
export async function openCatalog(dir: string, io: CliIo): Promise<Catalog> {
  const result = await loadDataDir(dir);
  if (result.errors.length > 0) {
    io.stderr(`catalog: ${plural(result.errors.length, "problem")} loading ${dir} (details: catalog check ${dir})\n`);
  }
  return Catalog.build(result.films);
}

/** The film a lookup means, for `show` and `card`: the one with this id, else the best title match. */
export async function findFilm(query: string, dir: string, io: CliIo): Promise<Film | undefined> {
  const catalog = await openCatalog(dir, io);
  const id = catalog.get(query)?.id ?? catalog.search(query, { limit: 1 })[0]?.film.id;
  return id === undefined ? undefined : catalog.details(id);
}
