"""The organisation's names for its codes and addresses: district, team and person names, so
pages can say "Team Groen" instead of ``team-groen``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Executable, literal, select, union_all
from sqlalchemy.orm import Session

from processes.loket import reads
from processes.tables.organisation import District, Guide, Team
from processes.tables.staff import StaffUser


@dataclass(frozen=True)
class Names:
    districts: dict[str, str]
    teams: dict[str, str]
    people: dict[str, str]
    """Lower-case e-mail address → name, of guides and staff accounts."""


@reads
def organisation_names(session: Session) -> Names:
    """All names in one statement (pages ask this once per request)."""
    rows = session.execute(_names_query()).all()
    found: dict[str, dict[str, str]] = {"person": {}, "guide": {}, "district": {}, "team": {}}
    for kind_of, key, name in rows:
        found[kind_of][key] = name
    people = {email.lower(): name for email, name in found["person"].items()}
    people.update({email.lower(): name for email, name in found["guide"].items()})
    return Names(found["district"], found["team"], people)


@cache
def _names_query() -> Executable:
    """Built once: building it costs more than running it."""
    return union_all(
        select(literal("person").label("kind"), StaffUser.email.label("key"), StaffUser.name.label("name")),
        select(literal("guide"), Guide.email, Guide.name),
        select(literal("district"), District.code, District.name),
        select(literal("team"), Team.code, Team.name),
    )
