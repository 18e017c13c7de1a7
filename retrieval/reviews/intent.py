"""Does a question ask what people think? Its wording's cues first (retrieval/reviews/cues.py),
then its meaning: the question's vector against a few generic opinion and fact questions,
encoded once at index time (the index's intent_vectors.npy, opinion rows first).

The prototypes name no film, person or place: they are the shapes questions take ("how scary is
it", "who was the director"), so the same rows serve any film's reviews page.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from retrieval.reviews.cues import SENTENCE_GAP, asks_opinion, plain
from retrieval.text import fold

OPINION_PROTOTYPES = (
    "what did viewers think of the special effects", "how are the performances",
    "how good is the lead actor", "is the dialogue any good", "was the soundtrack memorable",
    "is it worth seeing", "is the movie boring", "how scary is it", "is it too long and slow",
    "is it a sad film", "is there too much gore in it", "thoughts on the twist",
    "what do fans say about the script", "do people like the heroine",
    "does anyone miss the original cast", "do you feel sorry for the villain",
    "who preferred it to the original", "is the romance believable",
    "does the setting feel authentic", "how does it hold up against other war movies",
    "is it entertaining", "did reviewers find the plot confusing",
    "is the cinematography beautiful", "does the hero develop as a character",
    "did anybody dislike the film", "would you call it a classic",
    "how does the film depict the small town", "does the film romanticize violence",
    "is there enough suspense", "any complaints about the editing",
)
FACT_PROTOTYPES = (
    "who stars as the detective", "who was the director", "what is the running time",
    "when was it released", "how much was the ransom", "what happens in the final scene",
    "who wrote the script", "where was it shot", "what was its budget",
    "who is the hero's brother", "what is his wife called", "when did it premiere at the festival",
    "what language is the film in", "who did the score", "how much did it gross",
    "which role does the actress play", "what does she do after the funeral",
    "how does the story end", "who was the director of photography", "what is the plot",
    "who produced the film", "what is the next film in the series",
    "why does he betray his partner", "who kills the boss", "what is his job",
    "which company distributed it", "what did the reviewer who gave it 3/10 say",
    "which review mentions the car chase", "is the actor in the sequel",
    "who are the main characters",
)
PROTOTYPES = OPINION_PROTOTYPES + FACT_PROTOTYPES
# In the index key: other prototypes mean other rows, so a rebuild.
INTENT_VERSION = hashlib.sha256("\n".join(PROTOTYPES).encode()).hexdigest()[:12]
NEAREST = 3  # prototypes of each kind averaged (one close prototype is a weak witness)
# How much nearer the opinion prototypes must be (mean cosine of the NEAREST) than the fact
# ones; set on the labelled opinion files against every validation file's fact questions.
MARGIN = 0.1
# A question shaped as a fact ("who plays", "how long", "what happens") is one, whatever its
# meaning's neighbours: only a cue of wording makes it an opinion.
_FACT_FORM = re.compile(
    r"^(?:who|whos|whom|whose|when|where|what year|which year|how (?:long|old|much money|many)|"
    r"what (?:happens|happened|is the name|'s the name|was the name)|"
    r"what(?:'s| is| was) (?:his|her|their|the) (?:name|job|real name)|what language)\b"
    # critics write in the encyclopedia's reception section, not on the reviews page
    r"|\bcritics?\b|\bcritical\b"
    # one review's remark is a fact to look up ("what did the 4 star reviewer hate")
    r"|\b(?:the|one|a|that|this)(?: \w+)?(?: star| ?/ ?10)? (?:reviewer|review|guy|person|user)\b"
    r"|\bsome(?:one|body)\b"
    # a measure stated to be checked ("is it like 2 hours long"): a fact, however it leans
    r"|\b\d+(?:[.,]\d+)? ?(?:hours?|hrs?|minutes?|mins?|years?|yrs?|days?|weeks?|months?)\b")


# Casual shapes that lean towards an opinion without saying so ("what's the vibe like", "does it
# hit hard", "what's the deal with the tattoo"): they route as the
# meaning does, so a stance is given only when the ordinary answer's best passage is a review
# (when it is the article's, the article states what was asked).
_LEANS_OPINION = re.compile(
    r"^what(?:'s| is| was| are| were) (?:the |his |her |their |it )?[^?]{1,40} like\??$"
    r"|^(?:does|did) [\w' ]{1,40} (?:feel|feels|seem|seems|come (?:across|off)|hit (?:hard|home)|"
    r"drag|drags|land|hold up)\b"
    r"|^what(?:'s| is) the deal with\b"
    r"|\b(?:differen(?:t|ce)|compare[sd]?|like) (?:\w+ ){0,3}(?:his|her|their) other (?:roles?|films?|"
    r"movies?|work|stuff)\b")


def prototype_margin(qvec: np.ndarray, vectors: np.ndarray | None) -> float | None:
    """How much nearer the question is to the opinion prototypes than to the fact ones (None
    when the index holds no prototypes)."""
    if vectors is None or len(vectors) != len(PROTOTYPES):
        return None
    sims = vectors @ qvec
    n = len(OPINION_PROTOTYPES)
    top = min(NEAREST, n, len(PROTOTYPES) - n)
    return float(np.sort(sims[:n])[-top:].mean() - np.sort(sims[n:])[-top:].mean())


def without_title(question: str, film_names: tuple[str, ...]) -> str:
    """The question with the film's own names said as "it" ("is pusher 2 funny" → "is it
    funny", "how's the acting in pusher 2" → "how's the acting"), so that its wording's cues
    read the same whatever the film is called."""
    q = fold(question)
    for after, name in _title_patterns(film_names):
        q = name.sub("it", after.sub("", q))
    return q


@lru_cache(maxsize=8)
def _title_patterns(film_names: tuple[str, ...]) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """For each of the film's names, longest first: the name after a preposition, and alone."""
    out = []
    for name in sorted(film_names, key=len, reverse=True):
        said = re.escape(fold(name))
        out.append((re.compile(rf"\s*\b(?:in|of|on|for|about) {said}(?![\w-])"),
                    re.compile(rf"\b{said}(?![\w-])")))
    return out


def opinion_intent(question: str, margin: float | None | Callable[[], float | None],
                   film_names: tuple[str, ...] = ()) -> str | None:
    """Why a question asks what people think: "wording" (its cues), "leaning" (a casual shape
    that leans that way), "meaning" (nearer the opinion prototypes), either of the last two only
    when not shaped as a fact; None when it does not. `margin` may be given as a function,
    read only when the wording leaves it to the meaning."""
    if film_names:
        question = without_title(question, film_names)
    if asks_opinion(question):
        return "wording"
    parts = [part.strip() for part in SENTENCE_GAP.split(plain(question))]
    if any(_FACT_FORM.search(part) for part in parts):
        return None
    if any(_LEANS_OPINION.search(part) for part in parts):
        return "leaning"
    if callable(margin):
        margin = margin()
    if margin is None or margin < MARGIN:
        return None
    return "meaning"
