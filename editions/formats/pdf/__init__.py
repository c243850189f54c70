"""The PDF edition: the HTML markup adapted to paper (markup), laid out by WeasyPrint (writer),
which reads only through a confined fetcher (fetcher)."""
