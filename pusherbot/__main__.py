from pusherbot.cli import run

run()
