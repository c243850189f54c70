"""Where the project's own files are: templates beside the package, outputs in build/."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
SOURCE = PROJECT / "source"
BUILD = PROJECT / "build"
