"""`CURRENT`: the file in the index folder that names the live build.

Standard library only: start-up reads it before anything heavy is imported
(retrieval/startup.py), and the store reads it to load or replace the build.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.index.manifest import StaleIndex


def live_build(root: Path) -> Path:
    """The build folder `CURRENT` names; StaleIndex when there is none."""
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
        directory = root / name
        if not name.startswith("index-") or "/" in name or not directory.is_dir():
            raise StaleIndex(f"CURRENT names a missing build {name!r}")
    except FileNotFoundError:
        raise StaleIndex("no index yet") from None
    except IsADirectoryError:
        raise StaleIndex("CURRENT is a folder; it will be moved aside as CURRENT.moved-*") from None
    except OSError as e:
        raise StaleIndex(f"cannot read CURRENT: {e.strerror}") from None
    except UnicodeDecodeError:
        raise StaleIndex("CURRENT is not UTF-8 text") from None
    return directory
