/**
 * Other titles of films in vega-datasets' movies.json, as IMDb's and TMDb's records carry them (original titles and
 * English ones; vega has no alternate titles of its own). The query set's catalog has them, so that it measures what
 * members type when they know a film by its other title ("amelie", "pan's labyrinth", "lola rennt").
 */
import type { Film } from "../../../../src/catalog/film.js";

export const ALTERNATE_TITLES: Readonly<Record<string, readonly string[]>> = {
  "le-fabuleux-destin-damelie-poulain-2001": ["Amélie", "Amelie from Montmartre"],
  "cera-una-volta-il-west-1969": ["Once Upon a Time in the West"],
  "run-lola-run-1999": ["Lola rennt"],
  "amores-perros-2001": ["Love's a Bitch"],
  "cache-2005": ["Hidden"],
  "les-choristes-2004": ["The Chorus"],
  "die-falscher-2008": ["The Counterfeiters"],
  "cidade-de-deus-2003": ["City of God"],
  "der-baader-meinhof-komplex-2009": ["The Baader Meinhof Complex"],
  "le-scaphandre-et-le-papillon-2007": ["The Diving Bell and the Butterfly"],
  "downfall-2005": ["Der Untergang"],
  "crouching-tiger-hidden-dragon-2000": ["Wo hu cang long"],
  "la-marche-de-lempereur-2005": ["March of the Penguins"],
  "house-of-flying-daggers-2004": ["Shi mian mai fu"],
  "kung-fu-hustle-2005": ["Gong fu"],
  "lauberge-espagnole-2003": ["The Spanish Apartment", "Euro Pudding"],
  "das-leben-der-anderen-2007": ["The Lives of Others"],
  "mononoke-hime-1999": ["Princess Mononoke"],
  "el-laberinto-del-fauno-2006": ["Pan's Labyrinth"],
  "spirited-away-2002": ["Sen to Chihiro no kamikakushi"],
  "the-secret-in-their-eyes-2010": ["El secreto de sus ojos"],
  "red-cliff-2009": ["Chi bi"],
  "waltz-with-bashir-2008": ["Vals Im Bashir"],
  "letters-from-iwo-jima-2006": ["Iwo Jima kara no tegami"],
  "y-tu-mama-tambien-and-your-mother-too-2002": ["Y tu mamá también"],
};

/** The films with their alternate titles from ALTERNATE_TITLES (copies; the others as they are). */
export function withAlternateTitles(films: readonly Film[]): Film[] {
  return films.map((film) => {
    const other = ALTERNATE_TITLES[film.id];
    return other === undefined ? film : { ...film, alternateTitles: [...film.alternateTitles, ...other] };
  });
}
