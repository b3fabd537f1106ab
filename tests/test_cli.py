"""The command line on real documents, through typer's runner."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dean06.cli import app

from .conftest import BAD, SAMPLES

README = Path(__file__).parent.parent / "README.md"
runner = CliRunner()
COMMANDS = [
    ["extract"], ["query"], ["findings"], ["show"], ["export"], ["report"],
    ["catalog"], ["catalog", "match"], ["debug"],
]  # fmt: skip


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def counts(db: Path) -> tuple[int, ...]:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("reports", "service_stats", "figures", "findings")
        )


def test_extract_samples_then_rerun_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    code, output = run("extract", str(SAMPLES), "--db", str(db))
    assert code == 0, output
    first = counts(db)
    assert first[0] == 4 and first[1] >= 55 + 25 + 39 * 2
    code, output = run("extract", str(SAMPLES), "--db", str(db))
    assert code == 0 and "already loaded" in output
    assert counts(db) == first


def test_force_replaces_a_report(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    sample = SAMPLES / "003_bb8745acf477937f.txt"
    run("extract", str(sample), "--db", str(db))
    before = counts(db)
    code, _ = run("extract", str(sample), "--db", str(db), "--force")
    assert code == 0 and counts(db) == before


def test_stored_values_keep_provenance(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    run("extract", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--db", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT online, total, rate_pct, page, source_text FROM service_stats "
            "WHERE service_id = 'QD06-3' AND source = 'table'"
        ).fetchone()
        report = con.execute(
            "SELECT locality_name, locality_level, province, period_start, period_end FROM reports"
        ).fetchone()
    assert row[:4] == (2204, 2204, 99.82, 13)
    assert "Đăng ký thường trú" in row[4]
    assert report[:3] == ("Krông Nô", "huyện", "Đắk Nông")
    assert str(report[3]) == "2024-01-01" and str(report[4]) == "2024-08-31"


def test_bad_folder_fails_with_one_line_per_file(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    code, output = run("extract", str(BAD), "--db", str(db))
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 5
    assert any("password_protected.pdf: PDF is password protected" in e for e in errors)
    with duckdb.connect(str(db), read_only=True) as con:
        failed = con.execute("SELECT count(*) FROM reports WHERE status = 'failed'").fetchone()[0]
        stats = con.execute("SELECT count(*) FROM service_stats WHERE source = 'table'").fetchone()[
            0
        ]
    assert failed == 5 and stats == 39 + 25  # the two valid copies (003, 002) only


def test_catalog_lists_every_service() -> None:
    code, output = run("catalog", "--format", "csv")
    assert code == 0
    assert len(output.strip().splitlines()) == 1 + 25 + 30
    assert "QD422-13.1" in output


def test_catalog_match_shows_scores() -> None:
    code, output = run(
        "catalog", "match", "Xác nhận số CMND khi đã được cấp thẻ CCCD", "--format", "nl"
    )
    assert code == 0
    assert output.splitlines()[0].startswith('{"service_id": "QD06-1", "score": 100.0')


def test_usage_error_exits_2() -> None:
    code, _ = run("extract", "--no-such-option")
    assert code == 2


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_in_readme(command: list[str]) -> None:
    code, output = run(*command, "--help")
    assert code == 0 and "Example:" in output
    assert re.search(rf"dean06 {' '.join(command)}\b", README.read_text("utf-8"))


def test_debug_draws_a_page(tmp_path: Path) -> None:
    out = tmp_path / "page13.png"
    code, output = run("debug", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--page", "13",
                       "--out", str(out))  # fmt: skip
    assert code == 0, output
    from PIL import Image

    with Image.open(out) as image:
        assert image.width > 1000 and image.height > 700  # landscape page at 110 dpi


def test_debug_rejects_a_missing_page(tmp_path: Path) -> None:
    code, output = run("debug", str(SAMPLES / "003_bb8745acf477937f.pdf"), "--page", "99",
                       "--out", str(tmp_path / "x.png"))  # fmt: skip
    assert code == 1 and "no page 99 (it has 14)" in output
