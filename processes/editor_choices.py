"""What the process owner's editors offer to choose from: the forms a task can show and the
teams a task can go to. They are read from the form folder and the organisation data, so a new
form or team can be chosen without a code change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import FormDefinitionError, FormNotFound
from processes.loket import Loket, reads
from processes.tables.organisation import Team


@dataclass(frozen=True)
class FormChoice:
    form_id: str
    title: str  # empty when the definition cannot be read (the check before deploy says why)


@dataclass(frozen=True)
class TeamChoice:
    code: str  # what candidateGroups names
    name: str


def form_choices(loket: Loket, lang: str = "nl") -> list[FormChoice]:
    """Every form definition in the folder, by id."""
    choices = []
    for form_id in loket.forms.ids():
        try:
            title = loket.forms.get(form_id).title(lang)
        except (FormDefinitionError, FormNotFound):
            title = ""
        choices.append(FormChoice(form_id, title))
    return choices


@reads
def team_choices(session: Session) -> list[TeamChoice]:
    """Every team in use, by name (a team switched off cannot get tasks)."""
    rows = session.execute(select(Team.code, Team.name).where(Team.active.is_(True))
                           .order_by(Team.name, Team.code)).all()
    return [TeamChoice(code, name) for code, name in rows]
