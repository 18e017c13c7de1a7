"""`/ask`, `/about` and the answer buttons, through discord.py's real dispatch.

Each slash command and click is an INTERACTION_CREATE event fed to the client's connection state,
so the command tree, the view store and the view's own dispatch (interaction_check, the timeout
restart, on_error) all run; `FakeDiscord` answers the HTTP requests like Discord and records
them. The engine is the real one.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import stat
import threading
import time
from typing import Any

import discord
import pytest
from bot_fakes import AnswersAs, BotFactory
from fake_discord import FakeDiscord, Request

from bot import format as fmt
from bot import views
from bot.cogs.ask import AskCog
from bot.feedback import FeedbackLog, salt_path
from retrieval.answer.result import Answer
from retrieval.engine import Engine
from retrieval.index.stats import CorpusStats

DUKE = "who plays the duke?"
OFF_TOPIC = "what is the capital of France?"
SPOILER_QUESTION = "how does the film end?"


class TracingEngine:
    """The real engine; counts calls running at once and notes what Discord had seen by then."""

    def __init__(self, real: Engine, api: FakeDiscord | None = None) -> None:
        self.real = real
        self.api = api
        self.requests_before: list[int] = []  # requests Discord had received when each call began
        self.in_flight = 0
        self.max_in_flight = 0
        self.threads: set[threading.Thread] = set()
        self._lock = threading.Lock()

    def answer(self, question: str, top_k: int | None = None) -> Answer:
        with self._lock:
            self.threads.add(threading.current_thread())
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self.api is not None:
                self.requests_before.append(len(self.api.requests))
        try:
            return self.real.answer(question, top_k)
        finally:
            with self._lock:
                self.in_flight -= 1

    def stats(self) -> CorpusStats:
        return self.real.stats()


def only(requests: list[Request]) -> Request:
    (request,) = requests
    return request


def shown_text(message: dict[str, Any]) -> str:
    """What a reply shows: its content, or its embed's title and description."""
    if message["embeds"]:
        embed = message["embeds"][0]
        return embed.get("title", "") + "\n" + embed.get("description", "")
    return message["content"]


async def test_ask_defers_before_answering_then_follows_up(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    tracing = TracingEngine(engine, discord_api)
    bot = await make_bot(engine=tracing)
    token = await discord_api.slash("ask", question=DUKE)
    (thread,) = tracing.threads  # the engine ran in a worker, never on the event loop's thread
    assert thread is not threading.main_thread() and thread.name.startswith("pusherbot-answer")
    defer, followup = discord_api.requests_of(token)
    assert defer.kind == 5 and not defer.ephemeral  # "thinking…", visible to the channel
    assert tracing.requests_before == [1]  # Discord had the defer before the engine started
    assert followup.method == "POST" and followup.ok
    assert followup.data["allowed_mentions"] == {"parse": []}
    expected = engine.answer(DUKE, bot.settings.top_k)
    top = expected.results[0]
    embed = followup.embed()
    assert embed.title == DUKE
    assert fmt.quote_markdown(top.quote, hidden=top.passage.spoiler) in embed.description
    assert fmt.escape(top.citation) in embed.description
    reply = discord_api.reply_id(token)
    assert not discord_api.is_ephemeral(reply)
    names = [b.get("label") or b["emoji"]["name"] for b in discord_api.buttons(reply)]
    assert names == ["More passages", "👍", "👎"]


async def test_private_ask_is_ephemeral_throughout(
    make_bot: BotFactory, discord_api: FakeDiscord
) -> None:
    await make_bot()
    token = await discord_api.slash("ask", question=DUKE, private=True)
    defer, followup = discord_api.requests_of(token)
    assert defer.ephemeral and followup.ephemeral
    assert discord_api.is_ephemeral(discord_api.reply_id(token))


async def test_the_spoilers_option_shows_them_plainly_and_only_to_the_asker(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    assert engine.answer(SPOILER_QUESTION, 9).results[0].passage.spoiler, "precondition: a spoiler"
    await make_bot()
    hidden = await discord_api.slash("ask", question=SPOILER_QUESTION, user=1)
    shown = await discord_api.slash("ask", question=SPOILER_QUESTION, spoilers=True, user=2)
    hidden_reply, shown_reply = discord_api.reply_of(hidden), discord_api.reply_of(shown)
    assert "||" in hidden_reply["embeds"][0]["description"]
    assert "||" not in shown_reply["embeds"][0]["description"]
    # The hidden one may go to the channel; plain spoilers never do: not even the "thinking…"
    # placeholder (whose visibility the answer inherits at Discord) is public.
    assert not discord_api.is_ephemeral(int(hidden_reply["id"]))
    assert discord_api.is_ephemeral(int(shown_reply["id"]))
    assert all(r.ephemeral for r in discord_api.requests_of(shown) if r.is_callback)


async def test_an_abstention_is_short_text_without_embed_or_buttons(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    expected = engine.answer(OFF_TOPIC, 9)
    assert not expected.answered, "precondition: the engine abstains"
    await make_bot()
    reply = discord_api.reply_of(await discord_api.slash("ask", question=OFF_TOPIC))
    assert reply["content"] == fmt.abstain_text(expected)
    assert not reply["embeds"] and not reply["components"]


async def test_the_cooldown_answers_ephemerally_without_asking_the_engine(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    tracing = TracingEngine(engine)
    await make_bot(engine=tracing, cooldown_rate=1, cooldown_per=60.0)
    await discord_api.slash("ask", question=DUKE)
    second = await discord_api.slash("ask", question=DUKE)
    assert tracing.max_in_flight == 1 and len(tracing.threads) == 1
    refusal = only(discord_api.requests_of(second))
    assert refusal.kind == 4 and refusal.ephemeral
    assert refusal.data["content"].startswith("Slow down")


async def test_an_engine_error_gets_an_apology_and_the_next_question_an_answer(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    class Broken(TracingEngine):
        def answer(self, question: str, top_k: int | None = None) -> Answer:
            if question == "boom":
                raise OSError("disk gone")
            return super().answer(question, top_k)

    await make_bot(engine=Broken(engine))
    failed = await discord_api.slash("ask", question="boom", user=1)
    assert discord_api.reply_of(failed)["content"] == fmt.ERROR_TEXT
    ok = await discord_api.slash("ask", question=DUKE, user=2)
    assert discord_api.reply_of(ok)["embeds"][0]["title"] == DUKE


async def test_about_shows_the_real_corpus_stats(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    await make_bot()
    response = only(discord_api.requests_of(await discord_api.slash("about")))
    assert response.kind == 4 and response.data["allowed_mentions"] == {"parse": []}
    fields = {f.name: f.value for f in response.embed().fields}
    stats = engine.stats()
    assert fields["Passages"] == str(stats.passages) and fields["Reviews"] == str(stats.reviews)
    assert stats.index_version in fields["Index"]
    for doc in stats.documents:
        assert fmt.escape(doc) in fields["Documents"]


def test_command_descriptions_come_from_docstrings() -> None:
    ask_cmd, about_cmd = AskCog.ask, AskCog.about
    assert ask_cmd.description == (
        "Ask a question about the film Pusher II; the answer is a quote with its source."
    )
    assert about_cmd.description.startswith("What pusherbot knows")
    params = {p.name: p for p in ask_cmd.parameters}
    assert params["question"].description.startswith("Your question")
    q = params["question"]
    assert q.required and (q.min_value, q.max_value) == (1, 1000)  # string length bounds
    assert params["private"].description == "Only you see the answer."
    assert not params["private"].required and params["private"].default is False
    assert params["spoilers"].description.startswith("Show plot spoilers")
    assert "only you" in params["spoilers"].description


async def test_a_failing_command_is_logged_and_apologised_for(
    make_bot: BotFactory,
    discord_api: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await make_bot()

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("kaput")

    monkeypatch.setattr(bot.answerer, "converse", broken)
    with caplog.at_level(logging.ERROR):
        token = await discord_api.slash("ask", question=DUKE)
    defer, apology = discord_api.requests_of(token)
    assert defer.kind == 5 and apology.data["content"] == fmt.ERROR_TEXT
    assert any(r.exc_info and "kaput" in str(r.exc_info[1]) for r in caplog.records)


async def test_more_passages_pages_for_the_asker_only(
    make_bot: BotFactory, discord_api: FakeDiscord
) -> None:
    await make_bot()
    reply = discord_api.reply_id(await discord_api.slash("ask", question=DUKE, user=1001))
    stranger = await discord_api.click(reply, "More passages", user=2002)
    refusal = only(discord_api.requests_of(stranger))
    assert refusal.data["content"] == fmt.ONLY_ASKER_TEXT and refusal.ephemeral
    assert "page 1/3" in discord_api.messages[reply]["embeds"][0]["footer"]["text"]
    for page in (2, 3):
        update = only(discord_api.requests_of(await discord_api.click(reply, "More passages")))
        assert update.kind == 7  # the answer itself is edited, through the click's token
        assert f"page {page}/3" in update.embed().footer.text
    assert discord_api.button(reply, "More passages").get("disabled")  # the last page


async def test_votes_append_the_question_shown_passages_and_a_pseudonym(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    bot = await make_bot()
    reply = discord_api.reply_id(await discord_api.slash("ask", question=DUKE, user=1001))
    thanks = only(discord_api.requests_of(await discord_api.click(reply, "👍", user=3003)))
    assert thanks.data["content"] == fmt.THANKS_TEXT and thanks.ephemeral
    again = only(discord_api.requests_of(await discord_api.click(reply, "👎", user=3003)))
    assert again.data["content"] == fmt.ALREADY_VOTED_TEXT
    await discord_api.click(reply, "More passages", user=1001)
    await discord_api.click(reply, "👎", user=4004)
    log = FeedbackLog(bot.settings.feedback_file)
    rows = [json.loads(x) for x in log.path.read_text(encoding="utf-8").splitlines()]
    assert [(r["vote"], r["user"], r["page"]) for r in rows] == [
        ("up", log.pseudonym(3003), 0),
        ("down", log.pseudonym(4004), 1),
    ]
    assert all(r["question"] == DUKE for r in rows)
    page_2 = engine.answer(DUKE, bot.settings.top_k).results[3:6]
    assert [p["quote"] for p in rows[1]["passages"]] == [r.quote for r in page_2]


async def test_a_vote_that_could_not_be_saved_is_not_counted(
    make_bot: BotFactory, discord_api: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await make_bot()
    reply = discord_api.reply_id(await discord_api.slash("ask", question=DUKE))
    real_append = FeedbackLog.append
    failures = iter([OSError(28, "No space left on device")])

    def append_once_broken(self: FeedbackLog, record: dict[str, Any]) -> None:
        error = next(failures, None)
        if error is not None:
            raise error
        real_append(self, record)

    monkeypatch.setattr(FeedbackLog, "append", append_once_broken)
    failed = only(discord_api.requests_of(await discord_api.click(reply, "👍", user=5)))
    assert failed.data["content"] == fmt.VOTE_NOT_SAVED_TEXT and failed.ephemeral
    retry = only(discord_api.requests_of(await discord_api.click(reply, "👍", user=5)))
    assert retry.data["content"] == fmt.THANKS_TEXT  # not "already rated"
    lines = bot.settings.feedback_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["vote"] == "up"


async def test_feedback_stores_no_discord_ids_and_hashes_voters_with_a_secret_salt(
    make_bot: BotFactory,
    discord_api: FakeDiscord,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    someone, role, channel = "123456789012345678", "222222222222222222", "333333333333333333"
    voter = 765432109876543210
    question = f"who plays the duke? ask <@{someone}> <@!{someone}> <@&{role}> in <#{channel}>"
    bot = await make_bot(engine=AnswersAs(engine, DUKE))
    caplog.set_level(logging.DEBUG)
    reply = discord_api.reply_id(await discord_api.slash("ask", question=question, user=1001))
    await discord_api.click(reply, "👍", user=voter)
    feedback = bot.settings.feedback_file
    text = feedback.read_text(encoding="utf-8")
    for raw_id in (someone, role, channel, str(voter)):
        assert raw_id not in text
    (row,) = [json.loads(line) for line in text.splitlines()]
    assert row["question"] == "who plays the duke? ask @user @user @role in #channel"
    # keyed by a per-install secret, so hashing a member list does not reveal the voter
    salt_file = salt_path(feedback)
    assert salt_file.parent == feedback.parent
    assert stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    salt = bytes.fromhex(salt_file.read_text(encoding="ascii").strip())
    assert len(salt) == 32
    unsalted = hashlib.sha256(f"pusherbot-feedback:{voter}".encode()).hexdigest()[:16]
    assert row["user"] != unsalted
    assert row["user"] == hmac.new(salt, str(voter).encode(), hashlib.sha256).hexdigest()[:16]
    assert FeedbackLog(feedback).pseudonym(voter) == row["user"]  # stable across restarts
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert salt.hex() not in logged and salt.hex() not in repr(bot.feedback)


async def test_a_failing_emoji_button_is_logged_by_its_emoji(
    make_bot: BotFactory,
    discord_api: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await make_bot()
    reply = discord_api.reply_id(await discord_api.slash("ask", question=DUKE))

    async def broken(self: FeedbackLog, **kwargs: Any) -> None:
        raise RuntimeError("bug in the vote")

    monkeypatch.setattr(FeedbackLog, "vote", broken)
    with caplog.at_level(logging.ERROR):
        apology = only(discord_api.requests_of(await discord_api.click(reply, "👎", user=9)))
    assert apology.data["content"] == fmt.ERROR_TEXT and apology.ephemeral
    (record,) = [r for r in caplog.records if r.exc_info]
    assert record.getMessage() == "button 👎 failed" and "None" not in record.getMessage()


async def wait_for(condition: Any, seconds: float) -> None:
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0)


async def test_timeout_greys_out_every_button(
    make_bot: BotFactory, discord_api: FakeDiscord
) -> None:
    await make_bot(view_timeout=0.3)
    token = await discord_api.slash("ask", question=DUKE)
    reply = discord_api.reply_id(token)

    def greyed() -> bool:
        return all(b.get("disabled") for b in discord_api.buttons(reply))

    await wait_for(greyed, 5)
    await discord_api.settle()
    edit = discord_api.requests_of(token)[-1]
    assert edit.method == "PATCH" and edit.ok and edit.message_id == reply
    assert edit.data["allowed_mentions"] == {"parse": []}
    assert greyed()


async def test_clicks_never_push_the_timeout_past_the_life_of_the_token(
    make_bot: BotFactory, discord_api: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Discord's 15-minute token and the 10-minute timeout, scaled down to seconds: the reply is
    # greyed out through the /ask interaction's token, which Discord refuses once expired.
    life, margin, timeout = 4.0, 1.0, 2.0
    monkeypatch.setattr(views, "INTERACTION_TOKEN_LIFE", life)
    monkeypatch.setattr(views, "EDIT_MARGIN", margin)
    discord_api.token_life = life
    await make_bot(view_timeout=timeout)
    start = time.monotonic()
    token = await discord_api.slash("ask", question=DUKE, user=1001)
    reply = discord_api.reply_id(token)
    # Each click restarts the timeout; uncapped, the last would end it at 2.4 + 2.0 = 4.4 s,
    # after the token died at 4.0 s, and the buttons would stay live-looking for good.
    for at, button, user in ((1.2, "More passages", 1001), (2.4, "👍", 7)):
        await asyncio.sleep(start + at - time.monotonic())
        clicked = await discord_api.click(reply, button, user=user)
        assert discord_api.requests_of(clicked)[0].ok

    def edited() -> bool:
        return discord_api.requests_of(token)[-1].method == "PATCH"

    await wait_for(edited, life + 1.0)
    await discord_api.settle()
    grey = discord_api.requests_of(token)[-1]
    assert grey.method == "PATCH" and grey.ok, f"greying out failed: HTTP {grey.status}"
    assert all(b.get("disabled") for b in discord_api.buttons(reply))


async def test_titles_show_markdown_literally_even_around_link_syntax(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    question = "who plays [the duke](*Tonny*) in **Pusher II** (2004)?"
    await make_bot(engine=AnswersAs(engine, DUKE))
    reply = discord_api.reply_of(await discord_api.slash("ask", question=question))
    title = reply["embeds"][0]["title"]
    # Every markdown character is escaped: none of the text between `[` and `)` is formatting.
    unescaped = [c for i, c in enumerate(title) if c in "*_~`|[]" and title[i - 1 : i] != "\\"]
    assert unescaped == [], title
    assert title.replace("\\", "") == question


async def test_fifty_simultaneous_asks_are_each_answered_correctly(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    tracing = TracingEngine(engine)
    bot = await make_bot(engine=tracing)
    questions = [
        DUKE,
        OFF_TOPIC,
        "who directed Pusher II?",
        "what does Tonny's tattoo say?",
        "what do reviewers think of Mads Mikkelsen?",
    ]
    asked = [questions[i % len(questions)] for i in range(50)]
    tokens = [discord_api._send(2, {"id": str(discord_api.command_id), "name": "ask", "type": 1,
                                    "options": [{"name": "question", "type": 3, "value": q}]},
                                10_000 + i)
              for i, q in enumerate(asked)]  # all fifty arrive before any is answered
    await discord_api.settle()
    assert tracing.max_in_flight > 1  # the answers really ran side by side
    expected = {q: engine.answer(q, bot.settings.top_k) for q in questions}
    for token, question in zip(tokens, asked, strict=True):
        reply = discord_api.reply_of(token)
        assert reply["content"] != fmt.ERROR_TEXT, (
            f"answering {question!r} concurrently raised in the engine; see the captured log"
        )
        answer = expected[question]
        if answer.answered:
            top = answer.results[0]
            assert reply["embeds"][0]["title"] == question
            quote = fmt.quote_markdown(top.quote, hidden=top.passage.spoiler)
            assert quote in reply["embeds"][0]["description"]
        else:
            assert reply["content"] == fmt.abstain_text(answer)


def test_the_fake_refuses_what_discord_refuses() -> None:
    """The harness itself: a second response, and an expired token, are errors as at Discord."""
    api = FakeDiscord(token_life=0.0)
    route = discord.webhook.async_.Route(
        "POST", "/webhooks/{webhook_id}/{webhook_token}", webhook_id=1, webhook_token="nope"
    )
    with pytest.raises(discord.HTTPException) as e:
        api._handle(route, payload={"content": "x"})
    assert e.value.status == 401


def test_the_salt_is_private_to_its_owner(tmp_path: Any) -> None:
    log = FeedbackLog(tmp_path / "votes" / "feedback.jsonl")
    first = log.pseudonym(1)
    assert first == FeedbackLog(log.path).pseudonym(1) != log.pseudonym(2)
    mode = os.stat(salt_path(log.path)).st_mode
    assert not mode & (stat.S_IRWXG | stat.S_IRWXO)
