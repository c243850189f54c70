"""Where the project's own files are: templates beside the package, outputs in build/."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# EDITIONS_TEMPLATES names another templates folder (a copy to try a change on, or a test's):
# read once, at import, by every renderer and by the preview's watcher.
TEMPLATES = Path(os.environ.get("EDITIONS_TEMPLATES") or PROJECT / "templates").resolve()
SOURCE = PROJECT / "source"
BUILD = PROJECT / "build"
