import { describe, expect, it } from "vitest";
import { emptyFilm, type Film } from "../../src/catalog/film.js";
import { normalizeText } from "../../src/catalog/normalize.js";
import { People } from "../../src/catalog/people.js";

function film(title: string, fields: Partial<Film>): Film {
  return { ...emptyFilm(title, "test"), id: title.toLowerCase(), ...fields };
}

describe("People", () => {
  const films = [
    film("Gran Torino", {
      directors: ["clint eastwood"],
      stars: ["CLINT EASTWOOD", "Bee Vang"],
      cast: [
        { name: "Clint  Eastwood", role: "Walt Kowalski" },
        { name: "Bee Vang", role: "Thao" },
      ],
    }),
    film("Volver", { directors: ["Pedro Almodóvar"], cast: [{ name: "Penelope Cruz", role: "Raimunda" }] }),
    film("Vicky Cristina Barcelona", { cast: [{ name: "Penélope Cruz", role: "María Elena" }] }),
    film("No One", {}),
    film("Unforgiven", { directors: ["Clint Eastwood"], cast: [{ name: "Clint Eastwood", role: "Will Munny" }] }),
  ];
  const people = People.build(films);

  it("is one person per normalized name, shown in the best-written spelling seen", () => {
    expect(people.names).toEqual(["Clint Eastwood", "Bee Vang", "Pedro Almodóvar", "Penélope Cruz"]);
    expect(people.idOf("CLÍNT EASTWOOD")).toBe(0);
    expect(Array.from(people.filmsOf(0))).toEqual([0, 4]);
    expect(Array.from(people.filmsOf(people.idOf("penelope cruz")!))).toEqual([1, 2]);
  });

  it("keeps each name's normalized form, the best spelling's too", () => {
    expect(people.keys).toEqual(["clint eastwood", "bee vang", "pedro almodovar", "penelope cruz"]);
    people.names.forEach((name, id) => expect(people.keys[id]).toBe(normalizeText(name)));
  });

  it("gives each film's people once, its directors first: a director who acts stays its director", () => {
    expect(Array.from(people.peopleOf(0))).toEqual([0, 1]);
    expect(people.directorCountOf(0)).toBe(1);
    expect(Array.from(people.peopleOf(1))).toEqual([2, 3]);
    expect(people.directorCountOf(1)).toBe(1);
    expect(Array.from(people.peopleOf(2))).toEqual([3]);
    expect(people.directorCountOf(2)).toBe(0);
    expect(people.peopleOf(3)).toHaveLength(0);
    expect(people.directorCountOf(3)).toBe(0);
  });

  it("counts only directors with a name among a film's directors", () => {
    const odd = People.build([film("Odd", { directors: ["!!!", "Ann Director", "ann director"], cast: [] })]);
    expect(Array.from(odd.peopleOf(0)).map((id) => odd.names[id])).toEqual(["Ann Director"]);
    expect(odd.directorCountOf(0)).toBe(1);
  });
});
