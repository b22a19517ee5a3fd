"""``loket bench scale`` builds each size on PostgreSQL (cases made by the product, then copied)
and reports every page per size with its ratio."""

from __future__ import annotations

import json

from processes.bench_scale import format_scale_report, ratios, run_scale_bench
from web.bench_pages import SitePages


class CountingPages(SitePages):
    """The pages the bench times, through the real application (each logged in as its staff
    member, each answering 200), remembering what was asked."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.asked: list[tuple[str, str]] = []
        self.my_tasks = ""

    def get(self, email: str, path: str) -> None:
        super().get(email, path)
        self.asked.append((email, path))
        if path == "/medewerker/taken":
            self.my_tasks = self._client(email).get(path).get_data(as_text=True)


def test_every_page_is_timed_at_every_size_with_its_ratio(postgres_url: str) -> None:
    made: list[CountingPages] = []

    def open_pages(url: str) -> CountingPages:
        made.append(CountingPages(url))
        return made[-1]

    found = run_scale_bench((40, 90), open_pages, rounds=3, postgres_url=postgres_url)
    rows = ratios(found)
    assert [row["page"] for row in rows] == [
        "team queue", "my tasks", "staff home", "case page", "KCC search, common word", "KCC search, rare word",
        "KCC search, reference", "owner's page"]
    assert all(set(row) == {"page", "40", "90", "ratio"} and row["90"]["p50"] <= row["90"]["p95"] for row in rows)
    assert json.loads(json.dumps(rows)) == rows
    assert [len(pages.asked) for pages in made] == [8 * (3 + 3)] * 2
    assert any(path.startswith("/medewerker/kcc?q=INI-2016-") for _email, path in made[1].asked)
    assert "ratio" in format_scale_report(found)
    assert all("/medewerker/taken/" in pages.my_tasks for pages in made), "the intake officer has tasks of her own"
