"""Shared fixtures: the real model (session-scoped, used sparingly) and the gold data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The gold data lives beside the checkout, never inside it (news text is copyrighted).
BENCH_DATA = REPO.parent / "shared" / "bench-data"
SEED = REPO.parent / "shared" / "seed" / "000_ecfcac8e4ace4657.txt"


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy pipeline with newsgraph's components, loaded once."""
    from newsgraph.nlp import load_nlp

    return load_nlp("auto")


@pytest.fixture(scope="session")
def bench_data() -> Path:
    """The shared gold data folder; skips the test when it is absent."""
    if not BENCH_DATA.is_dir():
        pytest.skip(f"gold data not found at {BENCH_DATA} (it lives in ../shared/bench-data)")
    return BENCH_DATA


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article; skips the test when ../shared is absent."""
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED} (it lives in ../shared/seed)")
    return SEED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def big_store(tmp_path_factory) -> Path:
    """A generated store of 5,000 articles written straight as rows (tests/synthetic_store.py),
    for the web pages at a size where paging, facets and top-N cuts matter."""
    from synthetic_store import build_synthetic_store

    return build_synthetic_store(tmp_path_factory.mktemp("big") / "big.db", articles=5000)


# The slow tier: whole-process trials (SIGKILL chains, Spark, a browser, concurrent load,
# hostile inputs) and the gold-data evaluations. `scripts/test --fast` leaves them out for
# daily work; the README's test command (and CI) runs everything.
SLOW_MODULES = frozenset({"test_crash", "test_spark", "test_browser", "test_load", "test_reliability",
                          "test_workers", "test_every_store"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in SLOW_MODULES or module.startswith("test_eval_") or item.get_closest_marker("gold"):
            item.add_marker(pytest.mark.slow)
