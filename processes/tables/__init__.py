"""The application's own tables (the engine keeps its tables itself). Importing this package
registers every table on the shared metadata, so the migrations and tests see them all."""

import engine  # noqa: F401 - the engine's tables
from processes.tables import (  # noqa: F401
    case,
    facts,
    login_session,
    organisation,
    portal,
    privacy,
    search,
    staff,
    studio_draft,
)
