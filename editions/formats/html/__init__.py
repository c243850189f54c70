"""The HTML edition: one standalone page, whose markup the PDF edition reuses."""
