"""Print the formats' names, one line, for the Makefile: `python -m editions.formats`."""

from editions.formats import NAMES

print(" ".join(NAMES))
