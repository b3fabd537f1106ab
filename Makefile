# make demo: set up everything, then extract samples/ into dean06.duckdb and print the summary.
# make test: set up everything, then lint and run the test suite but its slow tests
# (make test-slow runs those; CI runs both).
# Both are idempotent: set-up is skipped when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := python3-venv fonts-dejavu-core chromium tesseract-ocr tesseract-ocr-vie poppler-utils \
	ghostscript
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
VIE := /usr/share/tesseract-ocr/5/tessdata/vie.traineddata

.PHONY: demo test test-slow install system lint format clean bench bench-accuracy

demo: install
	$(BIN)/dean06 extract samples/ --db dean06.duckdb --force

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n auto -m "not slow"

# The slow tests (hard scans of the whole corpus, killed workers, Ctrl-C ten times): CI
# runs them after make test.
test-slow: install
	$(BIN)/python -m pytest -n auto -m slow

install: system $(STAMP)

# System packages, only when something is missing (CI and new machines start bare).
system:
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || [ ! -f $(FONT) ] || [ ! -f $(VIE) ] \
		|| ! command -v chromium >/dev/null || ! command -v gs >/dev/null \
		|| ! command -v pdftotext >/dev/null; then \
		echo "installing system packages: $(APT_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,ray]'
	touch $(STAMP)

BENCH_COUNT ?= 500

bench: install
	$(BIN)/python bench/ocr.py --json bench/ocr.json
	$(BIN)/python bench/scale.py --count $(BENCH_COUNT) --json bench/scale.json --scan-json bench/ocr.json

bench-accuracy: install
	$(BIN)/python bench/accuracy.py --scans --family 40 --json bench/accuracy.json

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache dean06.duckdb *.egg-info
