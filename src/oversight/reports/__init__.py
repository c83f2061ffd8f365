"""The board pack: one builder per report (plain typed data), renderers for HTML, DOCX, XLSX, PDF."""
