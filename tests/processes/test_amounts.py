"""Money and file sizes the way people read them, in Dutch and English."""

from __future__ import annotations

import pytest

from processes.amounts import euro_text, file_size_text


@pytest.mark.parametrize(("amount", "nl", "en"), [
    (6000, "€ 6.000", "€6,000"),
    (1250.5, "€ 1.250,50", "€1,250.50"),
    (0, "€ 0", "€0"),
    (-75, "€ -75", "-€75"),
])
def test_euro_text(amount: float, nl: str, en: str) -> None:
    assert (euro_text(amount, "nl"), euro_text(amount, "en")) == (nl, en)


@pytest.mark.parametrize(("size", "nl", "en"), [
    (0, "1 kB", "1 kB"),
    (1024, "1 kB", "1 kB"),
    (1025, "2 kB", "2 kB"),
    (1024 * 1024, "1 MB", "1 MB"),
    (int(2.55 * 1024 * 1024), "2,5 MB", "2.5 MB"),
])
def test_file_size_text(size: int, nl: str, en: str) -> None:
    assert (file_size_text(size, "nl"), file_size_text(size, "en")) == (nl, en)
