from __future__ import annotations

from pathlib import Path

import pytest

from dean06.catalog import Matcher

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
BAD = DATA / "bad"
SAMPLES = Path(__file__).parent.parent / "samples"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher()
