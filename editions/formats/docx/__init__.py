"""The DOCX edition: the AST prepared for Word (prepare), pandoc with a reference document
generated from templates/docx/styles.yaml (styles, reference), then finished (finish, package)."""
