"""The EPUB 3 edition: the AST prepared (prepare), pandoc's EPUB writer, then finished (finish):
navigation, package document, fonts, cover, and a reproducible container."""
