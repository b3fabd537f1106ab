"""Vietnamese text, numbers, table headers and rows, figures and report metadata."""
