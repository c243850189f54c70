"""A draft's marks in the Word edition: a notice above the running header of every page, in
its own style, and Word's watermark (the VML shape Word's Design > Watermark inserts).

The style is added to a draft's document only, so that a final edition is unchanged."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.section import _Header
from docx.shared import RGBColor

DRAFT_STYLE = "Draft Notice"
DRAFT_COLOUR = RGBColor(0x8A, 0x1C, 0x1C)  # dark red on white, 8:1
WATERMARK_COLOUR = "#d9d9df"
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
# Word's own shape type for WordArt text along a path (the one its watermarks use).
TEXT_SHAPE_TYPE = """<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136"
 adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>
<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>
<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>
<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
</v:formulas><v:path textpathok="t" o:connecttype="custom"
 o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight"
 xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>
</v:shapetype>"""


def add_draft_style(document: Document, header_style: str) -> str:
    """The notice's paragraph style: the running header's, in bold dark red."""
    style = document.styles.add_style(DRAFT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[header_style]
    style.next_paragraph_style = document.styles[header_style]
    style.font.bold = True
    style.font.color.rgb = DRAFT_COLOUR
    return DRAFT_STYLE


def mark_header(header: _Header, notice: str, style: str, number: int) -> None:
    """The notice as the header's first paragraph, holding the watermark (number: unique
    in the document, for the shape's id)."""
    paragraph = header.paragraphs[0].insert_paragraph_before(notice, style)
    paragraph._p.append(parse_xml(_watermark(number)))


def _watermark(number: int) -> str:
    shape_style = (
        "position:absolute;margin-left:0;margin-top:0;width:415pt;height:138pt;"
        "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        "mso-position-vertical-relative:margin"
    )
    return (
        f"<w:r {NAMESPACES}><w:rPr><w:noProof/></w:rPr><w:pict>{TEXT_SHAPE_TYPE}"
        f'<v:shape id="PowerPlusWaterMarkObject{number}" type="#_x0000_t136" '
        f'style={quoteattr(shape_style)} o:allowincell="f" fillcolor="{WATERMARK_COLOUR}" '
        'stroked="f"><v:fill opacity=".5"/>'
        '<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt" string="DRAFT"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )
