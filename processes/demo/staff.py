"""Demo staff accounts for ``loket demo``: one or more realistic accounts per role.

Only for the demo database. Every demo account gets the same password: ``LOKET_DEMO_PASSWORD``
if set, else the documented :data:`DEMO_PASSWORD`. :func:`load_staff` only adds accounts that
are missing (running it twice changes nothing) and returns what it added, with the password,
so ``loket demo`` can print it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from processes import access
from processes.accounts import create_user, hash_password
from processes.demo.organisation import DOMAIN, GUIDES, load_organisation
from processes.tables.staff import StaffUser

DEMO_PASSWORD = "loket-demo-2025"  # noqa: S105 - the documented demo password
"""The documented password of every demo account (never used outside the demo database)."""

# (name, mailbox, roles, teams)
Account = tuple[str, str, tuple[str, ...], tuple[str, ...]]
_STAFF: list[Account] = [
    ("Ilse de Wit", "ilse.dewit", (access.INTAKE,), ("initiatieventeam",)),
    ("Karim Bouzid", "karim.bouzid", (access.INTAKE,), ("initiatieventeam",)),
    ("Gerda Hoekstra", "gerda.hoekstra", (access.TEAM_GROEN,), ("team-groen",)),
    ("Bram Verhoeven", "bram.verhoeven", (access.REGIEGROEP,), ("regiegroep-oost",)),
    ("Naima Aziz", "naima.aziz", (access.REGIEGROEP,), ("regiegroep-west",)),
    ("Tom de Graaf", "tom.degraaf", (access.REGIEGROEP,), ("regiegroep-centrum",)),
    ("Marieke Dijkstra", "marieke.dijkstra", (access.FONDSBEHEERDER,), ("fondsbeheer",)),
    ("Vincent Kok", "vincent.kok", (access.SPECIALIST,), ("team-vergunningen",)),
    ("Saskia Mulder", "saskia.mulder", (access.SPECIALIST,), ("team-vastgoed",)),
    ("Youssef Amrani", "youssef.amrani", (access.SPECIALIST,), ("team-subsidies",)),
    ("Linda Bos", "linda.bos", (access.SPECIALIST,), ("team-participatie",)),
    ("Kim Jansen", "kim.jansen", (access.KCC,), ()),
    ("Ahmed Benali", "ahmed.benali", (access.KCC,), ()),
    ("Paul Hendriks", "paul.hendriks", (access.PROCESBEHEERDER,), ()),
    ("Ria van Leeuwen", "ria.vanleeuwen", (access.BEHEERDER,), ()),
    ("Esther de Haan", "esther.dehaan", (access.PRIVACYFUNCTIONARIS,), ()),
]
ACCOUNTS: list[Account] = _STAFF + [(name, mailbox, (access.BEGELEIDER,), ())
                                    for name, mailbox, _district, _expertise in GUIDES]


@dataclass
class DemoStaff:
    password: str
    added: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def describe(self) -> str:
        """What ``loket demo`` prints: the accounts added and their password."""
        if not self.added:
            return "Demo-accounts medewerkers waren er al."
        lines = [f"Demo-accounts medewerkers (wachtwoord voor allemaal: {self.password}):"]
        lines += [f"  {email:<42} {', '.join(roles):<16} {name}" for email, name, roles in self.added]
        return "\n".join(lines)


def demo_password() -> str:
    return os.environ.get("LOKET_DEMO_PASSWORD") or DEMO_PASSWORD


def load_staff(session: Session, password: str | None = None) -> DemoStaff:
    """Add the missing demo accounts (and the demo organisation they belong to)."""
    load_organisation(session)
    result = DemoStaff(password or demo_password())
    existing = set(session.scalars(select(StaffUser.email)).all())
    missing = [account for account in ACCOUNTS if f"{account[1]}@{DOMAIN}" not in existing]
    if not missing:
        return result
    # One hash for all demo accounts: they share the documented password anyway.
    shared_hash = hash_password(result.password)
    for name, mailbox, roles, teams in missing:
        email = f"{mailbox}@{DOMAIN}"
        create_user(session, email=email, name=name, roles=roles, teams=teams, password_hash=shared_hash)
        result.added.append((email, name, roles))
    return result
