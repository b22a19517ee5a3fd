"""The organisation's names for its codes and addresses: district, team and person names, so
pages can say "Team Groen" instead of ``team-groen``."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
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
    people = {email.lower(): name for email, name in session.execute(select(StaffUser.email, StaffUser.name))}
    people.update({email.lower(): name for email, name in session.execute(select(Guide.email, Guide.name))})
    return Names({code: name for code, name in session.execute(select(District.code, District.name))},
                 {code: name for code, name in session.execute(select(Team.code, Team.name))}, people)
