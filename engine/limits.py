"""The limits diagram code runs within: one set, used by the check before deploying and by the
engine at run time, so what passes the check cannot fail at run time on a limit it could see."""

from __future__ import annotations

MAX_DAYS = 1000
"""The longest term ``werkdagen(n)`` and ``dagen(n)`` accept (about four years of working days)."""
MAX_SOURCE_CHARS = 20_000
"""The longest script or expression."""
MAX_RANGE = 100_000
"""The most numbers one ``range()`` may give."""
MAX_CONSTANT_FACTOR = 100_000
"""The largest fixed number to multiply or shift with."""
MAX_EXPONENT = 64
"""The largest exponent of a power (``x ** n``)."""
MAX_STEPS = 1_000_000
"""The most loop and comprehension rounds one evaluation may make, over all its loops together."""
MAX_SECONDS = 2.0
"""The longest one evaluation may take (checked while it loops)."""
MAX_SIZE = 1_000_000
"""The longest text, list or tuple one operation may make, and the most bits of a number /
MAX_INT_BITS."""
MAX_INT_BITS = 100_000
"""The most bits a whole number made by one operation may have (about 30,000 digits)."""
MAX_FORMAT_WIDTH = 1_000
"""The widest field an f-string may pad to (``f"{x:>20}"``)."""
