"""Imports every module that defines tables, so metadata (migrations, tests) sees them all."""

import engine.tables  # noqa: F401
import processes.organisation  # noqa: F401
import web.casefile.models  # noqa: F401
import web.public.models  # noqa: F401
import web.staff.models  # noqa: F401
