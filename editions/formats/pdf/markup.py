"""The print page's markup adapted to paper: notes at the foot of their page, addresses
broken only where they should be, a short list of endorsers in two columns."""

from __future__ import annotations

import html
import re

import lxml.html

from editions.formats.html.addresses import address_markup
from editions.formats.pdf.change_bars import add_change_bars

NOTE_CALL = "footnote-ref"
NOTE_BACKLINK = "footnote-back"
NOTES_SECTION = "footnotes"
URL_HOST = re.compile(r"(https?://[^/?#]+)(.*)", re.S)
# An address in running text (a question quoted in the contents), without the punctuation
# that may close its sentence.
ADDRESS_IN_TEXT = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]]")
# The most names (two a row) set as two lists side by side, kept on one page: sixteen rows of
# names two lines long still fit below a heading. A longer list flows in CSS columns.
ENDORSER_COLUMN_ROWS = 16
# Elements the HTML parser would not let stay inside a paragraph's span.
BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "li", "blockquote", "pre", "dl", "dt", "dd", "table", "hr"}
)


def print_markup(markup: str, change_bars: bool = False) -> str:
    """The page as WeasyPrint should lay it out for print; a redline's with change bars."""
    document = lxml.html.document_fromstring(markup)
    if change_bars:
        add_change_bars(document)
    _move_notes_to_their_calls(document)
    _break_shown_addresses(document)
    _break_addresses_in_contents(document)
    _split_endorsers_into_columns(document)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


def _with_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _move_notes_to_their_calls(document: lxml.html.HtmlElement) -> None:
    """Replace each note call with a span holding the note (the stylesheet floats it to the
    foot of the page) and drop pandoc's list of endnotes.

    The note is a span, and its paragraphs spans the stylesheet shows as blocks, because the
    HTML parser would end the surrounding paragraph at a block element.
    """
    notes = {
        item.get("id"): item
        for item in document.xpath(f"//section[@id='{NOTES_SECTION}']//li[@id]")
    }
    for call in document.xpath(f"//a[{_with_class(NOTE_CALL)}]"):
        item = notes.get((call.get("href") or "").removeprefix("#"))
        if item is None:
            continue
        for backlink in item.xpath(f".//a[{_with_class(NOTE_BACKLINK)}]"):
            backlink.drop_tree()
        note = lxml.html.Element("span", {"class": "footnote"})
        note.text = item.text
        for child in list(item):
            _make_inline(child)
            note.append(child)
        note.tail = call.tail
        call.getparent().replace(call, note)
    for section in document.xpath(f"//section[@id='{NOTES_SECTION}']"):
        section.drop_tree()


def _make_inline(element: lxml.html.HtmlElement) -> None:
    """Turn element and its block descendants into spans classed after their tag."""
    for node in list(element.iter()):
        if isinstance(node.tag, str) and node.tag in BLOCKS:
            classes = (node.get("class") or "").split()
            node.set("class", " ".join([f"footnote-{node.tag}", *classes]))
            node.tag = "span"


def _break_shown_addresses(document: lxml.html.HtmlElement) -> None:
    """Let an address shown in full break only before a slash, hyphen or dot, never after
    'https://', inside the host name or after a hyphen, as the HTML edition's body already
    does (address_markup): here for the addresses the print page spells out."""
    for link in document.xpath("//a[@href]"):
        if len(link) or not URL_HOST.fullmatch(link.text or "") or link.text != link.get("href"):
            continue
        pieces = _address_pieces(link.text)
        link.text = None
        link.extend(pieces)


def _break_addresses_in_contents(document: lxml.html.HtmlElement) -> None:
    """The same for an address in the title of a contents entry, which is plain text (the
    entry is itself a link): the address goes in a span holding its pieces."""
    for title in document.xpath(f"//nav[{_with_class('toc')}]//span[{_with_class('toc-title')}]"):
        if len(title) or not ADDRESS_IN_TEXT.search(title.text or ""):
            continue
        text, position, address = title.text, 0, None
        for match in ADDRESS_IN_TEXT.finditer(text):
            before = text[position : match.start()]
            if address is None:
                title.text = before
            else:
                address.tail = before
            address = lxml.html.Element("span", {"class": "url"})
            title.append(address)
            address.extend(_address_pieces(match[0]))
            position = match.end()
        address.tail = text[position:]


def _address_pieces(address: str) -> list[lxml.html.HtmlElement]:
    """The address in pieces, as the HTML edition's body has it."""
    return lxml.html.fragments_fromstring(address_markup(html.escape(address, False)))


def _split_endorsers_into_columns(document: lxml.html.HtmlElement) -> None:
    """Set a list of endorsers that fits a page as two lists side by side, the first half of
    the names in the first, so that each column is one run of text in the PDF: read, copied
    and extracted in the printed order (a grid's rows would be read across both columns).

    A longer list stays one list, which the stylesheet flows in CSS columns from page to page.
    """
    for names in document.xpath(f"//div[{_with_class('endorsers')}]/ul"):
        items = list(names)
        first = -(-len(items) // 2)
        if not items or first > ENDORSER_COLUMN_ROWS:
            continue
        columns = lxml.html.Element("div", {"class": "endorser-columns"})
        for part in (items[:first], items[first:]):
            column = lxml.html.Element("ul", dict(names.attrib))
            column.extend(part)
            columns.append(column)
        columns.tail = names.tail
        names.getparent().replace(names, columns)
