"""The core never depends on a front end."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from retrieval.settings import REPO_ROOT


def test_retrieval_does_not_import_discord_or_bot() -> None:
    code = ("import sys, retrieval.engine, retrieval.index.store, retrieval.evaluate; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('discord', 'bot', 'pusherbot')]; "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout


def test_no_retrieval_module_mentions_discord() -> None:
    for path in Path(REPO_ROOT / "retrieval").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:import discord|from discord|import bot|from bot[. ])", text, re.M), path
