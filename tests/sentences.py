"""Comparing an edition's text with the seed, sentence by sentence, typography aside."""

from __future__ import annotations

import re
import unicodedata

SENTENCE_END = re.compile(r"(?<=[.?!…])[”’\"']?\s+(?=[A-Z“\"(\[])")
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})


def normalise(text: str) -> str:
    """Fold what typography may change: quotes, dash spacing, white space, soft hyphens."""
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    text = text.replace("\u00ad", "").replace("\u2011", "-").replace("\u2010", "-")
    text = re.sub(r"\s*([—–])\s*", r"\1", text)
    text = " ".join(text.split())
    return re.sub(r"\s+([.,:;!?)\"'])", r"\1", text)


def seed_sentences(seed: str) -> list[str]:
    """The seed's sentences (a line may hold several); bare numbers and '***' are left out."""
    sentences = []
    for line in seed.splitlines():
        for part in SENTENCE_END.split(line.strip()):
            part = part.strip()
            if part and part != "***" and not re.fullmatch(r"\d+\.?", part):
                sentences.append(part)
    return sentences


def missing_sentences(edition_text: str, seed: str, drop: list[str] = ()) -> list[str]:
    """Seed sentences not found in the edition's text once the strings in drop are removed."""
    for piece in sorted(drop, key=len, reverse=True):
        edition_text = edition_text.replace(piece, " ")
    haystack = normalise(edition_text)
    return [s for s in seed_sentences(seed) if normalise(s) not in haystack]


def seed_endorsers(seed: str, introduction: str, after: str) -> list[str]:
    """The names listed in the seed between its introducing sentence and the line after."""
    lines = [line.strip() for line in seed.splitlines()]
    start = lines.index(introduction) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(after))
    return [line for line in lines[start:end] if line]
