"""Answer types: what kind of answer a question expects, and whether a text holds one."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from retrieval.text import fold, stem

AnswerType = str  # person year date duration amount number place reason yesno opinion other

# Types whose presence in a quote can be checked, and whose absence means "not answered".
CHECKABLE = frozenset({"person", "year", "date", "duration", "amount", "number", "place", "age",
                       "colour", "name", "birth", "measure", "meaning", "life", "howto"})
# The types a quote's sentences are chosen for: the checkable ones, and a reason for "why".
QUOTABLE = CHECKABLE | {"reason", "gist", "title"}

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                 "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                 "fifty|sixty|hundred|thousand|a few|several|a couple of|a|an|half an?")
_NUM = rf"(?:\d[\d.,]*|{_NUMBER_WORDS})"
_UNITS = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|yrs|decades?)"

_YEAR = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)(?![\d.,]\d)|\b(?:19|20)\d0s\b")
_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\b|\b(?:{_MONTHS}) \d{{1,2}}\b"
                   rf"|\b(?:{_MONTHS}) (?:1[89]|20)\d\d\b")
_DURATION = re.compile(rf"\b{_NUM}[ -]{_UNITS}\b|\b\d+ ?(?:min|h)\b")
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d.,]*\s?(?:%|percent|per cent)"
    r"|\b\d[\d.,]*\s?(?:million|billion|thousand|k\b|m\b|bn\b)"
    r"|\b\d[\d.,]*\s?(?:[a-z]+ )?(?:kroner|krone|kronor|krónur|dkk|sek|nok|usd|eur|euros?|dollars?|pounds?|"
    r"bucks|yen|francs?|marks?)\b"
    r"|\b(?:million|billion|thousand|hundred) (?:dollars?|euros?|pounds?|kroner|krónur)\b", re.I)
_NUMBER = re.compile(rf"(?<!#)\b(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS.replace('|a|an|half an?', '')})\b",
                     re.I)
_PLACE = re.compile(
    r"\b(?:in|at|inside|outside|near|around|to|from|into|across|throughout) (?:the |a |an |his |her "
    r"|their |its |[A-Z][\w’'-]*s |[a-z]+ )?[A-ZÀ-ÖØ-Þ]?[\w’'-]{3,}"
    r"|^\s*[a-z_]+\s*=\s*[A-ZÀ-ÖØ-Þ]"  # an infobox line's value: "country = Denmark"
    # a place gone to without a preposition: "visits his fathers garage"
    r"|\b(?:visits|visited|enters|entered|reaches|reached) (?:the |a |an |his |her |their |its "
    r"|[a-z]+s )?[\w’'-]{3,}")
# A place by its name: "in Bergen", "around Oslo", "at the Grand" (not "in the kitchen")
_PLACE_BY_NAME = re.compile(r"\b(?:in|at|from|inside|outside|near|around|throughout|across) (?:the )?"
                            r"([A-ZÀ-ÖØ-Þ][\w’'-]{2,})")


def holds_named_place(text: str, names: Callable[[str], bool] | None = None) -> bool:
    """Whether a text names a place ("in Bergen"), which says where better than a noun;
    `names` tells a known person ("from Jon") from a place."""
    return any(names is None or not names(m.group(1)) for m in _PLACE_BY_NAME.finditer(text))


# A capitalised word inside a sentence (not its first word, not "I"), or a run of them.
_CAP_PAIR = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]+(?: [A-ZÀ-ÖØ-Þ][\w’'-]+)+|(?<=[a-z,;] )[A-ZÀ-ÖØ-Þ][\w’'-]+")

_QUOTED_TITLE = re.compile(r"[\"“][^\"“”]{3,60}[\"”]")

_AGE = re.compile(rf"\b{_NUM}[ -]years?[ -]old\b|\baged? {_NUM}\b|\bat (?:the age of )?\d+\b"
                  rf"|\b\d+-year-old\b|\bborn (?:in|on)\b")

_COLOUR = re.compile(r"\b(?:red|green|blue|black|white|yellow|orange|purple|pink|brown|grey|gray|"
                     r"silver|gold|golden|beige|crimson|scarlet|violet|turquoise|maroon|navy)\b")

_BIRTH = re.compile(r"\bborn\b|\bbirth")

# A height, weight, distance or speed: a number with its unit.
_MEASURE = re.compile(r"\b\d[\d.,]*\s?(?:cm|mm|m|km|metres?|meters?|kilometres?|kilometers?|"
                      r"inch(?:es)?|in|ft|feet|foot|yards?|miles?|kg|kilos?|kilograms?|g|grams?|"
                      r"lbs?|pounds?|stones?|mph|km/h|kph)\b|\b\d['’]\s?\d{1,2}\b")

# A cause or purpose stated: what a "why" question wants its quote to hold. Only the choice of
# sentences uses it (a cue, not proof: "so" and "to" are everywhere), never verification.
_REASON = re.compile(
    r"\b(?:because|since|so that|in order to|due to|owing to|thanks to|in return|in exchange|"
    r"as a result|the reason|reasons?|motivated|inspired by|intend(?:s|ed)? to|to force|"
    r"to further|to (?:prove|convince|avoid|keep|make sure|ensure|accommodate|pay (?:off|back))|"
    r"(?:is|was|are|were) trying to|wants? to|wanted to|hop(?:es|ed|ing) to|so (?:he|she|they|it)|"
    r"for fear|in hopes?|out of|"
    r"as (?:he|she|they|it) (?:watches|sees|realizes|realises|learns|discovers|finds|hears))\b")

# A gloss: the text says what a word means or how it translates.
_MEANING = re.compile(r"\b(?:means?|meaning|meant|translat\w*|literally|in english|in danish|"
                      r"danish for|english for|short for|stands? for|slang for|nickname for|"
                      r"roughly|which is to say)\b")

# A story summed up: what a "what is it about" question wants its quote to hold (a cue for the
# choice of sentences, like _REASON, never verification).
_GIST = re.compile(r"\b(?:follows|following|(?:is|was|are) about|tells? (?:the|a) story|story of|"
                   r"cent(?:er|re)s? (?:on|around)|revolves? around|focus(?:es|ing)? on|deals? with|"
                   r"chronicles?|depicts?|concerns?|portrays?)\b")

_LIFE = re.compile(r"\b(?:died|dies|death|dead|alive|passed away|the late)\b")
# "is the actor still alive": asked of a real person (analyse.py decides), not of a character
ASKS_LIFE = re.compile(r"\b(?:alive|dead|died|living|death|passed away)\b")
_DETECTORS: dict[str, Callable[[str], bool]] = {
    "meaning": lambda t: bool(_MEANING.search(fold(t))),
    "reason": lambda t: bool(_REASON.search(fold(t))),
    "gist": lambda t: bool(_GIST.search(fold(t))),
    "birth": lambda t: bool(_BIRTH.search(fold(t))),
    # whether a real person lives: only a text that says they died (or live) answers
    "life": lambda t: bool(_LIFE.search(fold(t))),
    # instructions for the asker ("how do i make pancakes"): documents about a film give none
    "howto": lambda t: False,
    "measure": lambda t: bool(_MEASURE.search(fold(t))),
    "colour": lambda t: bool(_COLOUR.search(fold(t))),
    "age": lambda t: bool(_AGE.search(fold(t))),
    "year": lambda t: bool(_YEAR.search(t) or _DATE.search(fold(t))),
    # "when" accepts a year or a date; "what date" asks for a day, which a bare year is not.
    "date": lambda t: bool(_DATE.search(fold(t))),
    "duration": lambda t: bool(_DURATION.search(fold(t))),
    "amount": lambda t: bool(_AMOUNT.search(t)),
    "number": lambda t: bool(_NUMBER.search(t)),
    "place": lambda t: bool(_PLACE.search(t)),
}


def holds_type(text: str, answer_type: AnswerType, names: Callable[[str], bool] | None = None
               ) -> bool:
    """True when text contains an instance of the answer type (a year, an amount, a name…).

    `names` says whether the text mentions a known person or character; without it, a run of
    capitalised words inside a sentence counts as a name.
    """
    if answer_type in ("person", "name"):
        # a run in capitals is a title or a shout ("DRIVE and ONLY GOD FORGIVES"), no name
        return (names(text) if names else False) or any(
            not m.group(0).isupper() for m in _CAP_PAIR.finditer(text))
    if answer_type == "title":
        # a film is named by its title: quoted, whatever its case ("the end of 'grey
        # harbour'"), or capitalised inside a sentence and nobody's name ("saw him in Far Away")
        return bool(_QUOTED_TITLE.search(text)) or names is not None and any(
            not names(m.group(0)) for m in _CAP_PAIR.finditer(text))
    return _holds_pattern(text, answer_type)


@lru_cache(maxsize=1 << 16)
def _holds_pattern(text: str, answer_type: AnswerType) -> bool:
    """The pattern-matched types, cached: passages' sentences recur across questions."""
    detector = _DETECTORS.get(answer_type)
    return True if detector is None else detector(text)


# Questions that say their type outright, wherever the phrase stands ("how long", "how much").
_EXPLICIT: tuple[tuple[str, re.Pattern[str]], ...] = (
    # someone's other films: "what else has she been in", "what other movies did he direct"
    ("works", re.compile(r"\bwhat (?:other|else)\b(?: \w+){0,4} (?:been in|star(?:red)? in|"
                         r"appear(?:ed)? in|act(?:ed)? in|play(?:ed)? in|make|made|direct(?:ed)?|done|"
                         r"work(?:ed)? on|compose[ds]?|score[ds]?|write|written|wrote|films?|movies?|"
                         r"roles?|shows?|credits)\b"
                         r"|\b(?:been|appeared|starred|acted) in (?:since|before|after|anything|"
                         r"much|lately|recently)\b|\bfilmography\b")),
    # another film, by its title: "what movie did she compare it to", "as powerful as what film"
    # ("what kind of movie is it" asks for its genre, not another film's title)
    ("title", re.compile(r"\b(?:what|which) (?!(?:kind|type|sort|genre)s? of\b)"
                         r"(?:(?!(?:is|was|are|were|s|does|did|do|the|this|that|"
                         r"it)\b)\w+ ){0,2}(?:films?|movies?|flicks?)\b"
                         r"(?! (?:in|of) the (?:series|trilogy|franchise)\b)"
                         r"|\bas (?:\w+ )?as (?:what|which)(?: (?:films?|movies?))?\W*$")),
    ("duration", re.compile(r"\bhow (?:long|many (?:minutes|mins|hours|hrs|years|yrs|days|weeks|months)|much "
                            r"time)\b"
                            r"|\b(?:runtime|running time)\b")),
    ("age", re.compile(r"\bhow old\b|\bwhat age\b")),
    ("measure", re.compile(r"\bhow (?:tall|short|heavy|high|far|fast|wide|deep)\b|\bheight\b|"
                           r"\bweigh")),
    ("birth", re.compile(r"\bborn\b|\bbirth")),  # "when was X born", "X's birthplace"
    ("date", re.compile(r"\b(?:exact|release|premiere|opening) date\b")),
    ("name", re.compile(r"\b(?:last|first|full|real|sur)\s?name\b|\bsurname\b"
                        # "what model of car", "what are they naming the baby": a proper name
                        r"|\b(?:what|which) (?:\w+ )?(?:model|make|brand|breed)\b"
                        # "which song", "what tv show": a title, written as a name
                        r"|\b(?:what|which) (?:\w+ ){0,2}(?:songs?|tracks?|albums?|bands?|shows?|"
                        r"series|books?|novels?)\b")),
    ("amount", re.compile(r"\bhow much\b|\bhow (?:many|much) (?:money|cash|dollars|kroner)\b")),
    ("number", re.compile(r"\bhow many\b|\bwhat (?:\w+ )?(?:number|percentage|score)\b"
                          # a review site's score: "metacritic score for it?"
                          r"|\b(?:imdb|metacritic|letterboxd|rotten tomatoes|tomatometer)"
                          r"(?: \w+)? (?:rating|score)s?\b"
                          r"|\bwhat(?:s|'s| is| was)? (?:the )?(?:\w+ ){0,3}(?:rating|score|"
                          r"percentage)(?: (?:overall|then|again|lol|tho|though|btw|exactly|"
                          r"now|out of (?:10|ten|5|five|100)))*\W*$")),
    # "what's the first one about": what a story follows, in a sentence that says so
    ("gist", re.compile(r"^(?:so |and |ok )?what(?:s|'s| is| was| are)? (?:[\w'’-]+ ){1,5}?(?:about|abt)"
                        r"(?: again| then| even| exactly)?\W*$"
                        r"|^(?:so |and |ok )?(?:what(?:s|'s| is| was)? )?(?:the |its |it's )?"
                        r"(?:plot|story|storyline|premise|synopsis|summary|plot summary)"
                        # "the plot of the first one", "story of pusher 3"
                        r"(?: of (?:it|this|the (?:film|movie)|(?:the )?(?:[\w'-]+ ?){1,4}))?\W*$")),
    # "what does the nickname mean", "what's the meaning of the title": a gloss, not a fact
    ("meaning", re.compile(r"\bwhat (?:does|do|did) (?:the (?:word|name|title|nickname) )?"
                           r"[\"'‘“]?[\w-]+[\"'’”]? (?:mean|stand for)(?: in \w+)?\W*$"
                           r"|\bmeaning of (?:the (?:word|name|title|nickname) )?[\"'‘“]?[\w-]+[\"'’”]?\??$"
                           r"|\btranslat\w*\b|\bhow (?:do|would|does|did) (?:you|i|u|one|they) say\b")),
    # "how do i make pancakes": what the asker should do (analyse.py lets a question naming
    # someone of the film through: "how do i tell the twins apart")
    ("howto", re.compile(r"^how (?:(?:do|can|should|would|could) (?:i|we|u|you|one)|to) "
                         r"(?!say\b|pronounce\b|feel\b|think\b|rate\b|like\b)[a-z]+\b"
                         # advice for the asker: "recommend me a good anime", "know a good
                         # pizza place", "where can i buy tickets"
                         r"|^(?:can you |could you |pls |please )?(?:recommend|suggest) (?:me|us|"
                         r"some|a|an|any)\b|\b(?:know|knows|recommend) (?:a|any) (?:good|decent|"
                         r"nice|cheap) \w+ (?:\w+ )?(?:in|near|around|for)\b"
                         r"|^(?:what(?:'s|s| is) )?(?:the )?best \w+ (?:\w+ )?(?:in|near|around) "
                         r"(?!(?:it|this|the (?:film|movie|sequel|series|trilogy))\b)"
                         r"|^where (?:can|do|should|could) (?:i|we|u|you) (?:buy|get|eat|find)\b")),
    ("colour", re.compile(r"\b(?:what|which) colou?rs?\b|\bcolou?r (?:is|was|of)\b")),
    ("year", re.compile(r"\b(?:what|which) (?:year|decade)\b")),
)
# Otherwise the first question word decides: "what does X want when he finds out" is not a
# "when" question.
_WH = re.compile(r"\b(who|whom|whose|whos|what|whats|which|when|where|why|how)\b")
_AUX = re.compile(r"^(?:is|are|was|were|do|does|did|can|could|has|have|had|will|would|should|"
                  r"isn't|doesn't|didn't|wasn't)\b")
# A "when" clause (no auxiliary after "when"), then the question itself
_AFTER_WHEN = re.compile(r"^when (?!(?:is|are|was|were|do|does|did|can|could|has|have|had|will|"
                         r"would|should|'s)\b)[\w' ]{6,}?,? \b((?:who|whom|whose|what|whats|which|"
                         r"where|why|how)\b.*)$")
# Places and establishments people ask for by name ("which club", "the name of the bar").
_PLACES = (r"(?:city|country|town|place|location|street|road|neighbou?rhood|district|village|island|"
           r"club|nightclub|bar|pub|cafe|restaurant|hotel|motel|brothel|casino|shop|store|garage|"
           r"gym|warehouse|factory|prison|jail|hospital|school|church|station|airport|cinema|"
           r"venue|harbou?r|port|park|square|market|"
           # and works people ask for by name: "what song plays at the wedding"
           r"song|track|tune|album|band|book|novel)")
_WHAT_NOUN = (
    ("person", re.compile(r"^(?:which|what) (?:(?:\d+|two|three|four|five) )?(?:actors?|actress(?:es)?|"
                          r"characters?|guys?|man|men|woman|women|girls?|persons?|people|"
                          r"directors?|composers?|editors?|writers?|cinematographers?|producers?)\b")),
    ("place", re.compile(rf"^(?:which|what) {_PLACES}\b")),
    # "what day of his sentence" counts days of something else, no calendar date
    ("date", re.compile(r"^(?:which|what) (?:exact |specific |release |premiere )?(?:date|month"
                        r"|day(?! of (?:his|her|their|the|its) (?!week|month|year)\w))\b")),
)


# "what street / city / club": a named place (a proper noun), not any "at the garage".
_NAMED_PLACE = re.compile(rf"\b(?:(?:which|what)|name of (?:the|that|this|his|her|their)) "
                          rf"(?!place\b|location\b)({_PLACES})\b")


_COUNTED = re.compile(r"\bhow many (?:of (?:the|his|her|their) )?([a-z]+)\b"
                      r"|\b([a-z]+) (?:rating|score|percentage)s?\b")


_ONE_WORD_NUMBERS = _NUMBER_WORDS.replace("|a few|several|a couple of|a|an|half an?", "")
_COUNT_TOKEN = re.compile(rf"^(?:\d[\d.,]*|{_ONE_WORD_NUMBERS}|several|dozens?|hundreds|thousands|"
                          r"millions)$")
BESIDE = 3  # words between a number and what it counts ("80.000 danish kroner", "two more sequels")


def counts(text: str, asked_stems: frozenset[str]) -> bool:
    """Whether a text puts a number beside a word of the question ("eight years" for "how
    many years", "make two sequels" for "how many films did he make"), not only somewhere
    ("one of his thugs" counts no cars)."""
    tokens = [t.strip(".,") for t in re.findall(r"[\w.,]+", fold(text))]
    for i, token in enumerate(tokens):
        if _COUNT_TOKEN.match(token) and any(
                stem(t) in asked_stems for t in tokens[max(0, i - BESIDE):i + 1 + BESIDE]):
            return True
    return False


def counted_words(folded_question: str) -> set[str]:
    """The words naming what a number is asked of: "how many dvds", "the metacritic score"."""
    return {w for m in _COUNTED.finditer(folded_question) for w in m.groups() if w}


# "what brand of beer", "which make of car": a product's name, which is nobody's
_BRAND = re.compile(r"\b(?:what|which) (?:\w+ )?(?:model|make|brand|breed)s?\b")


def asks_brand(folded_question: str) -> bool:
    """Whether a question asks for a product's own name ("what brand of beer")."""
    return bool(_BRAND.search(folded_question))


def named_place_noun(folded_question: str) -> str:
    """The kind of place a question asks for by name ("prison" of "which prison"), or ""."""
    m = _NAMED_PLACE.search(folded_question)
    return m.group(1) if m else ""


def says_its_type(folded_question: str) -> bool:
    """Whether a question says the kind of answer in words of its own ("what year", "how
    long"), not by a bare question word ("when", "who")."""
    return any(rule.search(folded_question) for _type, rule in _EXPLICIT)


# "whats the cellmates name", "whats the baby called (in part 3)": a name is asked
_NAMED = re.compile(r"\bnam(?:e|es|ed|ing)\b|'?s (?:\w+ )?called(?: in(?: \w+){1,3})?\W*$")


def expected_type(folded_question: str) -> AnswerType:
    """The kind of answer a folded question asks for ("other" when it does not say)."""
    q = folded_question.strip()
    for answer_type, rule in _EXPLICIT:
        if rule.search(q):
            return answer_type
    wh = _WH.search(q)
    if (wh is not None and wh.group(1) == "when" and wh.start() == 0
            and (main := _AFTER_WHEN.search(q)) is not None):
        # "when he goes to his dad after all that, what is he hoping for": the clause says
        # when; the question is the one after it
        return expected_type(q[main.start(1):])
    if _AUX.match(q):
        return "yesno"  # "did the men who advised…": a relative "who" asks for no one
    if wh is not None and _NAMED.search(q) and wh.group(1) in (
            "what", "whats", "which"):
        return "name"  # "whats the cellmates name": a name beside the one asked about
    if wh is None:
        return "other"
    word, rest = wh.group(1), q[wh.start():]
    if word in ("who", "whom", "whose", "whos"):
        return "person"
    if word == "when":
        return "year"
    if word == "where":
        return "place"
    if word == "why":
        return "reason"
    if word == "how" and re.match(r"how come\b", rest):
        return "reason"
    for answer_type, rule in _WHAT_NOUN:
        if rule.match(rest):
            return answer_type
    if re.search(r"\bplayed by\b|\bwho\b", rest):
        return "person"
    return "other"
