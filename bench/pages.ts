/**
 * Realistic film pages for the load benchmark, in the format of data/000_ca69434de1f8644e.txt: every page a
 * different film, people drawn from large pools with a long tail (a few actors in many films, most in one or two),
 * texts of varying length, and the format's variations (CRLF, BOM, plural labels, missing sections, markdown,
 * `@everyone`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../tests/support/seeded-random.js";
import { MONTH_NAMES } from "../src/format.js";

const FIRST_NAMES = (
  "Drew Toni Dominic Paddy Tyson Mem Noah Jacqueline Janice Charlotte Shola Honor Anjli Ryan Joanna Amélie " +
  "Catherine Juliette Omar Chiwetel Zoë Björn Søren Renée Penélope Javier Gael Ken Akira Mei Wen Priya Aamir Kemi Ada Sven " +
  "Ingrid Lars Mads Nikolaj Paola Luca Giulia Marco Hugo Léa Camille Jean Pierre Isabelle Margot Cate Nicole Hugh Russell " +
  "Anna Olga Ivan Dmitri Sofia Mateo Lucía Diego Carmen Fatima Youssef Leila Karim Tomasz Agnieszka Piotr Eva Jan Kateřina " +
  "Li Hiroshi Yuki Min-ji Ji-hoon Arjun Deepika Kwame Chidi Ngozi Thandiwe Pieter Annelie Sean Siobhan Declan Aoife"
).split(" ");
const LAST_NAMES = (
  "Barrymore Collette Cooper Considine Ritter Ferda Huntley Bisset Acquah Ubben Adewusi Kneafsey Mohindra Baker " +
  "Bobin Hardwicke Binoche Sy Ejiofor Kravitz Borg Kierkegaard Zellweger Cruz Bardem Bernal Watanabe Kurosawa Lin Chen " +
  "Sharma Khan Adeyemi Okafor Lindqvist Bergman Mikkelsen Coster-Waldau Cortellesi Marinelli Rossi Dubois Seydoux Moreau " +
  "Huppert Robbie Blanchett Kidman Jackman Crowe Karenina Petrova Volkov Ivanova Romero García Luna Morales Benali Haddad " +
  "Nowak Kowalski Wiśniewski Novák Dvořák Wang Tanaka Sato Kim Park Kapoor Padukone Mensah Okonkwo Nwosu Mbatha van der Berg " +
  "O'Brien Murphy Ní Bhriain MacDonald Fitzgerald de la Cruz St. James Smith-Jones"
).split(" ");
const COUNTRIES =
  "UK,USA,France,Germany,Italy,Spain,Japan,South Korea,India,Nigeria,Brazil,Mexico,Canada,Australia,Ireland,Denmark,Sweden,Norway,Poland,Czech Republic,China,Iran,Egypt,Argentina".split(
    ",",
  );
const LANGUAGES =
  "English,French,German,Italian,Spanish,Japanese,Korean,Hindi,Yoruba,Portuguese,Danish,Swedish,Polish,Czech,Mandarin,Persian,Arabic".split(
    ",",
  );
const WORDS = (
  "the a of and to in is was for on that with as his her they at by an be this from film story life love " +
  "friends family war city night world time years young old man woman girl boy heart secret journey home truth dream " +
  "past future lost found must after before when while until finds discovers struggles returns decides learns hides " +
  "dangerous beautiful quiet broken strange small great last first new other whole *batteries* _underlined_ `code` " +
  "London Paris Tokyo Lagos Mumbai Berlin Rome Madrid canal houseboat townhouse village mountain river desert island"
).split(" ");

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A person from a pool of `size`, the first ones far more often (a long-tailed career distribution). */
function person(random: Random, size: number): string {
  const index = Math.floor(size * random() ** 3);
  return `${FIRST_NAMES[index % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(index / FIRST_NAMES.length) % LAST_NAMES.length]}${index >= FIRST_NAMES.length * LAST_NAMES.length ? ` ${Math.floor(index / (FIRST_NAMES.length * LAST_NAMES.length)) + 1}` : ""}`;
}

function sentence(random: Random, words: number): string {
  const text = Array.from({ length: words }, () => pick(random, WORDS)).join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random: Random, minChars: number, maxChars: number): string {
  const target = minChars + Math.floor(random() * (maxChars - minChars));
  let text = "";
  while (text.length < target) text += (text === "" ? "" : " ") + sentence(random, 6 + Math.floor(random() * 14));
  return text;
}

export function pageText(index: number, title: string, random: Random): string {
  const year = 1930 + Math.floor(random() * 95);
  const month = Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const votes = Math.floor(Math.exp(random() * 13));
  const castSize = 3 + Math.floor(random() * 16);
  const names = Array.from({ length: castSize }, () => person(random, 60_000));
  const cast = names.map((name) => `${name} - ${random() < 0.08 ? "" : pick(random, FIRST_NAMES)}`.trimEnd());
  const lines = [
    title,
    "",
    `${MONTH_NAMES[month]} ${day}th, ${year}`,
    "",
    "",
    title,
    "",
    ...(random() < 0.5 ? ["No valid json found", ""] : []),
    sentence(random, 12 + Math.floor(random() * 12)) + (index % 997 === 0 ? " @everyone" : ""),
    "",
    `Release Year: ${year}`,
    "",
    `Rating: ${(1 + random() * 9).toFixed(1)}/10 (${votes.toLocaleString("en")} voted)`,
    "",
    ...(random() < 0.7 ? [`Critic's Score: ${Math.floor(random() * 101)}/100`, ""] : []),
    random() < 0.15
      ? `Directors: ${person(random, 20_000)}, ${person(random, 20_000)}`
      : `Director: ${person(random, 20_000)}`,
    "",
    `Stars: ${names.slice(0, 3).join(", ")}`,
    "",
    ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => [paragraph(random, 200, 700), ""]).flat(),
    ...cast,
    "",
    "",
    "Official Website: Official Facebook | Official Twitter",
    "",
    random() < 0.2
      ? `Countries: ${pick(random, COUNTRIES)}, ${pick(random, COUNTRIES)}`
      : `Country: ${pick(random, COUNTRIES)}`,
    "",
    `Language: ${pick(random, LANGUAGES)}`,
    "",
    `Release Date: ${day} ${MONTH_NAMES[month]} ${year}`,
    "",
    `Filming Locations: ${pick(random, WORDS)}, ${pick(random, COUNTRIES)}`,
    "",
    "Technical Specs",
    "",
    ...(random() < 0.4 ? [`Runtime: ${80 + Math.floor(random() * 80)} min`, "Aspect Ratio: 2.35 : 1", ""] : [""]),
    "Did You Know?",
    "",
    ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => [
      `${paragraph(random, 80, 250)} See more »`,
      "",
    ]).flat(),
    "User Review",
    "",
    "",
    "",
    ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => [paragraph(random, 150, 600), ""]).flat(),
    "",
    "Comments are closed.",
  ];
  const text = lines.join(index % 20 === 0 ? "\r\n" : "\n");
  return index % 50 === 0 ? `\ufeff${text}` : text;
}

/**
 * Writes one page per title into `dir`, unless the same set is already there (generating 100,000 files takes longer
 * than loading them). Returns whether it wrote them.
 */
export function generatePages(dir: string, titles: readonly string[], seed = 42): boolean {
  const marker = join(dir, ".generated");
  if (existsSync(marker) && readFileSync(marker, "utf8") === `${titles.length}:${seed}`) return false;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const random = seededRandom(seed);
  titles.forEach((title, index) => {
    // Two levels of folders, as an operator would sort a big collection (the loader walks them recursively).
    const folder = join(dir, String(Math.floor(index / 10_000)).padStart(2, "0"));
    if (index % 10_000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${String(index).padStart(6, "0")}.txt`), pageText(index, title, random));
  });
  writeFileSync(marker, `${titles.length}:${seed}`);
  return true;
}
