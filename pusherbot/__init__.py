"""The pusherbot command line: ask, chat, index, eval, bench, discord."""
