"""Amounts the way people read them, in their language: money (one formatter for the case page
and the mails) and file sizes (one formatter for the initiator's and the staff's pages)."""

from __future__ import annotations

LANGUAGES = ("nl", "en")


def euro_text(amount: float | int, lang: str = "nl") -> str:
    """``€ 6.000`` / ``€ 1.250,50`` in Dutch, ``€6,000`` / ``€1,250.50`` in English."""
    value = round(float(amount), 2)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):,.2f}".split(".")
    if lang == "en":
        return f"{sign}€{whole}" + (f".{cents}" if cents != "00" else "")
    return f"€ {sign}{whole.replace(',', '.')}" + (f",{cents}" if cents != "00" else "")


KILOBYTE = 1024
MEGABYTE = 1024 * KILOBYTE


def file_size_text(size: int, lang: str = "nl") -> str:
    """``1 kB`` (at least, rounded up below a megabyte), ``2,5 MB`` (``2.5 MB`` in English)."""
    if size < MEGABYTE:
        return f"{max(1, -(-size // KILOBYTE))} kB"
    megabytes = f"{size / MEGABYTE:.1f}".removesuffix(".0")
    return f"{megabytes.replace('.', ',') if lang != 'en' else megabytes} MB"
