"""The process owner's drafts: edits of a bundle file kept on the server, per owner, until they
are put into use (or thrown away). A draft is the whole file as the editor has it; nobody but its
owner sees it, and nothing of it is in use. Deploying a file through :func:`deploy` (or calling
:func:`discard_deployed` after :func:`processes.studio.deploy`) deletes the deployer's drafts of
the files that went into use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import MAX_MODEL_BYTES, DeployResult, now
from processes import studio
from processes.bundle_content import TEXT_NAME
from processes.errors import UseCaseError
from processes.loket import Loket, reads
from processes.scenario_files import SCENARIO_NAME, is_scenario_file
from processes.tables.studio_draft import StudioDraft

MAX_DRAFT_BYTES = MAX_MODEL_BYTES
"""A draft is at most as large as a file that may be deployed (5 MB)."""
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates: no database text and no UTF-8 file can hold them."""


class DraftRefused(UseCaseError):
    """The draft cannot be kept (``code``: ``not_draftable`` – no file in use of that name;
    ``too_large``; ``not_text`` – it holds characters no file can hold). Nothing was stored."""

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name
        super().__init__(f"{code}: {name}")


@dataclass(frozen=True)
class Draft:
    name: str
    content: str
    saved_at: datetime


@dataclass(frozen=True)
class DraftInfo:
    """A draft without its content: what the Processen page lists."""

    name: str
    saved_at: datetime


def _owner(owner: str) -> str:
    return owner.strip().lower()


def draftable(loket: Loket, name: str) -> bool:
    """Whether ``name`` is a file a draft may be kept of: a file in use, the missing twin in the
    other language of a text in use (``texts/x.en.txt`` beside ``texts/x.nl.txt``), or a
    scenario (``scenarios/x.json``)."""
    if is_scenario_file(name) and SCENARIO_NAME.fullmatch(PurePosixPath(name).name):
        return True  # a scenario may be new: it is recorded in the sandbox before it is in use
    in_use = set(studio.files_in_use(loket))
    return name in in_use or twin_of(name) in in_use


def twin_of(name: str) -> str | None:
    """The same text in the other language (``texts/x.nl.txt`` ↔ ``texts/x.en.txt``), or None
    for a file that is no text."""
    path = PurePosixPath(name)
    found = TEXT_NAME.fullmatch(path.name)
    if found is None:
        return None
    other = "en" if found.group("lang") == "nl" else "nl"
    return str(path.with_name(f"{found.group('name')}.{other}.txt"))


def _checked(name: str, content: str) -> None:
    if len(content.encode("utf-8", "surrogatepass")) > MAX_DRAFT_BYTES:
        raise DraftRefused("too_large", name)
    if _NOT_TEXT.search(content):
        raise DraftRefused("not_text", name)


def save(loket: Loket, owner: str, name: str, content: str) -> Draft:
    """Keep ``content`` as the owner's draft of ``name`` (replacing an earlier one);
    DraftRefused when it cannot be kept."""
    _checked(name, content)
    if not draftable(loket, name):
        raise DraftRefused("not_draftable", name)
    owner = _owner(owner)
    try:
        return _store(loket, owner, name, content)
    except IntegrityError:  # the same owner saved the same file at the same moment: update that one
        return _store(loket, owner, name, content)


def _store(loket: Loket, owner: str, name: str, content: str) -> Draft:
    with loket.transaction() as session:
        row = session.scalar(select(StudioDraft).where(StudioDraft.owner == owner, StudioDraft.name == name))
        if row is None:
            row = StudioDraft(owner=owner, name=name, content=content, saved_at=now())
            session.add(row)
        else:
            row.content, row.saved_at = content, now()
        session.flush()
        return Draft(row.name, row.content, row.saved_at)


@reads
def _load(session: Session, owner: str, names: tuple[str, ...]) -> dict[str, Draft]:
    rows = session.scalars(select(StudioDraft).where(StudioDraft.owner == _owner(owner),
                                                     StudioDraft.name.in_(names))).all()
    return {row.name: Draft(row.name, row.content, row.saved_at) for row in rows}


def load(loket: Loket, owner: str, name: str) -> Draft | None:
    """The owner's draft of ``name``, if there is one."""
    return _load(loket, owner, (name,)).get(name)


def load_many(loket: Loket, owner: str, names: Iterable[str]) -> dict[str, Draft]:
    """The owner's drafts of these files, by name (files without a draft are left out)."""
    wanted = tuple(dict.fromkeys(names))
    return _load(loket, owner, wanted) if wanted else {}


@reads
def list_for(session: Session, owner: str) -> list[DraftInfo]:
    """The owner's drafts, the most recent first."""
    rows = session.execute(select(StudioDraft.name, StudioDraft.saved_at)
                           .where(StudioDraft.owner == _owner(owner))
                           .order_by(StudioDraft.saved_at.desc(), StudioDraft.name)).all()
    return [DraftInfo(name, saved_at) for name, saved_at in rows]


def discard(loket: Loket, owner: str, names: Iterable[str]) -> int:
    """Throw away the owner's drafts of these files; how many there were."""
    wanted = tuple(dict.fromkeys(names))
    if not wanted:
        return 0
    with loket.transaction() as session:
        result = session.execute(delete(StudioDraft).where(StudioDraft.owner == _owner(owner),
                                                           StudioDraft.name.in_(wanted)))
        return int(getattr(result, "rowcount", 0) or 0)


def discard_deployed(loket: Loket, owner: str, check: studio.Check) -> int:
    """After ``owner`` put files into use (``check`` is what :func:`processes.studio.deploy`
    returned with a result): their drafts of those files are done with."""
    return discard(loket, owner, [*check.replaced, *check.added])


def deploy(loket: Loket, uploaded: dict[str, bytes], *, actor: str, note: str | None = None,
           reason: str | None = None) -> tuple[studio.Check, DeployResult | None]:
    """:func:`processes.studio.deploy`, and when the files went into use, the actor's drafts of
    them are thrown away. The other editors can call this instead of ``studio.deploy``."""
    check, result = studio.deploy(loket, uploaded, actor=actor, note=note, reason=reason)
    if result is not None:
        discard_deployed(loket, actor, check)
    return check, result
