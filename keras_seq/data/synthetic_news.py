"""Short news sentences with named entities (PER, LOC, ORG) in IOB2,
generated reproducibly.

The offline default of the tagger: no download, the same sentences for the
same seed and part. Written to need context, as real text does:

- some names are people in one sentence and places in another ("Jordan
  left Jordan", "Florence", "Austin", "Victoria");
- organizations are built from names ("Bank of Lima", "Okafor Holdings",
  "Kyoto University"), so a city inside an organization is not a LOC;
- a person is named in full, by first name, or by surname after a title
  ("Dr. Okafor");
- as in real text, many names occur once: a third of the people and
  cities have names invented from syllables ("Tavelo Kirandsen"), so that
  a model meets rare names in training, not only a few frequent ones;
- the held-out part (`part="test"`) uses listed names the training part
  never shows (one name in four of each list), so a model is scored on
  new names, read from their characters, their case and their context.
"""

import numpy as np

FIRST = (
    "John Mary Ada Omar Wei Anna Tom Sara Carlos Fatima Yuki Ivan Amara Lucas Priya Chen Elena Kwame Sofia Ahmed "
    "Hannah Mateo Aisha Pierre Ingrid Kofi Lina Diego Noor Samuel Mei Tariq Olga Felix Zara Raj Emma Jonas Leila "
    "Hugo Nadia Ravi Clara Emeka Ines Kenji Maya Arjun Rosa Malik"
).split()
LAST = (
    "Smith Okafor Lovelace Berg Cole Garcia Tanaka Petrov Mensah Silva Kowalski Haddad Novak Jensen Moreau Singh "
    "Rossi Nakamura Adeyemi Fischer Lindqvist Alvarez Kim Mwangi Dubois Costa Yilmaz Schmidt Osei Larsen Romero "
    "Sato Ibrahim Weber Nguyen Carter Bauer Chopra Quinn Fernandes Ortiz Hoffmann Bianchi Wright Ansah Vega Park "
    "Eriksen Kaur Hughes"
).split()
CITIES = (
    "Paris Lagos Oslo Lima Kyoto Cairo Nairobi Lisbon Seoul Toronto Berlin Madrid Accra Dublin Quito Hanoi Vienna "
    "Prague Lyon Osaka Porto Krakow Dakar Kigali Bergen Turin Leeds Malmo Tunis Busan Valencia Geneva Santiago "
    "Mumbai Chennai Denver Boston Melbourne Auckland Havana Istanbul Warsaw Athens Helsinki"
).split() + ["New York", "San Jose", "Buenos Aires", "Cape Town", "Hong Kong", "Rio de Janeiro", "Los Angeles"]
COUNTRIES = (
    "France Nigeria Norway Peru Japan Egypt Kenya Portugal Canada Germany Spain Ghana Ireland Ecuador Vietnam Austria "
    "Poland Senegal Rwanda Italy Sweden Tunisia Chile India Brazil Mexico Greece Finland Turkey Morocco"
).split() + ["South Korea", "New Zealand", "South Africa", "the Netherlands", "the United States"]
# names of people and of places both
AMBIGUOUS = "Jordan Florence Austin Victoria Lincoln Madison Sydney Chelsea Georgia Savannah".split()
ORG_WORDS = "Holdings Group Motors Airlines Energy Foods Systems Partners Media Labs Textiles Pharma".split()
ORG_PATTERNS = (
    "{LAST} {WORD}",
    "{LAST} & {LAST}",
    "Bank of {CITY}",
    "{CITY} University",
    "University of {CITY}",
    "{CITY} United",
    "{CITY} City Council",
    "{COUNTRY} Railways",
    "{CITY} Symphony Orchestra",
    "the {CITY} Herald",
)
FIXED_ORGS = ["the United Nations", "the World Bank", "the Red Cross", "UNESCO", "NASA", "FIFA", "Interpol"]

TEMPLATES = (
    "{PER} flew to {LOC} on {DAY} .",
    "In {LOC} , {PER} met {PER} .",
    "{PER} lives near {LOC} .",
    "The mayor of {CITY} thanked {PER} .",
    "Yesterday {PER} left {LOC} for {LOC} .",
    "{ORG} opened an office in {LOC} .",
    "{PER} , a spokesperson for {ORG} , declined to comment .",
    "Shares of {ORG} fell {NUM} percent on {DAY} .",
    "{ORG} hired {PER} as its new chief executive .",
    "{TITLE} {LAST} told reporters in {CITY} that talks would resume in {MONTH} .",
    "{FIRST} said the match against {ORG} was the hardest of the season .",
    "Police in {CITY} are looking for {PER} .",
    "{PER} won the {CITY} marathon in {NUM} minutes .",
    "The report by {ORG} praised {COUNTRY} for its new schools .",
    "{PER} and {PER} will visit {COUNTRY} in {MONTH} .",
    "After {NUM} years at {ORG} , {PER} moved to {CITY} .",
    "{ORG} and {ORG} signed a deal worth {NUM} million dollars .",
    "Flooding closed roads across {LOC} on {DAY} .",
    "{TITLE} {LAST} of {ORG} presented the study in {CITY} .",
    "Fans of {ORG} waited outside the stadium for {FIRST} .",
    "The festival brought {NUM} thousand visitors to {CITY} last {MONTH} .",
    "{PER} was born in {CITY} , {COUNTRY} .",
    "{COUNTRY} and {COUNTRY} agreed to share the river .",
    "According to {ORG} , prices rose {NUM} percent in {MONTH} .",
    "{PER} , who founded {ORG} , died on {DAY} .",
    "It rained all week , and the trains were late .",
    "The committee will meet again in {MONTH} .",
    "Prices of bread rose {NUM} percent this year .",
    "Nobody expected the vote to be so close .",
    "The new bridge will open on {DAY} .",
    "{AMBIGUOUS_PER} met {PER} in {AMBIGUOUS_LOC} .",
    "{AMBIGUOUS_PER} said {AMBIGUOUS_LOC} is a fine place to live .",
    "Heavy snow fell in {AMBIGUOUS_LOC} , where {AMBIGUOUS_PER} grew up .",
    "{PER} joined {ORG} in {MONTH} .",
    "the bus from {CITY} to {CITY} was cancelled , {FIRST} wrote .",
    "{PER} thanked the staff of {ORG} in {CITY} .",
)
ONSETS = "b d f g k l m n p r s t v z br dr kr st th".split()
VOWELS = "a e i o u a e i o".split()  # a and e, i and o more often
ENDINGS = {
    "FIRST": ["", "", "n", "r", "l", "s", "na", "ra"],
    "LAST": ["", "n", "s", "sen", "ski", "ez", "ani", "ova", "berg", "wood"],
    "CITY": ["", "a", "o", "ton", "burg", "ville", "stad", "pur", "field"],
}
INVENTED = 1 / 3  # the share of people and cities with invented names
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
TITLES = ["Dr .", "Mr .", "Ms .", "Professor", "President", "Minister", "Judge"]


def _part(names, part):
    """One name in four is held out for the test part."""
    return [n for i, n in enumerate(names) if (i % 4 == 3) == (part == "test")]


def synthetic_news(count, seed=0, part="train"):
    """`count` sentences with PER, LOC and ORG entities, IOB2 tags.

    Args:
        count: int, the number of sentences.
        seed: int, seed of the draw.
        part: `"train"` or `"test"`: the test part draws its names from a
            quarter of every list that the train part never uses.

    Returns:
        `(sentences, tags)`: lists of token lists and tag lists.

    Examples:
        >>> sentences, tags = synthetic_news(2, seed=1)
        >>> list(zip(sentences[0], tags[0]))[:3]  # e.g. [('Omar', 'B-PER'), ('Garcia', 'I-PER'), ('flew', 'O')]
    """
    if part not in ("train", "test"):
        raise ValueError(f"`part` must be 'train' or 'test'; received part={part!r}.")
    rng = np.random.default_rng(seed)
    pools = {
        "FIRST": _part(FIRST, part),
        "LAST": _part(LAST, part),
        "CITY": _part(CITIES, part),
        "COUNTRY": _part(COUNTRIES, part),
        "AMBIGUOUS": _part(AMBIGUOUS, part),
        "WORD": ORG_WORDS,
    }

    def pick(pool):
        return pool[rng.integers(len(pool))]

    def name(kind):  # a listed name, or one invented from syllables
        if kind not in ENDINGS or rng.random() >= INVENTED:
            return pick(pools[kind])
        syllables = "".join(pick(ONSETS) + pick(VOWELS) for _ in range(rng.integers(2, 4)))
        return (syllables + pick(ENDINGS[kind])).capitalize()

    def fill(pattern):
        return " ".join(name(p[1:-1]) if p.startswith("{") else p for p in pattern.split())

    def entity(slot):  # -> (text, type or None)
        if slot == "AMBIGUOUS_PER":
            return pick(pools["AMBIGUOUS"]), "PER"
        if slot == "PER":
            first = pick(pools["AMBIGUOUS"]) if rng.random() < 0.1 else name("FIRST")
            return (first if rng.random() < 0.2 else f"{first} {name('LAST')}"), "PER"
        if slot in ("FIRST", "LAST"):
            return name(slot), "PER"
        if slot == "LOC":
            return name("CITY" if rng.random() < 0.6 else "COUNTRY"), "LOC"
        if slot in ("CITY", "COUNTRY"):
            return name(slot), "LOC"
        if slot == "AMBIGUOUS_LOC":
            return pick(pools["AMBIGUOUS"]), "LOC"
        if slot == "ORG":
            return (pick(FIXED_ORGS) if rng.random() < 0.15 else fill(pick(ORG_PATTERNS))), "ORG"
        if slot == "NUM":
            return str(int(rng.integers(2, 100))), None
        if slot == "TITLE":
            return pick(TITLES), None
        return pick(DAYS if slot == "DAY" else MONTHS), None

    sentences, tags = [], []
    for _ in range(count):
        words, row = [], []
        for piece in pick(TEMPLATES).split():
            if not piece.startswith("{"):
                words.append(piece)
                row.append("O")
                continue
            text, kind = entity(piece[1:-1])
            tokens = text.split()
            # "the" opens some names ("the World Bank") but is not part of the entity
            inside = tokens[1:] if tokens[0] == "the" else tokens
            words += tokens
            row += ["O"] * (len(tokens) - len(inside))
            row += ["O"] * len(inside) if kind is None else [f"B-{kind}"] + [f"I-{kind}"] * (len(inside) - 1)
        if words[0][0].islower():
            words[0] = words[0][0].upper() + words[0][1:]
        sentences.append(words)
        tags.append(row)
    return sentences, tags
