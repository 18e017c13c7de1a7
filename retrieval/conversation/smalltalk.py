"""Small talk and help: greetings, thanks, "help", "what can you do", "are you a bot" and empty
mentions get one short friendly reply with three example questions, never a quote or an
abstention.

The examples are built from the knowledge graph (no name is written here), so they are
questions the engine answers from its strongest evidence: a cast line, a stated relation and
an infobox field.
"""

from __future__ import annotations

import re
from typing import Any

from retrieval.knowledge.graph import Knowledge

_GREETING = (r"hi+|hello+|hey+|heya|hiya|yo+|howdy|greetings|sup|wassup|what'?s up|good "
             r"(?:morning|afternoon|evening|day)|morning|evening|hallo|hej|hola|salut|ciao")
_THANKS = (r"thanks?|thank you(?: (?:so|very) much)?|thx|ty|tysm|cheers|much appreciated|"
           r"great|cool|nice|awesome|perfect|ok(?:ay)?|got it|makes sense|good (?:bot|job)|"
           r"well done|lol|haha+|bye|goodbye|see (?:you|ya)|later|good night|gn")
_HELP = (r"help|\?+|what can you do|what do you do|what can i ask(?: you)?|what should i ask|"
         r"what are you|who are you|what is this|how does this work|how do (?:i|you) use (?:you|"
         r"this)|what do you know(?: about)?|what are you for|commands|usage|"
         r"are you (?:a )?(?:bot|robot|human|real|ai|an ai|a person|alive)|is this a bot|"
         r"are you there|you there|anyone there|how are you(?: doing)?|how r u|hru")
_ADDRESS = r"(?:\s+(?:bot|pusherbot|there|all|everyone|guys|folks|friend|mate|buddy))?"
SMALLTALK = re.compile(rf"^\s*(?:(?:{_GREETING}|{_THANKS}){_ADDRESS}[\s,.!]*)*"
                       rf"(?:(?:{_GREETING}|{_THANKS}|{_HELP}){_ADDRESS})?[\s,.!?:)(]*$",
                       re.IGNORECASE)
_THANKS_ONLY = re.compile(rf"^\s*(?:(?:{_THANKS}){_ADDRESS}[\s,.!:)(]*)+$", re.IGNORECASE)


def is_smalltalk(text: str) -> bool:
    """Whether a message is only a greeting, thanks, a request for help, or empty."""
    return bool(SMALLTALK.match(text.replace("’", "'")))


def example_questions(knowledge: Knowledge) -> tuple[str, ...]:
    """Three questions the documents answer well: an actor, a relation, a crew member."""
    k = knowledge
    out: list[str] = []
    lead = k.protagonist
    for e in k.entities:
        # The lead appears in the relation example; a cast line states the actor plainly.
        if e.kind == "character" and e.id != lead and any(
                link.relation == "played_by" and link.rank == 0
                for link in k.links_from.get(e.id, ())):
            out.append(f"Who plays {e.name}?")
            break
    rel = next((link for link in sorted(k.links, key=lambda x: (x.rank, x.passage))
                if link.relation in ("rel:father", "rel:mother") and link.subject == lead), None)
    if rel is not None:
        noun = rel.relation[4:]
        out.append(f"Who is {k.entity(rel.subject).name}'s {noun}?")
    for field, question in (("director", "Who directed the film?"),
                            ("cinematography", "Who was the cinematographer?"),
                            ("runtime", "How long is the film?")):
        if field in k.fields:
            out.append(question)
            break
    for fallback in ("How does the film end?", "What is the film about?",
                     "What did the reviewers think of it?"):
        if len(out) >= 3:
            break
        out.append(fallback)
    return tuple(out[:3])


def smalltalk_message(text: str, knowledge: Knowledge) -> str:
    """The one friendly reply to small talk: who the bot is and three example questions."""
    films = [e.name for e in knowledge.entities if e.kind == "film"]
    film = f"*{films[0]}*" if films else "the film in my documents"
    examples = "\n".join(f"• {q}" for q in example_questions(knowledge))
    if _THANKS_ONLY.match(text.replace("’", "'")) and text.strip():
        opening = f"You're welcome! Ask me anything else about {film}."
    else:
        opening = (f"Hi! I'm a bot that answers questions about {film} by quoting the "
                   "Wikipedia article and IMDb reviews, with their source.")
    return (f"{opening}\nTry for example:\n{examples}\n"
            "You can follow up too: “who plays him?”, “and the ending?”, “why?”.")


# Personal pronouns that stand for one person; "they" is often no one in particular ("do
# they ever name the baby").
_PERSONAL = re.compile(r"\b(he|him|his|she|her|hers)\b", re.IGNORECASE)


def unresolved_pronoun(question: str, analysis: Any) -> str | None:
    """The pronoun of a question that names nobody and whose pronoun the engine's own reading
    did not take as anyone ("the mother of his kid" is the lead's), else None."""
    m = _PERSONAL.search(question)
    if m is None or not isinstance(analysis, dict):
        return None
    if analysis.get("type") == "record":
        return None  # "when did jdoe post his review": the records answered; his is jdoe's
    if analysis.get("named") or analysis.get("resolved") or any(
            "pronoun" in note for note in analysis.get("notes", ())):
        return None
    return m.group(1).lower()


def clarification(pronoun: str, knowledge: Knowledge) -> str:
    """The request to say whom a pronoun means, with a question the documents answer."""
    example = next(iter(example_questions(knowledge)), None)
    ask = f" For example: “{example}”" if example else ""
    return f"Who do you mean by “{pronoun}”? Ask again with a name.{ask}"
