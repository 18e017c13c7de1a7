"""The Discord front end of pusherbot: slash commands, mentions and DMs answered with cited quotes.

It holds no retrieval logic: every answer comes from `retrieval.engine.Engine.answer`, run in a
worker thread so the event loop (and the gateway heartbeat) never waits on it.
"""
