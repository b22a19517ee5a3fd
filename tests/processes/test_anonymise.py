"""The retention policy on closed initiatives: attachments go after their term, personal data
after theirs; the figures stay for the monitoring; an audit entry per case says which kinds of
data went (never the data); running it again changes nothing; batches are bounded; the
worker's round applies it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from engine import AuditEvent, Job, ProcessInstance, clock, open_parts
from engine.compression import decompress
from engine.service import Engine
from processes import housekeeping, portal, retention
from processes.anonymise import ANONYMISED, ATTACHMENTS_REMOVED, apply_all, apply_retention
from processes.documents import Upload, store_document
from processes.errors import NotFound, OrganisationInvalid
from processes.loket import Loket
from processes.monitoring.grouped import counts
from processes.monitoring.sql import Filters
from processes.monitoring.volume import volumes
from processes.personal_data import MARKER, FieldRules, Scrubber
from processes.tables.case import CaseMessage, Document
from processes.tables.staff import ContactMoment
from tests.processes.factories import INITIATOR, Case
from tests.web.staff.support import BEHEER, GROEN, OOST, green_case, principal, wijkwens_case

PERSONAL = ["Jan Jansen", INITIATOR, "0612345678", "Lindenstraat 4", "3311 AB", "Geveltuin Lindenstraat",
            "Een geveltuin langs de gevels", "Onderhoud door buurman Kees", "Mijn buurman Kees helpt mee",
            "Belde over de tegels", "paspoort-jan.pdf", "Dank aan Gerda"]


def closed_green_case(engine: Engine, loket: Loket) -> Case:
    """A green case with a phone number, an address, a message, a contact moment and an
    attachment, granted and closed (the initiator answered the survey)."""
    case = green_case(engine, telefoon="0612345678", adres="Lindenstraat 4", postcode="3311 AB")
    portal.send_message(loket, INITIATOR, case.info.case_ref, "Mijn buurman Kees helpt mee.")
    with loket.transaction() as session:
        store_document(session, Upload("paspoort-jan.pdf", b"%PDF-1.4 kopie"), uploaded_by=INITIATOR,
                       instance_id=case.id, purpose="bijlage")
        session.add(ContactMoment(instance_id=case.id, channel="telefoon", summary="Belde over de tegels.",
                                  created_by=GROEN, created_by_name="Gerda Hoekstra", created_at=clock.now()))
    case.complete("groen_beoordelen", {"aanvulling_nodig": False, "besluit": "toegekend",
                                       "afspraken": "Onderhoud door buurman Kees."}, actor=GROEN)
    case.complete("tevredenheid", {"tevredenheid_score": 5, "tevredenheid_opmerking": "Dank aan Gerda!"},
                  actor=INITIATOR)
    assert case.state == "completed"
    return case


def later(months: int) -> None:
    clock.set_time(clock.now() + timedelta(days=31 * months))


def everything_stored(engine: Engine, instance_id: int) -> str:
    """All the engine and the case tables hold of a case, as one text."""
    with engine.db.reading() as session:
        case = session.get(ProcessInstance, instance_id)
        assert case is not None
        parts: list[Any] = [case.case_data, case.title, case.initiator, case.started_by,
                            json.loads(decompress(case.workflow_state))]
        parts += [[event.actor, event.detail] for event in
                  session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id))]
        parts += [job.payload for job in session.scalars(select(Job).where(Job.instance_id == instance_id))]
        parts += [[m.author, m.body] for m in
                  session.scalars(select(CaseMessage).where(CaseMessage.instance_id == instance_id))]
        parts += [c.summary for c in
                  session.scalars(select(ContactMoment).where(ContactMoment.instance_id == instance_id))]
        parts += [[d.filename, d.uploaded_by, d.content.decode("latin-1")] for d in
                  session.scalars(select(Document).where(Document.instance_id == instance_id))]
    return json.dumps(parts, ensure_ascii=False, default=str)


def audit_of(engine: Engine, instance_id: int, kind: str) -> list[AuditEvent]:
    with engine.db.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id,
                                                             AuditEvent.kind == kind)).all())


def test_after_the_term_personal_data_and_attachments_go_and_the_figures_stay(engine: Engine, loket: Loket) -> None:
    case = closed_green_case(engine, loket)
    before = everything_stored(engine, case.id)
    assert all(value in before for value in PERSONAL)
    later(25)

    run = apply_retention(loket)

    assert run.anonymised == [case.info.case_ref] and run.documents == 1 and run.failed == []
    stored = everything_stored(engine, case.id)
    assert [value for value in PERSONAL if value in stored] == []
    info = case.refresh()
    data = info.data
    assert {data[key] for key in ("naam", "email", "telefoon", "adres", "postcode", "titel", "omschrijving",
                                  "afspraken", "tevredenheid_opmerking")} == {MARKER}
    # the figures: category, district, decision, amounts, dates, the score
    assert (data["categorie"], data["wijk"], data["besluit"], data["uitkomst"]) == (
        "eenvoudig", "oost", "toegekend", "toegekend")
    assert (data["gevraagd_bedrag"], data["tevredenheid_score"], data["soort_initiatief"]) == (0, 5, "groen")
    assert info.state == "completed"
    with loket.reading() as session:
        row = session.get(ProcessInstance, case.id)
        assert row is not None and row.initiator is None and row.title == MARKER
        document = session.scalars(select(Document).where(Document.instance_id == case.id)).one()
        assert (document.content, document.size, document.removed_at is not None) == (b"", 0, True)
        counted = volumes(counts(session, Filters()))
    assert counted.per_category == {"eenvoudig": 1} and counted.per_district == {"oost": 1}
    # the stored state is still the finished case's final form, and the initiator no longer sees the case
    assert open_parts(engine, case.id).completed
    assert portal.my_cases(loket, INITIATOR) == []


def test_the_audit_entry_says_what_kind_of_data_went_never_the_data(engine: Engine, loket: Loket) -> None:
    case = closed_green_case(engine, loket)
    later(25)
    apply_retention(loket)
    [entry] = audit_of(engine, case.id, ANONYMISED)
    detail: dict[str, Any] = dict(entry.detail or {})
    assert {"name", "email", "phone", "address", "free_text", "messages", "contact_moments", "attachments",
            "portal_link"} <= set(detail["removed"])
    assert {"naam", "email", "telefoon", "adres", "omschrijving", "afspraken"} <= set(detail["fields"])
    assert (detail["messages"], detail["contact_moments"], detail["documents"], detail["months"]) == (1, 1, 1, 24)
    text = json.dumps(detail)
    assert [value for value in PERSONAL if value in text] == []


def test_running_it_again_changes_nothing(engine: Engine, loket: Loket) -> None:
    case = closed_green_case(engine, loket)
    later(25)
    assert apply_retention(loket).done == 1
    with loket.reading() as session:
        version = session.scalar(select(ProcessInstance.row_version).where(ProcessInstance.id == case.id))
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    assert apply_retention(loket).done == 0
    assert apply_all(loket).done == 0
    with loket.reading() as session:
        assert session.scalar(select(ProcessInstance.row_version).where(ProcessInstance.id == case.id)) == version
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_attachments_go_first_and_personal_data_stay_until_their_term(engine: Engine, loket: Loket) -> None:
    case = closed_green_case(engine, loket)
    later(6)
    assert apply_retention(loket).done == 0  # nothing due yet
    later(7)  # 13 months after closing

    run = apply_retention(loket)

    assert run.attachments == [case.info.case_ref] and run.anonymised == [] and run.documents == 1
    [entry] = audit_of(engine, case.id, ATTACHMENTS_REMOVED)
    assert entry.detail == {"removed": ["attachments"], "documents": 1, "months": 12}
    assert case.refresh().data["naam"] == "Jan Jansen"
    page = portal.case_page(loket, INITIATOR, case.info.case_ref)
    [document] = page.documents
    assert document.filename == "paspoort-jan.pdf" and document.removed_at is not None
    with pytest.raises(NotFound):
        portal.document(loket, INITIATOR, case.info.case_ref, document.public_id)
    assert apply_retention(loket).done == 0


def test_a_running_case_is_never_touched(engine: Engine, loket: Loket) -> None:
    case = green_case(engine)
    later(40)
    assert apply_retention(loket).done == 0
    assert case.refresh().data["naam"] == "Jan Jansen"


def test_each_category_has_its_own_terms(engine: Engine, loket: Loket) -> None:
    retention.update_policy(loket, principal(engine, BEHEER), "wijkwens", "6", "3")
    green = closed_green_case(engine, loket)
    wish = wijkwens_case(engine, "oost")
    wish.complete("regiegroep_beoordelen", {"aanvulling_nodig": False, "besluit": "afgewezen",
                                            "reden_afwijzing": "Past niet in het budget."}, actor=OOST)
    wish.complete("tevredenheid", {"tevredenheid_score": 3}, actor=INITIATOR)
    assert wish.state == "completed"
    later(7)

    run = apply_retention(loket)

    assert run.anonymised == [wish.info.case_ref] and run.attachments == []
    assert green.refresh().data["naam"] == "Jan Jansen"
    assert [entry.detail["months"] for entry in audit_of(engine, wish.id, ANONYMISED) if entry.detail] == [6]


def test_batches_are_bounded(engine: Engine, loket: Loket) -> None:
    first, second = closed_green_case(engine, loket), closed_green_case(engine, loket)
    later(25)
    assert apply_retention(loket, batch=1).anonymised == [first.info.case_ref]
    assert apply_retention(loket, batch=1).anonymised == [second.info.case_ref]
    assert apply_retention(loket, batch=1).done == 0


def test_the_policy_is_checked_and_its_changes_are_logged(engine: Engine, loket: Loket) -> None:
    actor = principal(engine, BEHEER)
    assert retention.current_policies(loket)["complex"] == retention.Policy("complex", 24, 12, False)
    for anonymise, attachments, field in (("", "3", "anonimiseren"), ("12", "abc", "bijlagen"),
                                          ("0", "0", "anonimiseren"), ("121", "3", "anonimiseren"),
                                          ("6", "12", "bijlagen")):
        with pytest.raises(OrganisationInvalid) as refused:
            retention.update_policy(loket, actor, "complex", anonymise, attachments)
        assert field in refused.value.problems
    with pytest.raises(NotFound):
        retention.update_policy(loket, actor, "onbekend", "12", "6")
    retention.update_policy(loket, actor, "complex", "36", "18")
    assert retention.current_policies(loket)["complex"] == retention.Policy("complex", 36, 18, True)
    [change] = retention.policy_history(loket)
    assert change.user_email == "bewaartermijn:complex" and change.changes == {
        "anonymise_months": [24, 36], "attachments_months": [12, 18]}


def test_the_worker_applies_the_policy_once_a_day(engine: Engine, loket: Loket,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    case = closed_green_case(engine, loket)
    later(25)
    calls: list[int] = []
    real = housekeeping.apply_retention_policy

    def counted(loket: Loket) -> int:
        calls.append(real(loket))
        return calls[-1]

    monkeypatch.setattr(housekeeping, "apply_retention_policy", counted)
    round_ = housekeeping.worker_rounds(loket)
    round_()
    round_()
    assert calls == [1]
    assert case.refresh().data["naam"] == MARKER


def test_the_scrubber_keeps_figures_and_colleagues() -> None:
    scrubber = Scrubber(FieldRules.of([]))
    scrubber.learn({"naam": "Jan Jansen", "wijk": "oost", "begeleider_info": {"naam": "Pieter Jansen",
                                                                              "email": "pieter@gemeente.example"}})
    data = {"naam": "Jan Jansen", "email": "", "besluit": "Jan Jansen", "copy": "jan jansen ", "score": 4,
            "begeleider_info": {"naam": "Pieter Jansen"}, "changes": {"titel": {"old": None, "new": "Tuin"}}}
    assert scrubber(data) == {"naam": MARKER, "email": "", "besluit": "Jan Jansen", "copy": MARKER, "score": 4,
                              "begeleider_info": {"naam": "Pieter Jansen"},
                              "changes": {"titel": {"old": None, "new": MARKER}}}
    assert scrubber("pieter@gemeente.example") == "pieter@gemeente.example" and scrubber("ja") == "ja"
    assert scrubber.kinds == {"name", "free_text"} and scrubber.fields == {"naam", "titel"}
