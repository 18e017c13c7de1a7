"""Which questions are about the reviews as records, and what each asks: "the lowest rating",
"who gave it 9/10", "the most recent 10/10 review", "the average of the 2005 reviews", "what
did jdoe give it". The answers are records.py's."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.reviews.records import OPEN_END, ReviewRecord
from retrieval.reviews.reviewer_names import reviewer_named
from retrieval.text import fold


@dataclass(frozen=True, slots=True)
class RecordQuestion:
    """A question about the reviews as records: what it asks (`kind`) and of what (`value`)."""

    kind: str  # lowest highest average median mode count rated unrated spoiler helpful
    #            least_helpful unhelpful unvoted votes earliest latest reviewer title year
    #            years year_before year_after side rating below above at_least at_most
    #            date (value "2024-03-30", or "2024-03" for a month)
    value: str | int | None = None
    # The reviews a superlative, an average or a list is taken among ("the most recent 10/10
    # review", "the average of the 2005 reviews", "the best rated since 2021": years, both
    # ends included); None: all of them.
    rating: int | None = None
    years: tuple[int, int] | None = None


# The question must be about the reviews or their ratings at all.
_ABOUT_REVIEWS = re.compile(r"\b(?:reviews?|reviewers?|reviewed|ratings?|rated|rate|scores?|"
                            r"scored|stars?|votes?|upvoted|downvoted|helpful|useful|gave|give)\b"
                            r"|\b(?:10|[1-9]) ?/ ?10(?:'?s)?\b|\bhow many (?:10|[1-9])'?s\b")
_POSTED = re.compile(r"\b(?:post|posted|write|wrote|written)\b")
_POSTED_ON = re.compile(r"\b(?:post|posted|posts)\b")
_RATING_WORD = r"(?:ratings?|rated|scores?|scored|grades?|marks?|stars?)"
_DIFFERS = (r"(?:(?:does|do|did)(?:n't|nt| not) (?:match|agree)|mismatch\w*|differs?|different|"
            r"disagrees?|contradicts?|inconsistent)")
_GIVEN = re.compile(r"\b(10|[1-9]) ?(?:/ ?10(?:'?s)?|out of (?:10|ten)|stars?|star)\b"
                    r"|\bhow many (10|[1-9])'?s\b"
                    r"|\b(?:gave|give|given|giving|rated|rate) (?:it |the (?:film|movie) )?"
                    r"(?:exactly |only |just )?(?:an? )?"
                    r"(10|[1-9])\b(?! ?(?:years?|reviews?|times?))")
_THRESHOLD = re.compile(r"\b(below|under|lower than|less than|worse than|above|over|higher than|"
                        r"more than|better than|at least|at most)\s+(?:an? )?(10|[1-9])\b")
# "8/10 or higher", "5 or less"
_OR_BEYOND = re.compile(r"\b(10|[1-9])(?: ?/ ?10| out of (?:10|ten)| stars?)? or (higher|more|above|better|"
                        r"up|over|lower|less|below|worse|under)\b")
_UPWARDS = frozenset("higher more above better up over".split())
# "9 or 10": the top of the scale and the one below it are "at least 9"
_EITHER = re.compile(r"\b(10|[1-9])(?: ?/ ?10)? or (?:an? )?(10|[1-9])(?: ?/ ?10)?\b")
# "zero helpful votes", "nobody found helpful"
_UNVOTED = re.compile(r"\b(?:zero|no|0|none|nobody|no one)\b.*\b(?:helpful|useful|upvotes?|votes?)\b")
# "0 helpful votes out of 0", "found helpful by 5 out of 5": the votes exactly
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_COUNT = rf"(\d+|{'|'.join(_SMALL)})"
_VOTES = re.compile(rf"\b{_COUNT} (?:helpful |useful )?(?:votes? |upvotes? )?out of {_COUNT}\b")
_ABOUT_VOTES = re.compile(r"\b(?:helpful|useful|votes?|upvotes?|voted)\b")
# "the most 'not helpful' votes": most people found it unhelpful
_UNHELPFUL = re.compile(r"\b(?:most|highest|biggest|top)\b.*\b(?:not[- ](?:helpful|useful)|unhelpful|"
                        r"down ?votes?|downvoted)\b")
# "the review called the duke of hazard": a title named without quotes, after its cue
_TITLE_CUE = re.compile(r"\b(?:called|titled|entitled|named|headed|with the title)\s+(.+)$")
_QUOTED = re.compile(r"[\"“”‘’']([^\"“”‘’']{3,}?)[\"“”‘’']")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("spoiler", re.compile(r"\bspoilers?\b")),
    ("unrated", re.compile(r"\b(?:unrated|not rated|no (?:star )?(?:rating|score)|without (?:a )?"
                           r"(?:star )?(?:rating|score)"
                           r"|did(?:n't|nt| not) (?:rate|give (?:it )?(?:a |any )?(?:star )?"
                           r"(?:rating|score))"
                           r"|(?:do|does|did)(?:n't|nt| not) (?:have|show|carry) (?:a |any )?(?:star )?"
                           r"(?:ratings?|scores?))\b")),
    # "whose text score doesn't match their star rating": a rating stated in words, differing
    ("mismatch", re.compile(rf"\b{_DIFFERS}\b.*\b{_RATING_WORD}\b|\b{_RATING_WORD}\b.*\b{_DIFFERS}\b")),
    ("median", re.compile(r"\bmedian\b")),
    ("distribution", re.compile(rf"\b{_RATING_WORD} ?(?:spread|distribution|breakdown|histogram)\b"
                                rf"|\b(?:spread|distribution|breakdown|histogram) of (?:the )?"
                                rf"(?:{_RATING_WORD}|reviews)\b")),
    ("mode", re.compile(rf"\bmost (?:common|frequent|usual|popular|given) {_RATING_WORD}|\bmode\b")),
    ("average", re.compile(rf"\b(?:average|mean|avg|typical|overall)\b.*\b{_RATING_WORD}|"
                           rf"\b{_RATING_WORD}\b.*\bon average\b|\brated on average\b|"
                           r"\baverage (?:review|user)\b"
                           # the rating asked bare: "what's the rating", "how many stars", "what's
                           # it rated", which the reviews' average answers
                           r"|^(?:so |and |ok )?(?:what(?:'s|s| is| was)? )?(?:the |its |it's )?"
                           r"(?:rating|score|stars)\W*$"
                           r"|^how many stars(?: (?:did|does) it (?:get|have))?\W*$"
                           r"|^(?:what(?:'s|s| is)|how(?:'s| is)) it rated(?: by (?:users|"
                           r"reviewers|people|viewers|the reviews))?\W*$"
                           r"|^what (?:rating|score) (?:does|did) it (?:get|have)\W*$")),
    # "how many helpful votes did all the reviews get combined": the votes summed
    ("votes_total", re.compile(r"\b(?:helpful|useful|up) ?votes?\b.*\b(?:all|every|combined|in total|"
                               r"altogether|all together|summed|sum)\b"
                               r"|\b(?:total|sum|combined) (?:number of )?(?:helpful |useful |up)?votes?\b")),
    ("least_helpful", re.compile(r"\b(?:least|fewest|lowest)\b.*\b(?:helpful|useful|upvoted|upvotes|"
                                 r"votes?)\b")),
    ("lowest", re.compile(rf"\b(?:lowest|worst|minimum|min|harshest|poorest)\b.*\b(?:{_RATING_WORD}|"
                          r"reviews?|reviewers?)\b|\b(?:fewest|least) (?:stars|points)\b"
                          r"|\blowest[- ]rated\b|\brated (?:it )?(?:the )?lowest\b")),
    ("highest", re.compile(rf"\b(?:highest|best|top|maximum|max)\b.*\b{_RATING_WORD}"
                           r"|\bmost (?:stars|points)\b|"
                           r"\bhighest[- ]rated\b|\brated (?:it )?(?:the )?highest\b")),
    ("helpful", re.compile(r"\b(?:most|best|top|highest)\b.*\b(?:helpful|useful|upvoted|voted|liked "
                           r"review|popular review)\b|\bmost (?:helpful|useful)\b"
                           r"|\bmost (?:helpful |up)?votes\b"
                           # "how many helpful votes did the top review get"
                           r"|\b(?:helpful|useful|up) ?votes?\b.*\b(?:top|best|most helpful|highest)\b")),
    ("earliest", re.compile(r"\b(?:earliest|first|oldest)\b.*\b(?:reviews?|reviewers?|reviewed)\b"
                            r"|\b(?:reviewed|rated) (?:it |the (?:film|movie) )?first\b"
                            r"|\breviews?\b.*\b(?:earliest|oldest)\b")),
    ("latest", re.compile(r"\b(?:reviewed|rated) (?:it |the (?:film|movie) )?(?:last|most recently)\b|"
                          r"\b(?:latest|newest|most recent|last|recent)\b.*\b(?:reviews?|reviewers?|"
                          r"reviewed)\b|\breviews?\b.*\b(?:latest|newest|most recent)\b")),
    ("count", re.compile(r"\bhow many\b.*\b(?:reviews?|reviewers?|ratings?|people (?:reviewed|rated))\b"
                         r"|\bnumber of (?:user )?(?:reviews|reviewers|ratings)\b")),
)
_RATED = re.compile(r"\bhow many\b.*\b(?:rated|(?:have|with|give|gave) (?:a )?(?:rating|score)|gave "
                    r"(?:it )?a (?:rating|score))\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# "from 2010 to 2019", "between 2010 and 2015", "2010-2019"
_YEAR_SPAN = re.compile(r"\b(?:between|from) ((?:19|20)\d\d) ?(?:and|to|till|until|-|–) ?((?:19|20)\d\d)\b"
                        r"|\b((?:19|20)\d\d) ?(?:-|–|to) ?((?:19|20)\d\d)\b")
# "the 2010s": a decade is the span of its years
_DECADE = re.compile(r"\b((?:19|20)\d0)'?s\b")
# "2020 or later", "2005 and earlier": the year itself and those on one side of it
_YEAR_OR = re.compile(r"\b((?:19|20)\d\d) (?:or|and) (later|after|since|newer|more recent|earlier|"
                      r"before|older|prior)\b")
_EARLIER = frozenset({"earlier", "before", "older", "prior"})
# "reviews written before 2010", "since 2015"
_YEAR_SIDE = re.compile(r"\b(before|prior to|earlier than|until|up to|after|later than|since) "
                        r"((?:19|20)\d\d)\b")
# "how many reviews are positive", "what share of the reviews are negative"
_SIDE_OF = re.compile(r"\b(?:how many|what (?:percentage|percent|share|proportion|fraction)|which|list)"
                      r"\b.*\b(positive|negative|mixed|favou?rable|unfavou?rable)\b")
# "how many people liked it": the side of the film as a whole, by the reviews' ratings
_LIKED = re.compile(r"^how many (?:(?:people|ppl|reviewers|users|viewers|critics|of them|of the "
                    r"reviewers) )?(?:actually |really )?(liked|loved|enjoyed|hated|disliked)"
                    r" (?:it|this|the (?:film|movie))\W*$")
_PERFECT = re.compile(r"\bperfect (?:scores?|ratings?|10|ten|marks?)\b")
# Words a record question is made of; anything else is a subject the records cannot answer
# ("what service did that reviewer watch it on"), left to retrieval.
_SCAFFOLD = frozenset(
    """a an the what whats what's which who whos who's whom how many much is are was were did do does
    there it its it's this that these those film movie to of in on for from by with any anyone
    anybody someone somebody people ppl person user users give gave given giving rate rated rating
    ratings score scores scored star stars grade mark out ten review reviews reviewer reviewers
    reviewed write wrote written post posted lowest highest worst best top average mean median mode
    typical overall min max minimum maximum harshest poorest most least helpful useful upvoted voted
    votes popular liked earliest first oldest latest newest most recent last number total count
    spoiler spoilers warning warnings flag flags flagged marked unrated not no without didn't didnt
    all list show me tell i can you please according get got has have had their his her they he she
    one ones and or so far altogether vote year during since when common frequent usual below under
    lower higher less more than above over least at called titled named avg as found lol
    shown show showing listed list page pages site carry carries carrying across decimal decimals
    place places round rounded zero none nobody say says said total title titles date dated
    second third fourth fifth 2nd 3rd 4th 5th or equal got imdb site website perfect positive
    negative mixed favourable favorable unfavourable unfavorable percentage percent share only
    proportion fraction before after since until prior earlier later up actually really just
    even exactly r u ur pls plz header headers unhelpful downvotes downvoted downvote dont
    don't doesnt doesn't arent aren't isnt isn't fewest contain contains containing include
    includes including carried receive received receives gets earned awarded came come call calls
    newer older why loved enjoyed hated disliked upvotes upvote whens among amongst spread
    distribution breakdown histogram points exist exists existing match matches agree mismatch
    mismatched differ differs different disagree disagrees contradict contradicts inconsistent
    text body stated states own put puts putting add adds added day days month months file
    claim claims claimed combined altogether sum summed dump""".split())

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH = "(" + "|".join(_MONTHS) + ")"
# "on 30 march 2024", "march 30th, 2024", "in march 2024": a day or a month of the calendar
_DATE = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH}|{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?"
                   rf"|(?<!\d )(?<!\d\d ){_MONTH}),? ((?:19|20)\d\d)\b")
# "second most helpful": the rank a superlative asks for (1 when it names none)
_ORDINALS = {"second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
             "5th": 5}


# A review site's own aggregate score ("the imdb rating", "metacritic score"): not a record
# of the user reviews a page shows, unless the question says it means those reviews.
_SITE = r"(?:imdb|metacritic|letterboxd|rotten tomatoes|tomatometer)"
_SITE_SCORE = re.compile(rf"\b{_SITE}(?: \w+)? (?:average |overall )?(?:rating|score)s?\b"
                         rf"|\b(?:rating|score)s? (?:on|at|from) {_SITE}\b")
# ("the imdb user rating" is the site's own, so "user" alone does not say the reviews)
_MEANS_REVIEWS = re.compile(r"\b(?:reviews?|reviewers?|user reviews?)\b")


# "the best rating on imdb": a site's own score is one number, so a superlative ranks reviews
_SUPERLATIVE = re.compile(r"\b(?:best|worst|highest|lowest|top|most|least|fewest)\b")


def site_score(question: str) -> bool:
    """Whether a question asks for a review site's own rating, not the reviews' average."""
    q = fold(question)
    return (bool(_SITE_SCORE.search(q)) and not _MEANS_REVIEWS.search(q)
            and not _SUPERLATIVE.search(q))


def record_question(question: str, records: Sequence[ReviewRecord],
                    title_words: frozenset[str] = frozenset()) -> RecordQuestion | None:
    """What a question asks of the review records, or None when it is not such a question."""
    if not records:
        return None
    q = fold(question)
    titled = _title_named(question, records)
    if titled is not None:
        return RecordQuestion("title", titled.title)
    if not _ABOUT_REVIEWS.search(q) and not _LIKED.search(q) and not (
            _POSTED.search(q) and reviewer_named(q, records)) and not (
            _POSTED_ON.search(q) and (_YEAR.search(q) or _DATE.search(q))):
        # ("when did jdoe post": when that review was written, from its record; "who posted
        # in 2018": the reviews of that year, a post being a review on this page)
        return None
    dated = _DATE.search(q)
    bare = re.sub(r"/10(?:'?s)?\b", " ", _DATE.sub(" ", q))  # "how many 7/10s"
    tokens = [t.strip("'").removesuffix("'s") for t in re.findall(r"[a-z0-9'-]+", bare)]
    tokens = [p for t in tokens for p in (t, *t.split("-")) if p]
    named = reviewer_named(q, records)
    known = _SCAFFOLD | title_words | ({w for w in tokens if named and (
        w.removesuffix("s") in fold(named.reviewer) or reviewer_named(w, (named,)))})
    extra = {w for w in tokens if w not in known and not w.removesuffix("s").isdigit() and "-" not in w
             and not _DECADE.fullmatch(w)}
    if extra:  # a subject besides the records ("what did the 4/10 reviewer hate")
        return None
    if named is not None:
        return RecordQuestion("reviewer", named.reviewer)
    if dated is not None:
        day_a, month_a, month_b, day_b, month_c, year = dated.groups()
        month = _MONTHS.index(month_a or month_b or month_c) + 1
        day = day_a or day_b
        return RecordQuestion("date", f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else ""))
    if m := _THRESHOLD.search(q):
        return RecordQuestion(_THRESHOLD_KIND[m.group(1)], int(m.group(2)))
    if m := _OR_BEYOND.search(q):
        return RecordQuestion("at_least" if m.group(2) in _UPWARDS else "at_most", int(m.group(1)))
    if (m := _EITHER.search(q)) and (
            {int(m.group(1)), int(m.group(2))} & {1, 10}) and m.group(1) != m.group(2):
        low, high = sorted((int(m.group(1)), int(m.group(2))))
        return RecordQuestion("at_least", low) if high == 10 else RecordQuestion("at_most", high)
    if (m := _VOTES.search(q)) and _ABOUT_VOTES.search(q):
        return RecordQuestion("votes", f"{_number(m.group(1))}/{_number(m.group(2))}")
    if _UNVOTED.search(q):
        return RecordQuestion("unvoted")
    given = _GIVEN.search(q)
    patterns = (("unhelpful", _UNHELPFUL), *_PATTERNS)
    rank = next((_ORDINALS[t] for t in tokens if t in _ORDINALS), None)
    span = _years(q)
    among = next((k for k, p in patterns if k in _FILTERABLE and p.search(q)), None)
    if span is not None and among is not None and not _RATED.search(q):
        # "the average of the 2005 reviews", "the best rated review since 2021"
        return RecordQuestion(among, rank if rank is not None and among in _RANKED else None,
                              rating=_rating_of(given) if given else None,
                              years=span)
    if m := _DECADE.search(q):
        return RecordQuestion("years", f"{m.group(1)}-{int(m.group(1)) + 9}")
    if m := _YEAR_SPAN.search(q):
        low, high = sorted(int(y) for y in m.groups() if y)
        return RecordQuestion("years", f"{low}-{high}")
    if m := _YEAR_OR.search(q):
        bound = int(m.group(1))
        return (RecordQuestion("year_before", bound + 1) if m.group(2) in _EARLIER
                else RecordQuestion("year_after", bound - 1))
    if m := _YEAR_SIDE.search(q):
        word, bound = m.group(1), int(m.group(2))
        if word in ("until", "up to"):
            return RecordQuestion("year_before", bound + 1)
        if word == "since":
            return RecordQuestion("year_after", bound - 1)
        return RecordQuestion("year_before" if word in ("before", "prior to", "earlier than")
                              else "year_after", bound)
    if m := _SIDE_OF.search(q):
        side = m.group(1)
        return RecordQuestion("side", "negative" if side.startswith("unfav") else
                              "positive" if side.startswith("fav") else side)
    if m := _LIKED.search(q):
        return RecordQuestion("side", "positive" if m.group(1) in ("liked", "loved", "enjoyed")
                              else "negative")
    if _PERFECT.search(q) and re.search(r"\b(?:who|which|how many|any|anyone|anybody|list)\b", q):
        return RecordQuestion("rating", 10)
    ranked = any(p.search(q) for k, p in patterns if k in _AMONG and k != "spoiler")
    if given and not ranked and re.search(r"\b(?:who|whose|which|how many|any|anyone|anybody|list|"
                                          r"show|number of|count of|when)\b|^what(?:'s|s| is| was)?"
                                          r" the (?:title|name|date)\b", q):
        # ("what's the title of the 4/10 review": the reviews of that rating, whose record
        # line gives each title, name and date)
        return RecordQuestion("rating", _rating_of(given))
    for kind, pattern in patterns:
        if pattern.search(q):
            if kind == "count" and _RATED.search(q):
                return RecordQuestion("rated")
            year = _YEAR.search(q)
            if kind == "count" and year:
                return RecordQuestion("year", int(year.group(1)))
            value = rank if rank is not None and kind in _RANKED else None
            if kind not in _AMONG:
                return RecordQuestion(kind, value)
            # a superlative among some reviews: "the most recent 10/10 review"
            return RecordQuestion(kind, value,
                                  rating=_rating_of(given) if given else None)
    year = _YEAR.search(q)
    if year and (re.search(r"\breviews?\b|\breviewed\b", q) or _POSTED_ON.search(q)):
        return RecordQuestion("year", int(year.group(1)))
    return None


_RANKED = frozenset({"helpful", "earliest", "latest", "lowest", "highest"})
# superlatives and lists that can be taken among the reviews of one rating
_AMONG = frozenset({"helpful", "least_helpful", "unhelpful", "earliest", "latest", "spoiler"})
# and what can be taken among the reviews of some years ("the average of the 2005 reviews")
_FILTERABLE = _AMONG | {"lowest", "highest", "average", "median", "mode", "unrated"}


def _years(q: str) -> tuple[int, int] | None:
    """The years a question restricts the reviews to, both ends included, if it names any."""
    if m := _YEAR_OR.search(q):
        bound = int(m.group(1))
        return (0, bound) if m.group(2) in _EARLIER else (bound, OPEN_END)
    if m := _DECADE.search(q):
        return int(m.group(1)), int(m.group(1)) + 9
    if m := _YEAR_SPAN.search(q):
        low, high = sorted(int(y) for y in m.groups() if y)
        return low, high
    if m := _YEAR_SIDE.search(q):
        word, bound = m.group(1), int(m.group(2))
        if word in ("before", "prior to", "earlier than"):
            return 0, bound - 1
        if word in ("until", "up to"):
            return 0, bound
        return (bound, OPEN_END) if word == "since" else (bound + 1, OPEN_END)
    if m := _YEAR.search(q):
        return int(m.group(1)), int(m.group(1))
    return None


_THRESHOLD_KIND = {"below": "below", "under": "below", "lower than": "below", "less than": "below",
                   "worse than": "below", "above": "above", "over": "above", "higher than": "above",
                   "more than": "above", "better than": "above", "at least": "at_least",
                   "at most": "at_most"}


def _rating_of(given: re.Match[str]) -> int:
    """The rating a _GIVEN match names, whichever of its forms matched."""
    return int(next(g for g in given.groups() if g))


def _number(word: str) -> int:
    """A count written in digits or as a small number word ("zero", "five")."""
    return int(word) if word.isdigit() else _SMALL.index(word)



_ASKS_A_REVIEW = re.compile(r"\b(?:wrote|written|writes|reviews?|author|posted|titled)\b")


def _title_named(question: str, records: Sequence[ReviewRecord]) -> ReviewRecord | None:
    """The review whose title the question quotes ("the review called 'Disappointing'")."""
    def key(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", fold(text)))

    quoted = {key(m) for m in _QUOTED.findall(question)}
    folded = fold(question)
    # unquoted after "called" / "titled", when the question is about a review
    if (cue := _TITLE_CUE.search(folded)) and re.search(r"\b(?:reviews?|the one|the post)\b",
                                                           folded):
        named = re.sub(r"\s*\breviews?\b\W*$", "", key(cue.group(1)))
        quoted |= {named, named.removeprefix("the ")}
    quoted.discard("")
    if not quoted:
        # "who wrote equal to the first": a title of three words or more, said as it is, or
        # its first four words or more ("better than the 1st entry", of a longer title)
        if _ASKS_A_REVIEW.search(folded):
            asked = f" {key(question)} "
            for r in records:
                title = (key(r.title) if r.title else "").split()
                said = {len(title), *range(4, len(title))}  # the whole title, or 4+ words
                if len(title) >= 3 and any(f" {' '.join(title[:n])} " in asked for n in said):
                    return r
        return None  # the usual question quotes nothing
    for r in records:
        if r.title and (key(r.title) in quoted or key(r.title).removeprefix("the ") in quoted):
            return r
    # "the review called x and what did they give": the title, then more of the question
    for r in records:
        if r.title and len(key(r.title).split()) >= 2 and any(
                f"{q} ".startswith(f"{key(r.title).removeprefix('the ')} ")
                or f"{q} ".startswith(f"{key(r.title)} ") for q in quoted):
            return r
    return None


