/**
 * The seed page data/000_ca69434de1f8644e.txt as a Film, written out by hand: what the page parser must produce, and
 * the film the card and command tests use without depending on the parser.
 */
import { emptyRichFields, type Film } from "../../src/catalog/film.js";

export const SEED_REVIEW = [
  `This is the archetypal woman's film - but there's nothing wrong with that, with far too few opportunities for women in the key roles in movie-making. So women fill the slots of scriptwriter (the British Morwenna Banks), director (American Catherine Hardwicke) and the two top acting positions (Australian Toni Collette and American Drew Barrymore).`,
  `And the subject material is feminine too: breast cancer, infertility, and female friendship. Like "The Fault In Our Stars", this is a frank exposition of what it is like to suffer cancer - in this case, with chemotherapy and its attendant sickness, tiredness and hair loss followed by headaches, vision loss, and pain.`,
  `It sounds tough and it is - one the saddest film I've seen in a long while - but there is humour and warmth and superior acting which make it worth viewing this real slice of life. After all, most of us of a certain age have had relatives or friends who have suffered one form of cancer or another, some surviving, some not.`,
].join("\n\n");

export const SEED_SYNOPSIS =
  "Milly and Jess have been best friends forever. They've shared everything since they were kids - secrets, clothes, laughs, substances, boyfriends... now they are trying to be grown-ups. Milly has a high-flying job and lives in a beautiful townhouse with husband Kit and their two kids. Jess is a town planner and she and her boyfriend Jago live on a bohemian houseboat on a London canal. Their friendship is as rock solid as ever. That is until Jess struggles to have a much longed-for baby and Milly finds out she has breast cancer. How do you share that?";

export const SEED_TRIVIA =
  "Jennifer Aniston was originally cast but after the project was delayed, she dropped out and Rachel Weisz was cast. Weisz also dropped out and Drew Barrymore replaced her.";

export function seedFilm(): Film {
  return {
    id: "miss-you-already-2015",
    title: "Miss You Already",
    year: 2015,
    releaseDate: "2015-11-06",
    logline:
      "The friendship between two life-long girlfriends is put to the test when one starts a family and the other falls ill.",
    synopsis: SEED_SYNOPSIS,
    rating: { score: 6.6, outOf: 10, votes: 567 },
    criticScore: 46,
    directors: ["Catherine Hardwicke"],
    stars: ["Drew Barrymore", "Toni Collette", "Dominic Cooper"],
    cast: [
      { name: "Drew Barrymore", role: "Jess" },
      { name: "Toni Collette", role: "Milly" },
      { name: "Dominic Cooper", role: "Kit" },
      { name: "Paddy Considine", role: "Jago" },
      { name: "Tyson Ritter", role: "Ace" },
      { name: "Mem Ferda", role: "Ahmed" },
      { name: "Noah Huntley", role: "Company executive" },
      { name: "Jacqueline Bisset", role: "Miranda" },
      { name: "Janice Acquah", role: "Nisha" },
      { name: "Charlotte Ubben", role: "Cheryl" },
      { name: "Shola Adewusi", role: "Athena" },
      { name: "Honor Kneafsey", role: "Scarlett" },
      { name: "Anjli Mohindra", role: "Kira" },
      { name: "Ryan Lennon Baker", role: "Ben" },
      { name: "Joanna Bobin", role: null },
    ],
    countries: ["UK"],
    languages: ["English"],
    filmingLocations: "London, England, UK",
    genres: [],
    runtimeMinutes: null,
    trivia: [SEED_TRIVIA],
    review: SEED_REVIEW,
    // "Official Facebook | Official Twitter" names links of the original site, not an address.
    website: null,
    technicalSpecs: {},
    source: "000_ca69434de1f8644e.txt",
    // The page has no IMDb line, poster, tagline or other rich field.
    ...emptyRichFields(),
  };
}
