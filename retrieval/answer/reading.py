"""What a quote or a question names, read against the knowledge graph: the people and
characters it mentions, a name that is nobody's (a place, a brand, a title), another work the
passages quote, a name beside the asked words. The verification's checks read quotes with it
(engine.py); nothing here ranks or decides."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from retrieval.answer.analyse import Analysis
from retrieval.answer.retrieve import CAPITAL_RUN, capitalised_runs
from retrieval.answer.types import holds_type
from retrieval.answer.verify import ANCHOR_SHARE, Anchor, anchor_share
from retrieval.index.bm25 import BM25
from retrieval.knowledge.graph import Knowledge
from retrieval.knowledge.lexicon import FIELD_TYPES, relation_word
from retrieval.passage import Passage
from retrieval.text import (
    STOPWORDS,
    content_terms,
    fold,
    plain_words,
    quoted_phrases,
    sentences,
    stem,
    term_set,
)
from retrieval.text import words as words_of

NAME_WINDOW = 3  # words either side of a question word where the name it asks for must stand
# Places a bare name answers ("set in Oslo" says which city): any other kind, an establishment
# ("which prison", "what street"), is named beside its noun.
_REGIONS = frozenset(stem(w) for w in "city country town neighbourhood neighborhood district village "
                     "island".split())
NOUN_WINDOW = 30  # characters either side of a noun where the name of its kind must stand


_QUOTED_TITLE = re.compile(r"[\"“]([^\"“”]{3,60})[\"”]")


class QuoteReader:
    """Reads quotes and questions for names, with the graph's aliases; cached, thread-safe
    enough for the engine (a cache entry is written whole)."""

    def __init__(self, knowledge: Knowledge, passages: Sequence[Passage], bm25: BM25,
                 is_name: Callable[[str], bool], title_terms: set[str]) -> None:
        self.knowledge = knowledge
        self._passages = passages
        self._bm25 = bm25
        self._is_name = is_name
        self._title_terms = title_terms
        self._mentions: dict[str, frozenset[int]] = {}  # text → entities it names (texts recur)
        self._runs: dict[str, frozenset[str]] = {}  # quote → the names it writes (quotes recur)
        self._works: frozenset[str] | None = None  # other works the passages quote, folded

    def foreign_title(self, q: str) -> str | None:
        """A run of two or more capitalised words inside the question ("Reservoir Dogs"),
        not its opening word, one of whose words no passage uses and none of which names
        anyone or anything the graph knows; None when there is none."""
        for m in CAPITAL_RUN.finditer(q):
            run = m.group(0)
            if m.start() == len(q) - len(q.lstrip()):
                run = run.partition(" ")[2]  # "Who directed…": the opening word is no name
            words = words_of(run)
            if len(words) < 2 or self.mentioned(run):
                continue
            if any(not self._bm25.knows(w) for w in words):
                return run
        return None

    def quoted_work(self, q: str) -> str | None:
        """A title the passages write in quotes ("grey harbour"), two words or more and
        naming no one the graph knows, that the question names; None when it names none."""
        if self._works is None:
            # a word of any known name makes it a name ("jon the knife") or this film's title
            named = {w for key in self.knowledge.by_alias for w in key.split()}
            self._works = frozenset(
                phrase for p in self._passages for phrase in quoted_phrases(p.text)
                if 2 <= len(phrase.split()) <= 6 and not named & set(phrase.split()))
        asked = f" {plain_words(q)} "
        return next((w for w in sorted(self._works) if f" {w} " in asked), None)

    def kind_stated(self, quote: str, noun: str) -> bool:
        """Whether a quote that names the noun says which kind: "a sawn-off gun", or a name
        that is nobody's ("steals a Porsche… the car", "the scores of John Williams"); not
        "buy him a gun". A quote that does not name the noun may still answer ("a Porsche")."""
        tokens = re.findall(r"[\w’'-]+", quote)
        found = [i for i, w in enumerate(tokens) if stem(fold(w)) == noun]
        if not found:
            return True
        if any(i > 0 and (fold(tokens[i - 1]) not in STOPWORDS
                          or any(c.isdigit() for c in tokens[i - 1])) for i in found):
            return True
        return self.names_nobody(quote)

    def names_nobody(self, quote: str, noun: str = "", *, quoted: bool = False) -> bool:
        """Whether a quote holds a capitalised word, inside a sentence, that names no one the
        graph knows: a place, a brand, a title ("at Ann's flat" does not). A run of capitals is
        read whole ("Ann Holm" is someone though "Ann" alone names no one). With a noun (the
        stem of "which prison"), a quote that writes the noun must name it beside it ("Vestre
        Prison", "the prison of Holm"), not anywhere ("released from prison… in Oslo")."""
        near = _near_noun(quote, noun) if noun else None
        if noun and near is None and noun not in _REGIONS:
            return False  # "which prison": a name beside the prison, not a city elsewhere
        # the words of the names of those the quote mentions: "Jon the Knife" is Jon's
        # nickname, its second capital no one else's name
        named = {w for e in self.mentioned(quote)
                 if self.knowledge.entity(e).kind in ("person", "character")
                 for a in self.knowledge.entity(e).aliases for w in words_of(a)}
        for m in CAPITAL_RUN.finditer(quote):
            if set(words_of(m.group(0))) <= named:
                continue
            if near is not None and not any(a - NOUN_WINDOW <= m.start() and m.end() <= b + NOUN_WINDOW
                                            for a, b in near):
                continue
            run = m.group(0)
            if _opens_sentence(quote, m.start()):
                run = run.partition(" ")[2]  # "But Ann": the opening word says nothing
            if run and not any(self.knowledge.entity(e).kind in ("person", "character", "film")
                               for e in self.mentioned(run)) and not (
                    # the series' bare name, "from Part (1996)": a film too
                    set(content_terms(run)) <= self._title_terms):
                return True
        # With `quoted`: a title in quotation marks, however cased ("the end of 'once were
        # warriors'"), of two words or more and naming no one the graph knows.
        return quoted and any(
            len(m.group(1).split()) >= 2 and not self.mentioned(m.group(1).title())
            and not set(content_terms(m.group(1))) <= self._title_terms
            for m in _QUOTED_TITLE.finditer(quote))

    def describes_beyond_relations(self, line: str) -> bool:
        """Whether a cast line's description says more than whose relative someone is
        ("A nurse and the mother of Jons child" does; "Jons girlfriend" does not)."""
        return any(w not in STOPWORDS and not relation_word(w) and not w[:1].isdigit()
                   and not self.mentioned(raw.title()) for raw, w in description_words(line))

    def states_relation(self, quote: str, analysis: Analysis, asked: set[str],
                         own_words: set[str]) -> bool:
        """Whether one sentence names the question's people, and someone else beside the
        asked relation's own words: "Jon… is about to marry his girlfriend Ann"."""
        for sentence in sentences(quote):
            if (set(analysis.entities) <= self.mentioned(sentence)
                    and self.name_near(sentence, [], asked, own_words)):
                return True
        return False

    @staticmethod
    def names_other_part(quote: str, anchors: list[Anchor], mentioned: Callable[[int], bool]
                          ) -> float:
        """1.0 when two neighbouring sentences of the quote name the other part of the series
        and hold at least half of the question's other words: "at the end of Pusher. This
        reveals… The third film is Pusher 3, which follows…" does not say how the third ends."""
        proper = [a for a in anchors if a.proper]
        rest = [a for a in anchors if not a.proper]
        parts = sentences(quote)
        # as much of the rest as the whole quote holds, up to half: those words must stand
        # beside the other part's name
        wanted = min(ANCHOR_SHARE, anchor_share(term_set(quote), rest, mentioned))
        for i in range(len(parts)):
            terms = term_set(" ".join(parts[i:i + 2]))
            if (anchor_share(terms, proper, mentioned) >= 1.0
                    and anchor_share(terms, rest, mentioned) >= wanted):
                return 1.0
        return 0.0

    def states_field(self, quote: str, kind: str, analysis: Analysis,
                      field_words: frozenset[str]) -> bool:
        """Whether one sentence of a quote states the asked field: its value's type beside the
        field's own word ("a budget of $2 million"), or for a date, beside the film's title."""
        if not analysis.fields:
            return False
        if kind == "cast" and analysis.fields[0] == "starring":
            return True  # a line of the cast list is the cast, as the starring line lists it
        date_field = FIELD_TYPES.get(analysis.fields[0]) == "date"
        for sentence in sentences(quote):
            if not holds_type(sentence, analysis.answer_type, self.names):
                continue
            terms = term_set(sentence)
            if terms & field_words or (date_field and (kind == "lead"
                                                       or bool(terms & self._title_terms))):
                return True
        return False

    def name_runs(self, text: str) -> frozenset[str]:
        """Folded names in a text: runs of capitalised words the corpus writes as names
        (cached: the same quotes are read question after question)."""
        hit = self._runs.get(text)
        if hit is None:
            hit = self._runs[text] = frozenset(k for k in capitalised_runs(text)
                                               if k and all(self._is_name(w) for w in k.split()))
        return hit

    def name_near(self, quote: str, anchors: list[Anchor], asked: set[str],
                   relation_stems: set[str]) -> bool:
        """Whether a name the question does not use stands within a few words of one of its
        other words: "his cell-mate, Jon," names the cell-mate; a name four clauses on does not."""
        found = list(re.finditer(r"[\w’'-]+", quote))
        tokens = [m.group(0) for m in found]
        # A capital that opens a sentence says nothing about a name.
        opens = [_opens_sentence(quote, m.start()) for m in found]
        # A hyphenated word counts by its parts too: "the Dukes ex-wife" holds the "ex" asked.
        stems = [{stem(fold(w))} | ({stem(p) for p in fold(w).split("-") if p} if "-" in w else set())
                 for w in tokens]
        wanted = set().union(*(a.stems for a in anchors if a.entity is None)) if anchors else set()
        wanted |= relation_stems
        for i, s in enumerate(stems):
            if not s & wanted:
                continue
            for j in range(max(0, i - NAME_WINDOW), min(len(tokens), i + NAME_WINDOW + 1)):
                w = tokens[j]
                # …unless it is someone's very name, as a subject ("Jon takes the child"; not
                # the possessive "Jons dad")
                if j != i and w[:1].isupper() and fold(w) not in asked and (
                        not opens[j] or any(self.knowledge.entity(e).kind in ("person", "character")
                                            for e in self.knowledge.by_alias.get(fold(w), ()))):
                    return True
        return False

    def mentioned(self, text: str) -> set[int]:
        """The entities a text names (cached: the same texts are read question after question)."""
        hit = self._mentions.get(text)
        if hit is None:
            hit = self._mentions[text] = frozenset(self._find_mentions(text))
        return set(hit)

    def _find_mentions(self, text: str) -> set[int]:
        """Entities a text names by any of their names; naming an actor names their role too
        ("the actor's dad" in a review is the role's dad), but not the reverse (the role's son
        is no son of the actor's)."""
        found: set[int] = set()
        by_alias = self.knowledge.by_alias
        for key in capitalised_runs(text):
            found.update(by_alias.get(key) or by_alias.get(key[:-1] if key.endswith("s") else "",
                                                            ()))
        for e in list(found):
            for link in self.knowledge.links_to.get(e, ()):
                if link.relation == "played_by":
                    found.add(link.subject)
        return found

    def names(self, text: str) -> bool:
        """Whether a text names a person or character the knowledge graph knows."""
        return bool(self.mentioned(text))

    def names_this_film(self, text: str) -> bool:
        """Whether a text names someone the graph knows, or this film by its own title: a
        title that is another film's is neither."""
        return bool(self.mentioned(text)) or set(content_terms(text)) <= self._title_terms


def _near_noun(quote: str, noun: str) -> list[tuple[int, int]] | None:
    """Where a quote writes a noun (by its stem), or None when it does not."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[\w’'-]+", quote)
             if stem(fold(m.group(0))) == noun]
    return spans or None


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence: its capital says nothing about a name."""
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:"


OF_WINDOW = 3  # words back from a noun to the "of" that makes it whom another is described by


def description_words(line: str) -> list[tuple[str, str]]:
    """The words of a cast line's description ("Ann Holm as Ann: A nurse…"), as written and
    folded."""
    return [(w, fold(w)) for w in re.findall(r"[\w’'-]+", line.partition(":")[2])]


def of_another(line: str, stems: set[str]) -> bool:
    """Whether a cast line's description holds the asked words only after an "of" ("Ann: the
    mother of Jons child" describes the mother, not the child), so it is no line of theirs."""
    tokens = [w for _raw, w in description_words(line)]
    found = [i for i, w in enumerate(tokens) if stem(w) in stems]
    return bool(found) and all("of" in tokens[max(0, i - OF_WINDOW):i] for i in found)
