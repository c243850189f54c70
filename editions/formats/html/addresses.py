"""Addresses shown in full, broken only where a reader can tell they go on: before a slash,
hyphen, dot and the like (Chicago 14.18), never after 'https://', inside the host or after a
hyphen. The HTML body has them so; the PDF's print markup reuses it for the addresses it adds."""

from __future__ import annotations

import html
import re

# A link whose text is its address, as pandoc writes it (bare URLs, the references' URLs).
SHOWN_ADDRESS = re.compile(r'(<a href="(https?://[^"]+)"[^>]*>)\2</a>')
# An address in pieces: the host, then each run of characters a line may break before with
# what follows it.
ADDRESS_PIECE = re.compile(r"https?://[^/?#]*|[/~.,_?#%=&-]*[^/~.,_?#%=&-]*")


def break_shown_addresses(body: str) -> str:
    """body (pandoc's HTML) with every address shown in full set in pieces."""
    return SHOWN_ADDRESS.sub(lambda link: link[1] + address_markup(link[2]) + "</a>", body)


def address_markup(address: str) -> str:
    """The text of a link showing its address (HTML-escaped), breakable only before a slash,
    hyphen, dot and the like: the host and each piece are kept on one line (the stylesheets'
    .url-host and .url-part), with a <wbr> between them."""
    pieces = [piece for piece in ADDRESS_PIECE.findall(html.unescape(address)) if piece]
    if len(pieces) > 1 and not pieces[-1].strip("/~.,_?#%=&-"):
        pieces[-2:] = [pieces[-2] + pieces[-1]]  # a closing '/' stays with what it closes
    return "<wbr>".join(
        f'<span class="{"url-part" if number else "url-host"}">{html.escape(piece, False)}</span>'
        for number, piece in enumerate(pieces)
    )
