"""The bot's cogs: `/ask` and `/about` (ask.py), mentions and DMs (mentions.py)."""
