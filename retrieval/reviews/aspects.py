"""The aspect an opinion question asks about: its words once the question's scaffolding (who
holds the opinion, how it is asked, the film's own title) is taken out, the span of the question
they make, which of them state the judgement asked for rather than its topic, which it gives as
alternatives, and the two aspects reviews answer in cues of their own (whether it is worth
watching, what is wrong with it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.reviews import sentiment
from retrieval.reviews.cues import EVALUATIVE, INTENSIFIERS, plain

# The question's scaffolding: who holds the opinion, how it is asked, and the film itself
# (and the verdict's sides: "is the overall verdict positive" asks of the film overall).
# What remains is the aspect asked about; nothing left means the film overall.
_SCAFFOLD = frozenset(
    """what whats how do did does is are was were would will could can should i you u we they it its
    it's this that these those the a an of about on in to for with and or but as at by from any
    anyone anybody someone somebody everyone everybody people ppl reviewer reviewers review reviews
    critic critics viewer viewers audience audiences fan fans user users folks others imdb general
    generally overall think thought thinks say said says feel felt feels find found make made view
    views opinion opinions verdict verdicts consensus reception received regarded rated rate rates
    rating like liked likes love loved loves hate hated hates dislike disliked enjoy enjoyed prefer
    preferred praise praised criticise criticised criticize
    criticized complain complained react reacted good bad great decent who whom which thinks
    reckon reckons reckoned didn't didnt don't dont doesn't doesnt not wasn't wasnt actually even
    just really anyone's somebody's talk talks talked mention mentions mentioned describe
    describes described call called thoughts take impressions impression miss missed misses
    according rave raves raved raving slam slams slammed criticises criticizes complains par
    watch watched seen time my me any much really actually film movie flick sequel one part so
    there here get got has have had been be being well there's much most many all lot
    nah yeah yes lol pls please bother honestly tbh imo kinda sorta guys even spoilers spoiler
    whole thing things stuff anything something everything lukewarm disappointed overrated
    underrated why
    positive negative favourable favorable unfavourable unfavorable mixed""".split())


def aspect_words(question: str, title_words: Iterable[str] = ()) -> list[str]:
    """The question's words once its scaffolding and the film's own title are taken out."""
    titles = set(title_words)
    out = []
    # "do you end up rooting for him": a phrasal verb, not the ending; "if i liked the first,
    # should i watch it": the condition of a request for advice, not its topic
    text = re.sub(r"\b(?:end|ends|ended|ending) up\b", " ", plain(question))
    text = _IF_LIKED.sub(" ", text)
    for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text):
        bare = w.removesuffix("'s")
        if (bare not in _SCAFFOLD and bare not in INTENSIFIERS and bare not in titles
                and not bare.isdigit()):
            out.append(w)
    return out


def aspect_text(question: str, title_words: Iterable[str] = ()) -> str:
    """The aspect a question asks about, in its own words ("" for the film overall): the
    stretch of the question from its first to its last aspect word, with the word before it
    when that is a determiner ("the ending", "the lead's relationship with his dad")."""
    kept = aspect_words(question, title_words)
    if not kept:
        return ""
    folded = plain(question)
    tokens = list(re.finditer(r"[a-z0-9]+(?:'[a-z]+)?", folded))
    where = [i for i, m in enumerate(tokens) if m.group() in kept]
    first, last = where[0], where[-1]
    if first > 0 and tokens[first - 1].group() in _DETERMINERS:
        first -= 1
    span = folded[tokens[first].start():tokens[last].end()]
    if re.search(r"[?!.;]", span) or last - first > len(kept) + 4:
        return " ".join(kept)  # the words are scattered: name them, not the sentence between
    return span


_DETERMINERS = frozenset("the his her its their this that these those".split())

# Whether to watch it at all: the aspect's words of a question asking that, and the reader-
# addressed cues by which a review answers it ("I highly recommend", "a must see", "go see it",
# "if you liked the first, you'll like this", "look no further", "skip it").
_WORTH_WORDS = frozenset("worth worthwhile recommend recommends recommended recommendation "
                         "recommendations skip must see bother watching seeing tell friend friends "
                         "go check tells telling told watch".split())
RECOMMENDS = re.compile(
    r"\brecommend|\bmust[- ](?:see|watch)\b|\bworth (?:watching|seeing|a (?:watch|look)|it|your)\b"
    r"|\bgo (?:see|watch)\b|\b(?:watch|see) (?:this|it)\b|\bcheck (?:it|this) out\b"
    r"|\bdon'?t miss\b|\blook no further\b|\b(?:skip|avoid) (?:it|this)\b|\bwaste of (?:time|money)\b"
    r"|\bif you (?:like|liked|love|loved|enjoy|enjoyed|are looking)\b", re.IGNORECASE)
WORTH_ASPECT = "whether it is worth watching"


# What is wrong with it: the aspect's words of a question asking that ("what were the main
# complaints"), and the words in which reviews find fault ("unfortunately", "lacks", "drags").
_FAULT_WORDS = frozenset("complaints complaint criticism criticisms flaws flaw problems problem "
                         "weaknesses weakness negatives downsides gripes issues cons wrong "
                         "faults main biggest common major".split())
FAULTS = re.compile(
    r"\bunfortunately\b|\bdisappoint|\black(?:s|ed|ing)?\b|\bweak(?:er|est|ness)?\b|\bflaw(?:s|ed)?\b"
    r"|\bproblems? (?:with|is|was)\b|\b(?:complaint|gripe|criticism)s?\b|\btoo (?:slow|long|much|many)\b"
    r"|\bboring\b|\bfails?\b|\bfalls? short\b|\bnot (?:as|nearly as|quite as) (?:good|strong)\b"
    r"|\bloses?\b|\bannoying\b|\bpointless\b|\bmediocre\b|\bcould have been\b|\bdrags?\b"
    r"|\bamateurish\b|n'?t (?:real(?:ly)? |that |very )?impressed\b|\bbelow average\b|\bmisleading\b"
    r"|\bpredictable\b|\bforgettable\b|\boverlong\b|\bcliche|\boverrated\b|\boverdone\b"
    r"|\bdone before\b", re.IGNORECASE)
FAULT_ASPECT = "what is wrong with it"


def asks_worth(question: str, title_words: Iterable[str] = ()) -> bool:
    """Whether a question asks whether to watch the film at all ("is it worth watching?",
    "who recommends it?", "if i liked the first, should i watch this?"): its aspect's words
    are all of that."""
    words = aspect_words(question, title_words)
    if not words and _IF_LIKED.search(plain(question)):
        return True  # advice asked on a condition, and nothing else: whether to watch it
    return bool(words) and all(w in _WORTH_WORDS for w in words)


# "if you liked the first one", "if i enjoy slow films": a condition on advice, up to the
# request itself ("should i", "will i"…) or a comma
_IF_LIKED = re.compile(r"\bif (?:i|you|we) (?:liked|loved|enjoyed|like|love|enjoy|dug|dig)\b"
                       r"[^,?]*?(?=,|\?|\b(?:should|would|will|is|do|does|can|could|worth)\b|$)")


def asks_faults(question: str, title_words: Iterable[str] = ()) -> bool:
    """Whether a question asks what is wrong with the film ("what were the main complaints"):
    its aspect's words are all of that."""
    words = aspect_words(question, title_words)
    if not words and _DISLIKED.search(plain(question)):
        return True  # "what did people not like about it": the film's faults, nothing named
    return bool(words) and all(w in _FAULT_WORDS for w in words)


# What was disliked in the film: "what did ppl not like", "what didn't people like about it"
# (not "did anyone hate it", which asks who: the negative reviews)
_DISLIKED = re.compile(r"^what\b.*(?:\bnot|n't|\bnever) (?:\w+ )?(?:like|enjoy|love|care for)\b"
                       r"|^what\b.*\b(?:dislike[ds]?|hate[ds]?|complain(?:ed|s)?(?: about)?\W*$)")


# Words of comparison: how the question weighs its topic against another, not the topic
_COMPARING = frozenset("compare compared compares comparison comparing vs versus stack stacks "
                       "measure measures against than similar different".split())


def verdict_words(question: str, title_words: Iterable[str] = ()) -> set[str]:
    """The aspect's words that state the judgement asked for rather than its topic: a
    comparison ("compare", "vs"), an intensifier ("super"), or a word the sentiment lexicon
    weighs said of something ("is the plot weak", "is he any good"; "does it glamorize crime"
    names its topic). A review discusses "the plot" whether it calls it weak or not."""
    kept = set(aspect_words(question, title_words))
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?", plain(question))
    out = set()
    for i, w in enumerate(tokens):
        if w not in kept:
            continue
        if w in _COMPARING or w in INTENSIFIERS or (
                abs(sentiment.valence(w)) >= EVALUATIVE and _SAID_OF & set(tokens[max(0, i - 3):i])):
            out.add(w)
    return out


_SAID_OF = frozenset("is was are were be been seem seems seemed feel feels felt look looks any "
                     "too so very really super".split())


_EITHER = ("/", "or", "and", "&", "+")


def alternatives(question: str, title_words: Iterable[str] = ()) -> list[frozenset[str]]:
    """Aspect words the question gives as alternatives, each alone between "/", "or" or "and"
    and the next non-aspect word ("the camerawork / cinematography", "is the plot/story any
    good", "the story and script"): a review discussing either discusses the aspect."""
    kept = set(aspect_words(question, title_words))
    tokens = re.findall(r"[a-z0-9]+(?:'[a-z]+)?|/|\S", plain(question))
    out: list[frozenset[str]] = []
    i = 0
    while i < len(tokens):
        # a run w1 (/|or) w2 (/|or) w3 ... of single aspect words, closed on both sides
        run = [i]
        while (run[-1] + 2 < len(tokens) and tokens[run[-1] + 1] in _EITHER
               and tokens[run[-1] + 2] in kept):
            run.append(run[-1] + 2)
        ok = (len(run) > 1 and tokens[i] in kept and (i == 0 or tokens[i - 1] not in kept)
              and (run[-1] + 1 >= len(tokens) or tokens[run[-1] + 1] not in kept))
        if ok:
            out.append(frozenset(tokens[j] for j in run))
        i = run[-1] + 1
    return out
