"""Whether a question asks what people think (an opinion) rather than a fact, by its wording:
who holds the opinion, the words of a verdict or of talk about one, a yes/no question judging the
film or someone in it, a verbless judgement ("plot weak?"); read with the chat spellings said in
full (`plain`). And the few wordings that look like one but ask a fact ("how much did it make",
"is it danish").

Its meaning, when the wording says nothing, is intent.py's; the aspect it asks about aspects.py's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from retrieval.knowledge.lexicon import FIELD_WORDS
from retrieval.reviews import sentiment
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
         r"get (?:bored|annoyed)|saying|thinking|feeling|talking|writing|rave[sd]?|raving|"
         + _VERDICT[3:-1] + ")")
_HOLDS = (r"(?:thinks?|thought|reckons?|felt|feels|finds|found|like[ds]?|love[ds]?|hate[ds]?|"
          r"dislike[ds]?|prefer(?:s|red)?|recommend(?:s|ed)?|enjoy(?:s|ed)?|didn't like|"
          r"praise[ds]?|raved?|raves|criticis(?:e|ed|es)|criticiz(?:e|ed|es)|slam(?:s|med)|"
          r"complain(?:s|ed)?|"
          r"did not like|was (?:lukewarm|disappointed|let down|meh|negative|positive|critical|"
          r"harsh|mixed)|tells? (?:people|ppl|everyone|you|others) to (?:go )?(?:watch|see))")
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
    r"|\b(?:better|worse) th[ae]n\b|\bbeats? the\b|\bas good as\b|\bcompares? (?:to|with)\b"
    r"|\b(?:on par|on a par|up there) with\b"
    # how someone is in it: "hows the lead in it" asks after the performance
    r"|^how(?:'s| is| was| are| were) [\w' -]{1,30} in (?:it|this|this one|the (?:film|movie|sequel))"
    r"\??$"
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
    r"|\bends? on an? (?:\w+ )?(?:downer|high|low|\w+ note)\b"
    # how it differs from others: "how is it different from hollywood crime films"
    r"|^how (?:is|was|does) (?:it|this|the (?:film|movie|sequel)) (?:differ|different)\b"
    # which of several is the better: "pusher 1 vs 2, which is better", "is this the best one"
    r"|\bwhich (?:one |film |movie |part )?(?:is|was|'s) (?:the )?(?:better|best|worse|worst)\b"
    r"|^(?:is|was) (?:it|this|the (?:film|movie|sequel)) the (?:best|worst)\b"
)


# Chat spellings of the words the cues and the scaffolding are made of ("hows the acting",
# "u cant root for him", "ok to watch w family"): said in full before either reads a question.
_CASUAL = tuple((re.compile(rf"\b{a}\b"), b) for a, b in (
    ("hows", "how's"), ("whats", "what's"), ("wheres", "where's"), ("u", "you"), ("ur", "your"),
    ("w", "with"), ("ppl", "people"), ("didnt", "didn't"), ("doesnt", "doesn't"),
    ("dont", "don't"), ("isnt", "isn't"), ("wasnt", "wasn't"), ("cant", "can't"),
    ("im", "i'm"), ("thats", "that's"), ("theres", "there's"), ("abt", "about"),
    ("tho", "though"), ("n", "and")))


SENTENCE_GAP = re.compile(r"(?<=[?.!])\s+")  # between a question's sentences


@lru_cache(maxsize=1024)  # every rule reads the question again
def plain(text: str) -> str:
    """A question folded, its chat spellings said in full ("hows" → "how's")."""
    out = fold(text)
    for pattern, full in _CASUAL:
        out = pattern.sub(full, out)
    return out


# "what do people call x" asks for a name that people use, not for what they think of x
_NAMING = re.compile(r"^what (?:do|does|did|would) (?:[\w']+ ){1,2}call\b")


def asks_opinion(question: str) -> bool:
    """Whether a question asks what people think (rather than a fact)."""
    return any(not _NAMING.search(part.strip()) and _ASKS_OPINION.search(part.strip())
               or _judges_a_part(part.strip())
               or _judges_the_film(part.strip()) or _judges_bare(part.strip())
               for part in SENTENCE_GAP.split(plain(question)))


INTENSIFIERS = frozenset("too so super very really overly kinda pretty quite that way".split())
# Where a judgement of the film ends: "good in it", "funny at all or ...", "likeable here"
_JUDGEMENT_END = re.compile(r"(?:\?*|(?:in|as|at all|or|here|enough|in this|to watch)\b.*)$")
EVALUATIVE = 1.0  # a word's lexicon valence (VADER's -4..4) from which it praises


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
        if w in INTENSIFIERS:
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


# "how much drug stuff is in it" asks an opinion; "how much did it make" a figure
_ASKS_A_COUNT = re.compile(r"\bhow many\b|\bhow much (?:money|did|does|do|was|is|were)\b"
                           r"|\bwhat (?:number|percentage)\b")
# "is it danish", "was the film swedish": one word said of the film
_IS_IT_WORD = re.compile(r"^(?:is|was) (?:it|this|the (?:film|movie|sequel)) (?:in )?([a-z]+)\W*$")
NAME_CAPITALS = 0.6  # share of a word's uses that are capitalised (mid-sentence) for a name


def asks_a_count(question: str) -> bool:
    """Whether a question asks for a number ("how many", "how much did it make"), not an opinion."""
    return bool(_ASKS_A_COUNT.search(fold(question)))


def is_a_named_kind(question: str, surface: Mapping[str, tuple[int, float]]) -> bool:
    """Whether a yes/no question asks if the film is of a kind the corpus writes as a name
    ("is it danish": a nationality, a fact), not how it comes off ("is it scary"). `surface`
    is the index's words with the share of their uses written capitalised."""
    m = _IS_IT_WORD.match(fold(question).strip())
    seen = surface.get(m.group(1)) if m is not None else None
    return seen is not None and seen[1] >= NAME_CAPITALS
