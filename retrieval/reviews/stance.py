"""Opinion questions: is a question asking what people think, about which aspect, and how the
reviews that discuss it split (positive / mixed / negative).

Which reviews discuss an aspect is decided by retrieval (retrieval/reviews/desk.py scores every
review sentence against the aspect, dense and lexical); this module holds the pure rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from retrieval.knowledge.lexicon import FIELD_WORDS
from retrieval.reviews import sentiment
from retrieval.reviews.sentiment import Polarity
from retrieval.text import fold

# Asking what people think: who holds the opinion (many people, not "a reviewer", whose one
# remark is a fact to look up), or the opinion words themselves. Critics belong to the
# encyclopedia's reception section, not to the user reviews.
_HOLDERS = (r"(?:people|ppl|reviewers|viewers|audiences?|fans|users|everyone|everybody|folks|"
            r"others|anyone|anybody|the reviews|imdb)")
_VERDICT = (r"(?:like[ds]?|love[ds]?|hate[ds]?|dislike[ds]?|enjoy(?:ed|s)?|prefer(?:red|s)?|"
            r"rate[ds]?|recommend(?:ed|s)?|praise[ds]?|criticis(?:e|ed|es)|criticiz(?:e|ed|es)|"
            r"complain(?:ed|s)?|compare[ds]?|think|thought|say|said|feel|felt|find|found|make of|"
            r"view|react(?:ed)?)")
# Saying what one thinks of something, in the reviews' way ("does anyone talk about", "anyone
# miss x", "who reckons it").
_TALK = (r"(?:talk(?:s|ed)?|mention(?:s|ed)?|bring(?:s)? up|brought up|discuss(?:es|ed)?|"
         r"describe[ds]?|miss(?:es|ed)?|call(?:s|ed)?|consider(?:s|ed)?|agree[ds]?|"
         r"notice[ds]?|reckons?|root(?:s|ed)?|care[ds]?|mind(?:s|ed)?|dig|buy|bought|"
         r"get (?:bored|annoyed)|saying|thinking|feeling|talking|writing|" + _VERDICT[3:-1] + ")")
_HOLDS = (r"(?:thinks?|thought|reckons?|felt|feels|finds|found|like[ds]?|love[ds]?|hate[ds]?|"
          r"dislike[ds]?|prefer(?:s|red)?|recommend(?:s|ed)?|enjoy(?:s|ed)?|didn't like|"
          r"did not like|was (?:lukewarm|disappointed|let down))")
# What the sentiment lexicon weighs but a question asks as a fact about someone: their state
# ("is he dead", "was she scared"), not a judgement of the film or of a performance.
_STATES = frozenset("""dead alive sick ill hurt injured wounded killed broke poor rich guilty
    innocent scared afraid angry mad drunk high happy sad pregnant married free safe lost wanted
    ok okay fine hungry tired""".split())


# "how long is it" asks for a runtime, not an opinion.
_MEASURES = r"(?!(?:long|old|much|many|big|tall|far|often|soon)\b)"
_ASKS_OPINION = re.compile(
    rf"\b{_HOLDERS}\b(?: \w+){{0,2}} {_VERDICT}\b"
    rf"|\b(?:what|how) (?:do|did|does|would) (?:you|u|i|we) (?:think|rate|feel)\b"
    r"|\bhow (?:was|were|is|are) .{1,40} received\b|\b(?:critical )?reception (?:of|to)\b"
    r"|\bopinions?\b|\bverdicts?\b|\bconsensus\b|\bviews? (?:on|of|about)\b"
    r"|\bworth (?:watching|seeing|a watch|it|the time|my time)\b|\bshould i (?:watch|see)\b"
    r"|\b(?:would you|do you|do people) recommend\b"
    r"|\b(?:is|was|are|were) (?:it|this|the (?:film|movie)|the sequel)(?: \w+)? (?:any )?"
    r"(?:good|bad|great|decent|worth)\b|\bany good\b|\bhow (?:good|bad|great)\b"
    r"|\b(?:better|worse) th[ae]n\b|\bbeats? the\b|\bas good as\b|\bcompare to\b"
    r"|^how(?:'s| (?:was|is|were|are)) (?:the |his |her |their )?(?:[\w-]+'s )?[\w-]+"
    r"(?: ?(?:/|and|or|&) ?[\w-]+)*\??$"
    # a name after "how's", not a manner ("how is the script structured" asks a fact)
    r"|\bhow(?:'s| (?:was|is|were|are)) (?!(?:the|his|her|their|it|he|she|they) )[\w-]+ "
    r"[\w-]+(?<!ed)\??$"
    # what the reviews, or people in them, say: "how do reviews describe x", "anyone miss x"
    r"|\b(?:the |user )?(?:reviews|reviewers)\b(?! (?:from|in|of) \d)"
    rf"|\b(?:people|ppl|anyone|anybody|viewers|fans)\b(?: \w+){{0,2}} {_TALK}\b"
    rf"|^who (?:\w+ ){{0,2}}{_HOLDS}\b"
    r"|\b(?:do|did|does|would|will|should|can) (?:you|u|i|we)(?: \w+)? (?:end up|care|"
    r"root|buy|believe|sympathi[sz]e)\b"
    r"|\bis there (?:a lot of|lots of|much|too much|any|enough|plenty of)\b"
    r"|\bhow much [\w ]{1,30} (?:is there|is in it|is in the (?:film|movie))\b"
    r"|\b(?:thoughts|take|impressions?) (?:on|of|about)\b"
    r"|\b(?:any |much )?(?:praise[ds]?|criticism|criticisms|complaints?|reactions?) (?:for|of|about|on|"
    r"to)\b"
    r"|^is (?:it|this) an? \w+ (?:watch|experience|ride|view)\b"
    # how the film treats something: "how does the film portray the city"
    r"|^how (?:does|did|do) (?:it|this|the (?:film|movie|sequel)) (?:portray|depict|handle|treat|"
    r"show|present|represent|deal with|capture)\b"
    rf"|^how {_MEASURES}\w+ (?:is|was) (?:it|this|the (?:film|movie))\b"
    r"|^is (?:it|the (?:film|movie)|the \w+) (?!a |an |the |in |on |at |about |based |set |from |"
    + "|".join(sorted(_STATES)) + r"\b)\w+"
    r"(?: at all)?\??$"
    r"|^what about\b"
    # how something in it comes off: "how's the car heist part", "how's the baby thing handled"
    r"|^how's (?:the |his |her |their |this |that )[^?]{1,50}?(?<!ed)\??$"
    r"|^how(?:'s| is| was| are| were) [^?]{1,60} (?:handled|done|portrayed|depicted|executed|"
    r"pulled off|acted|played|written)\??$"
    # the reviews' verdicts, by what they single out: "what were the main complaints"
    r"|^what (?:are|were|was|is|'s) (?:the|its|their) (?:main |biggest |most common |common |major )?"
    r"(?:complaints?|criticisms?|gripes?|problems?|flaws?|weaknesses|weak points?|strengths?|"
    r"strong points?|highlights?|best (?:things?|parts?)|worst (?:things?|parts?))\b"
    # a comparison by its verb: "how does it stack up against other crime films"
    r"|\b(?:stacks?|measures?) up\b"
    # how the film treats its world, as a judgement: "does it glamorize the criminal life"
    r"|^(?:does|did|is) (?:it|this|the (?:film|movie|sequel))\b.{0,20}\b(?:glamori[sz]|romantici[sz]|"
    r"glorif(?:y|ies|ied|ying)|sensationali[sz]|moralis|moraliz|preach)"
    # whether it can be watched alone: "do i need to see the first one", "does it stand alone"
    r"|\b(?:do|would|will) (?:i|you|we) (?:need|have) to (?:see|watch)\b|\bstands? (?:on its own|alone)\b"
    # which reviews speak of something: "did any reviewer mention the red scenes"
    rf"|\bany (?:of the )?(?:reviewers?|reviews?)\b(?: \w+)? {_TALK}\b"
    # a character's growth as a judgement of the writing: "does he get good character development"
    r"|\bcharacter (?:development|arc|growth)\b"
    r"|^(?:does|did) [\w' ]{1,30} (?:actually |really |ever )?(?:grow|change|develop|evolve|mature)\b"
    r".*\b(?:over|throughout|during|by the end|as a (?:person|character))\b"
    # "is it just a macho gangster flick": whether it is more than its kind
    r"|^(?:is|was) (?:it|this|the (?:film|movie|sequel)) (?:just|merely|basically|simply) "
    r"(?:an?|another) "
    # how someone plays a part: "how is the lead as the villain", "how was the guy playing x"
    r"|^how(?:'s| is| was| are| were) [\w' -]{1,40} as [\w' -]{1,30}\??$"
    r"|^how(?:'s| is| was| are| were) (?:the )?(?:guy|man|woman|girl|dude|lady|actor|actress|person|"
    r"kid|bloke|one)s? (?:playing|who plays?|who played)\b"
    r"|\bcarr(?:y|ies|ied) (?:the|this|that) (?:film|movie|show|sequel|picture)\b"
    # how much of something it has, in chat: "lots of drugs in it?", "any dark humour in it"
    r"|^(?:any|lots of|a lot of|much|too much|plenty of) [\w -]{1,30} in (?:it|this|the (?:film|movie|"
    r"sequel))(?:\??$| or\b)"
    # how well something is made: "is it well directed", "is the lead well developed"
    r"|\b(?:well|badly|poorly|nicely|beautifully|brilliantly|superbly) (?:directed|developed|written|"
    r"acted|made|shot|done|edited|paced|cast|played|portrayed|executed|crafted)\b"
    # a judgement by a noun: "are the extras a problem", "is the score a highlight"
    r"|^(?:is|are|was|were) [\w' -]{1,40} an? (?:problem|issue|letdown|weakness|strength|highlight|"
    r"plus|minus|drawback|distraction|disappointment|masterpiece|mess)(?: at all| or (?:not|nah))?\??$"
    # whether it stands alone, or how it ends in spirit: "does it work on its own", "does it
    # end on a downer"
    r"|\b(?:work|works|hold up|holds up|make sense|makes sense)\b.*\bon (?:its|their) own\b"
    r"|\bends? on an? (?:downer|high|low|\w+ note)\b"
    # how it differs from others: "how is it different from hollywood crime films"
    r"|^how (?:is|was|does) (?:it|this|the (?:film|movie|sequel)) (?:differ|different)\b"
    # which of several is the better: "pusher 1 vs 2, which is better", "is this the best one"
    r"|\bwhich (?:one |film |movie |part )?(?:is|was|'s) (?:the )?(?:better|best|worse|worst)\b"
    r"|^(?:is|was) (?:it|this|the (?:film|movie|sequel)) the (?:best|worst)\b"
)
# The question's scaffolding: who holds the opinion, how it is asked, and the film itself.
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
    according
    watch watched seen time my me any much really actually film movie flick sequel one part so
    there here get got has have had been be being well there's much most many all lot
    nah yeah yes lol pls please bother honestly tbh imo kinda sorta guys even spoilers spoiler
    whole thing things stuff anything something everything lukewarm disappointed overrated
    underrated why""".split())
_POSITIVE_FROM = 7  # a rating of 7/10 or more is a positive review
_NEGATIVE_TO = 4  # 4/10 or less is a negative one; 5-6 are mixed
EVALUATIVE = 1.0  # a word's lexicon valence (VADER's -4..4) from which it praises
# How strongly a sentence must lean to override its review's rating on the asked aspect (a 5/10
# review calling the lead "almost superhuman" is positive about him).
OVERRIDE = 0.5


# Chat spellings of the words the cues and the scaffolding are made of ("hows the acting",
# "u cant root for him", "ok to watch w family"): said in full before either reads a question.
_CASUAL = tuple((re.compile(rf"\b{a}\b"), b) for a, b in (
    ("hows", "how's"), ("whats", "what's"), ("wheres", "where's"), ("u", "you"), ("ur", "your"),
    ("w", "with"), ("ppl", "people"), ("didnt", "didn't"), ("doesnt", "doesn't"),
    ("dont", "don't"), ("isnt", "isn't"), ("wasnt", "wasn't"), ("cant", "can't"),
    ("im", "i'm"), ("thats", "that's"), ("theres", "there's"), ("abt", "about"),
    ("tho", "though"), ("n", "and")))


@lru_cache(maxsize=1024)  # every rule reads the question again
def plain(text: str) -> str:
    """A question folded, its chat spellings said in full ("hows" → "how's")."""
    out = fold(text)
    for pattern, full in _CASUAL:
        out = pattern.sub(full, out)
    return out


def asks_opinion(question: str) -> bool:
    """Whether a question asks what people think (rather than a fact)."""
    return any(_ASKS_OPINION.search(part.strip()) or _judges_a_part(part.strip())
               or _judges_the_film(part.strip()) or _judges_bare(part.strip())
               for part in re.split(r"(?<=[?.!])\s+", plain(question)))


_INTENSIFIERS = frozenset("too so super very really overly kinda pretty quite that way".split())
# Where a judgement of the film ends: "good in it", "funny at all or ...", "likeable here"
_JUDGEMENT_END = re.compile(r"(?:\?*|(?:in|as|at all|or|here|enough|in this|to watch)\b.*)$")


def _lean(word: str) -> float:
    """The lexicon's weight of a word, or of its other spelling ("likable", "likeable")."""
    lean = sentiment.valence(word)
    if lean == 0.0 and word.endswith("able") and len(word) > 6:
        lean = sentiment.valence(word[:-4] + "eable")
    return lean


# The film's fields by their names ("gross", "cut"): a noun, whatever the lexicon weighs.
_FIELD_NAMES = frozenset(w for words in FIELD_WORDS.values() for w in words if " " not in w)
# A question of a few words with no verb, ending in a judgement: "plot weak?", "jon good?",
# "the lead actor convincing or nah"
_BARE = re.compile(r"^(?!(?:who|whos|whom|whose|what|whats|when|where|wheres|why|which|how|is|was|are|"
                   r"were|does|did|"
                   r"do|can|could|will|would|should|has|have|had)\b)((?:[\w'-]+ ){1,4}?)([a-z]+)"
                   r"(?: or (?:nah|not|no|what)| at all| tho| lol)?\??$")


def _judges_bare(part: str) -> bool:
    """Whether a verbless question ends in a judgement (praise, or a fault that is no state)."""
    m = _BARE.match(part)
    word = m.group(2) if m is not None else ""
    if (m is None or word.endswith("ed") or word in _STATES or word in _FIELD_NAMES
            or (word.endswith("s") and not word.endswith(("ous", "ss")))):
        # "box office gross?" names a field of the film, "editing credits" a plural: nouns,
        # whatever the lexicon weighs them
        return False
    return abs(_lean(m.group(2))) >= EVALUATIVE


def _judges_the_film(part: str) -> bool:
    """Whether a yes/no question judges the film or someone in it: "is it too violent", "is it
    depressing" (the film: any word the sentiment lexicon weighs, or one intensified), "was the
    lead good in it", "is the hero likeable at all" (anyone: a word of praise that ends the
    clause, so "was she already famous when ..." asks a fact)."""
    m = re.match(r"^(?:is|was|are|were) (.+?)$", part)
    if m is None:
        return False
    words = m.group(1).split()
    film = words[0] in ("it", "this", "it's") or words[:2] in (
        ["the", "film"], ["the", "movie"], ["the", "sequel"])
    start = 1 if words[0] in ("it", "this") else 2 if film else 1
    for i in range(start, min(len(words), start + 5)):
        w = words[i].strip("?!.,")
        if w in ("a", "an", "the", "in", "on", "at", "about", "from", "by", "set", "based", "only"):
            return False
        if w in _INTENSIFIERS:
            if film and i + 1 < len(words):
                return True
            continue
        lean = _lean(w)
        rest = " ".join(words[i + 1:])
        if w.endswith("ed") or not _JUDGEMENT_END.match(rest):
            if film and lean <= -EVALUATIVE and not w.endswith("ed"):
                return True
            continue
        # a fault of someone or something in it that ends the clause ("are the extras weak"),
        # unless it is a state ("is he dead")
        if abs(lean) >= EVALUATIVE and (film or w not in _STATES):
            return True
    return False


# "was X convincing as Y", "is X believable as Y": a judgement of how someone plays a part
_AS_A_PART = re.compile(r"^(?:is|was|are|were) (?:\w+ ){1,4}?(?:really |very |so |any )?"
                        r"([a-z]+) as\b")


def _judges_a_part(part: str) -> bool:
    """Whether a yes/no question judges how someone plays a part: the word before "as" is one
    of praise in the sentiment lexicon ("convincing", "good"), not a state ("arrested", and
    "dead", which the lexicon weighs as grief)."""
    m = _AS_A_PART.search(part)
    if m is None or m.group(1).endswith("ed"):
        return False
    return sentiment.valence(m.group(1)) >= EVALUATIVE


# Which way a comparison goes ("even better than the first", "not nearly as good as the
# original", "on par with it"): the words of comparison, not of any film.
_NEGATED = r"(?:\bnot|n't|\bnever|\bnowhere)"
_WORSE = re.compile(
    r"\b(?:worse|inferior|weaker|pales?|falls? short|lesser)\b"
    rf"|{_NEGATED}(?: \w+){{0,5}} (?:as good|as strong|as great|as powerful|as gripping|live up|"
    r"measure up|up to|match(?:es)?|near(?:ly)? as|quite as|better)\b")
_BETTER = re.compile(r"\b(?:better|superior|surpass(?:es|ed)?|"
                     r"(?:beats?|beating) (?:the|its|it|this|that|his|her|their)\b|outdo(?:es)?|"
                     r"outshines?|improves? (?:on|upon)|an improvement|tops?|best (?:part|one|"
                     r"of the (?:three|trilogy|series)))\b")
_EQUAL = re.compile(r"\b(?:as good as|just as good|equal(?:s|ly good| to)?|on par|par with|up there with|"
                    r"same (?:level|quality|standard)|as strong as|as great as|matches|lives up|"
                    r"holds up (?:to|against)|every bit as)\b")
COMPARATIVE = re.compile("|".join(f"(?:{r.pattern})" for r in (_WORSE, _BETTER, _EQUAL))
                         + r"|\b(?:than|par|as good|compared?|comparison)\b")


@lru_cache(maxsize=1 << 13)  # review sentences recur from question to question
def comparison_sides(text: str) -> frozenset[str]:
    """Which ways a text compares one thing with another: "better", "worse", "equal" (a
    denied comparison, "not as good as", is "worse", not "equal" or "better")."""
    t = re.sub(r"\bif not (?=better\b)", "or ", fold(text))  # "as good as, if not better"
    out = set()
    if _WORSE.search(t):
        out.add("worse")
    if _BETTER.search(t) and not re.search(rf"{_NEGATED}(?: \w+){{0,2}} better\b", t):
        out.add("better")
    if _EQUAL.search(t) and "worse" not in out:
        out.add("equal")
    return frozenset(out)


def aspect_words(question: str, title_words: Iterable[str] = ()) -> list[str]:
    """The question's words once its scaffolding and the film's own title are taken out."""
    titles = set(title_words)
    out = []
    # "do you end up rooting for him": a phrasal verb, not the ending
    text = re.sub(r"\b(?:end|ends|ended|ending) up\b", " ", plain(question))
    for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text):
        bare = w.removesuffix("'s")
        if (bare not in _SCAFFOLD and bare not in _INTENSIFIERS and bare not in titles
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
                         "go check".split())
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
    "who recommends it?"): its aspect's words are all of that."""
    words = aspect_words(question, title_words)
    return bool(words) and all(w in _WORTH_WORDS for w in words)


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
                       r"|^what\b.*\b(?:dislike[ds]?|hate[ds]?)\b")


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
        if w in _COMPARING or w in _INTENSIFIERS or (
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


def side_of_rating(rating: int | None) -> Polarity | None:
    """positive (≥ 7/10), mixed (5–6) or negative (≤ 4); None for an unrated review."""
    if rating is None:
        return None
    return "positive" if rating >= _POSITIVE_FROM else "negative" if rating <= _NEGATIVE_TO else "mixed"


def side(rating: int | None, sentence_compound: float, *, overall: bool) -> Polarity:
    """The side a review takes on the aspect: its rating's, unless it is unrated or (for a
    particular aspect) its sentence about it leans strongly the other way."""
    by_rating = side_of_rating(rating)
    by_words: Polarity = ("positive" if sentence_compound >= 0.05 else
                          "negative" if sentence_compound <= -0.05 else "mixed")
    if by_rating is None:
        return by_words
    if overall:
        return by_rating
    if abs(sentence_compound) >= OVERRIDE and by_words != by_rating:
        return by_words
    return by_rating


@dataclass(frozen=True, slots=True)
class Voice:
    """One review's voice on the asked aspect: its best sentence and the side it takes."""

    record: int  # index into the desk's records
    passage: int
    start: int  # the sentence, relative to the passage text
    end: int
    score: float
    side: Polarity
    compound: float


def order_voices(voices: list[Voice], negative_first: bool) -> list[Voice]:
    """The best voice of each side first, then every other voice by score. The sides come
    best voice first (the most on-topic quote leads), or negative first when the question
    leans that way ("did anyone hate it?")."""
    by_score = sorted(voices, key=lambda v: -v.score)
    heads: list[Voice] = []
    if negative_first:
        heads = [v for v in by_score if v.side == "negative"][:1]
    for v in by_score:
        if all(h.side != v.side for h in heads):
            heads.append(v)
    return heads + [v for v in by_score if v not in heads]
