"""The ingest progress bar: its clock starts when parsing does, and its speed reads right."""

from __future__ import annotations

import io

import pytest

from newsgraph.progress import IngestProgress, speed


@pytest.mark.parametrize("rate,text", [
    (3.2, "3.20 articles/s"), (1.0, "1.00 articles/s"), (1 / 10.3, "10.30 s/article"), (None, "? articles/s"),
    (0.0, "? articles/s"),
])
def test_progress_speed_reads_as_words(rate, text):
    assert speed(rate) == text


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def last_line(stream: io.StringIO) -> str:
    return stream.getvalue().replace("\r", "\n").strip().splitlines()[-1]


def test_progress_eta_ignores_the_model_load(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("tqdm.std.time", clock)  # the clock each bar reads
    stream = io.StringIO()
    bar = IngestProgress(100, stream=stream, interactive=True)
    bar.update(4)  # duplicates settled while the model loads: counted, not timed
    assert stream.getvalue() == ""
    clock.now += 300  # five minutes of model loading
    bar.ready()
    for _ in range(6):
        clock.now += 2
        bar.update(1)
    bar.close()
    line = last_line(stream)
    assert "10/100 articles" in line
    assert "2.00 s/article" in line and "03:00 left" in line  # 90 articles at 2 s, not hours
    assert "s/ articles" not in stream.getvalue()


def test_progress_without_a_total_counts_and_shows_speed(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("tqdm.std.time", clock)  # the clock each bar reads
    stream = io.StringIO()
    bar = IngestProgress(None, stream=stream)
    bar.ready()
    for _ in range(5):
        clock.now += 0.25
        bar.update(1)
    bar.close()
    assert last_line(stream).startswith("5 articles [") and "4.00 articles/s" in last_line(stream)
