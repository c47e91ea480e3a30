"""Review: diffs between versions, reports, redlines, reading DOCX back, provenance."""
