"""Opinion and record questions in Discord, through discord.py's real dispatch and the real
engine: the summary line, the quotes, the rating chart, and paging through the other reviews."""

from __future__ import annotations

import math

import discord.ext.test as dpytest
from bot_fakes import BotFactory
from fake_discord import FakeDiscord

from bot import format as fmt
from retrieval.engine import Engine

ENDING = "what did people think of the ending?"


def chart_of(embed) -> str:
    (field,) = [f for f in embed.fields if f.name == "Ratings"]
    assert field.value.startswith("```\n") and field.value.endswith("\n```")
    return field.value


async def test_a_stance_answer_shows_summary_quotes_chart_and_pages(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    bot = await make_bot()
    token = await discord_api.slash("ask", question=ENDING, user=1001)
    expected = engine.answer(ENDING, bot.settings.top_k)
    summary = expected.reviews
    assert summary is not None and expected.summary
    embed = discord_api.requests_of(token)[-1].embed()
    assert embed.description.startswith(f"**{fmt.escape(expected.summary)}**")
    top = expected.results[0]
    assert fmt.quote_markdown(top.quote, hidden=top.passage.spoiler) in embed.description
    assert fmt.escape(top.citation) in embed.description
    chart = chart_of(embed)
    # The discussing reviews' bars are solid, the others shaded: 10/10 has one of three.
    ten = next(line for line in chart.splitlines() if line.startswith("10 "))
    assert ten.endswith(f"3 ({summary.ratings['10']})") and "█" in ten and "░" in ten
    quotes = [f.value for f in embed.fields if f.name != "Ratings"]
    assert quotes == [fmt.fit_quote(r.quote, fmt.COMPACT_QUOTE_CHARS, hidden=r.passage.spoiler)
                      for r in expected.results[1:3]]
    pages = math.ceil(len(expected.results) / 3)
    assert pages >= 2 and f"page 1/{pages}" in embed.footer.text
    reply = discord_api.reply_id(token)
    update = discord_api.requests_of(await discord_api.click(reply, "More passages"))[-1]
    page2 = update.embed()
    nxt = expected.results[3]
    assert fmt.quote_markdown(nxt.quote, hidden=nxt.passage.spoiler) in page2.description
    assert page2.description.startswith(f"**{fmt.escape(expected.summary)}**")
    assert chart_of(page2) == chart and f"page 2/{pages}" in page2.footer.text


async def test_a_record_question_by_mention_cites_each_review(
    make_bot: BotFactory, engine: Engine
) -> None:
    bot = await make_bot()
    assert bot.user is not None
    await dpytest.message(f"<@{bot.user.id}> who gave it 10/10?")
    reply = dpytest.get_message()
    (embed,) = reply.embeds
    assert embed.description.startswith("**3 reviews of the 25 gave it 10/10")
    cited = [embed.description, *(f.name for f in embed.fields)]
    for who in ("kristianbk", "gotchast", "ocosis"):
        assert any(who in text for text in cited)
    assert all(f.name != "Ratings" for f in embed.fields)  # a record answer has no stance


async def test_a_record_answer_with_nothing_to_quote_is_its_summary_line(
    make_bot: BotFactory,
) -> None:
    bot = await make_bot()
    assert bot.user is not None
    await dpytest.message(f"<@{bot.user.id}> which reviews are from 2030?")
    reply = dpytest.get_message()
    assert reply.content == "0 reviews of the 25 are from 2030." and not reply.embeds


async def test_about_carries_the_rating_chart(
    make_bot: BotFactory, discord_api: FakeDiscord, engine: Engine
) -> None:
    await make_bot()
    embed = discord_api.requests_of(await discord_api.slash("about"))[-1].embed()
    chart = chart_of(embed)
    ratings = engine.stats().ratings
    assert ratings is not None and sum(ratings.values()) == 24
    for line in chart.splitlines()[1:11]:
        rating = line.split()[0]
        assert line.endswith(f" {ratings[rating]}") and "░" not in line  # nothing highlighted
