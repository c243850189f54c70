"""editions: one Markdown master, four editions (HTML, PDF, DOCX, EPUB)."""

__version__ = "0.1.0"
