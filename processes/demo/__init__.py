"""``loket demo``: a realistic organisation, staff accounts and initiatives, loaded once."""
