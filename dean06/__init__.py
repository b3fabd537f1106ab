"""dean06: Đề án 06 progress reports → one DuckDB database."""

__version__ = "0.1.0"
