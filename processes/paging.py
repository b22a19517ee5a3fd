"""Pages of a long list: how many there are, which one to show, and which page links to offer."""

from __future__ import annotations

import math

WINDOW = 2


def page_count(total: int, page_size: int) -> int:
    """At least one page, also for an empty list."""
    return max(1, math.ceil(total / page_size))


def clamp_page(page: int, total: int, page_size: int) -> int:
    """``page`` within 1 … the last page (a page past the last gives the last)."""
    return min(max(1, page), page_count(total, page_size))


def page_numbers(page: int, pages: int, window: int = WINDOW) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: the first, the last, and ``window`` pages either side of ``page``."""
    shown = sorted({1, pages} | set(range(max(1, page - window), min(pages, page + window) + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None if number - (numbers[-1] or 0) > 2 else number - 1)
        numbers.append(number)
    return numbers
