"""Every mail to an initiator leads them straight to their initiative in the portal."""

from __future__ import annotations

import pytest

import processes
from engine.mail import MailRenderer
from processes.case_status import decision_values

INITIATOR_TEMPLATES = ["aanvulling_gevraagd", "aanvulling_herinnering", "bevestiging", "masterclass",
                       "resultaat", "status_gewijzigd"]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("template", INITIATOR_TEMPLATES)
def test_initiator_mail_links_to_the_case(template: str, lang: str) -> None:
    renderer = MailRenderer(processes.TEXTS_DIR)
    renderer.env.globals["loket_url"] = "https://loket.gemeente.example"
    context = {"case_ref": "INI-2026-000042", "titel": "Geveltuin", "title": "Geveltuin", "uitkomst": "toegekend",
               "naam": "Sam Smit", **decision_values({}, lang)}
    subject, body = renderer.render(template, lang, context)
    assert "INI-2026-000042" in subject + body
    assert "https://loket.gemeente.example/mijn-initiatieven/INI-2026-000042" in body
