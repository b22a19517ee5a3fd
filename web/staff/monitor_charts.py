"""The dashboard's charts, drawn on the server by pygal as SVG and shown as images (an SVG in a
``data:`` address, so the page's strict content policy stays as it is and the page needs no
JavaScript). Every chart comes with the same figures as a table; the colours are dark on white
(contrast at least 4.5:1 with the background and with the white of the page)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pygal
from markupsafe import Markup
from pygal.style import Style

COLOURS = ("#1f4e79", "#a04000", "#2e6b30", "#6a1b9a", "#8b1a1a", "#37474f")
"""Each has a contrast of at least 6:1 with white."""
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1a1a1a",
              foreground_strong="#000000", foreground_subtle="#595959", colors=COLOURS, opacity="1",
              opacity_hover="1", font_family="Arial, Helvetica, sans-serif", title_font_size=18,
              label_font_size=13, major_label_font_size=13, legend_font_size=14, value_font_size=12)


@dataclass
class Chart:
    """One chart and its table: ``labels`` down the table, one column per series."""

    key: str
    title: str
    labels: list[str]
    series: list[tuple[str, list[float | None]]] = field(default_factory=list)
    horizontal: bool = True
    stacked: bool = False
    unit: str = ""

    @property
    def rows(self) -> list[tuple[str, list[float | None]]]:
        return [(label, [values[index] for _name, values in self.series]) for index, label in enumerate(self.labels)]

    @property
    def empty(self) -> bool:
        return not self.labels

    def figures(self) -> tuple[str, tuple[str, ...], tuple[tuple[str, tuple[float | None, ...]], ...], bool, bool,
                                str]:
        """What the drawing and the table are made of (hashable: the key of what is kept of them)."""
        return (self.title, tuple(self.labels), tuple((name, tuple(values)) for name, values in self.series),
                self.horizontal, self.stacked, self.unit)

    def svg(self) -> str:
        # Drawing is most of the dashboard's time and the figures seldom change between views.
        return _drawn(*self.figures())

    def data_uri(self) -> Markup:
        """The drawing as an image address, kept with the drawing: encoding and escaping 20–40 KB
        per chart on every view cost as much as the page's queries. Safe by construction (base64
        and a fixed prefix: nothing to escape)."""
        return _uri(*self.figures())


@lru_cache(maxsize=256)
def _uri(title: str, labels: tuple[str, ...], series: tuple[tuple[str, tuple[float | None, ...]], ...],
         horizontal: bool, stacked: bool, unit: str) -> Markup:
    drawn = _drawn(title, labels, series, horizontal, stacked, unit)
    encoded = base64.b64encode(drawn.encode("utf-8")).decode("ascii")
    return Markup("data:image/svg+xml;base64," + encoded)  # noqa: S704 - base64 has no character to escape


@lru_cache(maxsize=256)
def _drawn(title: str, labels: tuple[str, ...], series: tuple[tuple[str, tuple[float | None, ...]], ...],
           horizontal: bool, stacked: bool, unit: str) -> str:
    kind = {(True, False): pygal.HorizontalBar, (False, False): pygal.Bar,
            (True, True): pygal.HorizontalStackedBar, (False, True): pygal.StackedBar}[(horizontal, stacked)]
    height = max(260, 60 + 34 * len(labels) * (len(series) if not stacked else 1)) if horizontal else 380
    chart = kind(style=STYLE, js=[], disable_xml_declaration=True, width=760, height=height,
                 show_legend=len(series) > 1, legend_at_bottom=True, print_values=True,
                 print_values_position="top", truncate_label=-1, x_label_rotation=0 if horizontal else 30,
                 value_formatter=lambda value: f"{value:g}{unit}")
    chart.title = title
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return str(chart.render(is_unicode=True))


def counted(key: str, title: str, counts: dict[str, int], labels: dict[str, str], series: str,
            *, horizontal: bool = True) -> Chart:
    return Chart(key, title, [labels.get(name, name) for name in counts],
                 [(series, [float(count) for count in counts.values()])], horizontal=horizontal)


def number(value: float | Decimal | None) -> str:
    """A figure in a table: ``-`` for none, whole numbers without decimals, else one decimal
    (what the template macro did, many times faster: it is called for every cell)."""
    if value is None:
        return "-"
    try:
        whole = int(value)
    except (ValueError, OverflowError):  # nan, inf: not whole (the macro read nan as 0 too)
        whole = 0
    if value == whole:
        return str(whole)
    return "%.1f" % value  # noqa: UP031 - the template's format


def percent(value: float | None) -> str:
    return "-" if value is None else "%.0f%%" % (100 * value)  # noqa: UP031 - the template's format
