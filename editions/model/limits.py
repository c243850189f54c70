"""The limits every input is held to, so that no master or data file can hang a build.

One place for them: the checks import these names and README.md's safety paragraph lists
them. Each is far above what a real publication needs (the flagship's master is 18 KB, its
lists nest two deep) and far below what makes pandoc, WeasyPrint or Python struggle.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

# Files in a publication folder, in bytes.
MAX_MASTER_BYTES = 2 * MIB
MAX_DATA_BYTES = 2 * MIB  # endorsers.yaml, references.json
MAX_IMAGE_BYTES = 10 * MIB
# A publication folder as an earlier revision holds it (a redline): its text, data and images.
MAX_REVISION_BYTES = 256 * MIB

# The metadata block: a field's length in characters (a title, a description...).
MAX_FIELD_CHARS = 2000

# Lists, block quotations and fenced divs inside one another.
MAX_NESTING = 20

# YAML (the metadata block, endorsers.yaml) and JSON (references.json).
MAX_YAML_DEPTH = 20
MAX_YAML_NODES = 100_000  # every value, an alias counting as all the values it repeats
MAX_JSON_DEPTH = 20

# Images: pixels of a PNG, JPEG or GIF; elements of an SVG.
MAX_IMAGE_PIXELS = 40_000_000
MAX_SVG_ELEMENTS = 10_000  # as written
MAX_SVG_DRAWN = 50_000  # as drawn: a <use> or url(#id) counts as what it refers to
MAX_SVG_REFERENCE_DEPTH = 5  # a <use> of a <use> of ...
