"""Plausible edits that would break the live service are refused by "check only": each with a
blocking problem in Dutch, on the element at fault. What passes the check cannot fail at run
time for a reason the check could have seen."""

from __future__ import annotations

import pytest

from processes import MODELS_DIR, studio
from processes.loket import Loket

# (file, text in the bundled model, replaced by, element the problem names, problem code)
# fmt: off
EDITS = [
    ("eenvoudig.bpmn", "werkdagen(10)", "werkdagen(1500)", "norm_groen_beoordelen", "timer.invalid"),
    ("eenvoudig.bpmn", "werkdagen(10)", "dagen(40000)", "norm_groen_beoordelen", "timer.invalid"),
    ("eenvoudig.bpmn", "werkdagen(10)", "'a' * 10 ** 9", "norm_groen_beoordelen", "timer.invalid"),
    ("eenvoudig.bpmn", "werkdagen(10)", "werkdagn(10)", "norm_groen_beoordelen", "timer.invalid"),
    ("categorisatie.dmn", "<text>reikwijdte</text>", "<text>reikwijdt</text>", "Input_reikwijdte",
     "expression.unknown_name"),
    ("categorisatie.dmn", "<text>? in ('wijk', 'stad')</text>", "<text>in ('wijk', 'stad')</text>",
     "In_R3_reikwijdte", "dmn.expression"),
    ("categorisatie.dmn", "<text>'complex'</text>", "<text>complex</text>", "Out_R1_categorie_voorstel",
     "expression.unknown_name"),
    ("wijkwens.bpmn", "'regiegroep-' + wijk", "'regiegroep-' + wijkk", "regiegroep_beoordelen",
     "expression.unknown_name"),
    ("wijkwens.bpmn", "'regiegroep-' + wijk", "'regio-' + wijk", "regiegroep_beoordelen",
     "candidategroups.unknown_team"),
    ("eenvoudig.bpmn", "value=\"'team-groen'\"/>\n", "value=\"'team-groenn'\"/>\n", "groen_beoordelen",
     "candidategroups.unknown_team"),
    ("eenvoudig.bpmn", 'name="statusText"', 'name="statusTekst"', "groen_beoordelen", "property.unknown"),
    ("eenvoudig.bpmn", 'targetRef="groen_beoordelen"', 'targetRef="groen_beordelen"',
     "Flow_gw_groen_beoordelen_ingetrokken_groen_beoordelen", "flow.dangling"),
    ("complex.bpmn", "aanvulling_nodig == True</bpmn:conditionExpression>",
     "aanvullingnodig == True</bpmn:conditionExpression>", None, "expression.unknown_name"),
    ("complex.bpmn", "aanvulling_nodig == True</bpmn:conditionExpression>",
     "aanvulling_nodig = True</bpmn:conditionExpression>", None, "expression.condition"),
    ("complex.bpmn", "begeleider = begeleider_voorstel['email']", "begeleider = begeleider_voorstell['email']",
     "begeleider_bepalen", "expression.unknown_name"),
    ("complex.bpmn", "begeleider = begeleider_voorstel['email']",
     "import os\nbegeleider = begeleider_voorstel['email']", "begeleider_bepalen", "expression.script"),
    ("complex.bpmn", "begeleider = begeleider_voorstel['email']",
     "for i in range(100000):\n    for j in range(100000):\n        pass\nbegeleider = begeleider_voorstel['email']",
     "begeleider_bepalen", "script.too_many_rounds"),
    ("eenvoudig.bpmn", 'value="groen_beoordelen"', 'value="groen_beoordeling"', "groen_beoordelen",
     "usertask.form_unknown"),
    ("initiatief.bpmn", '<spiffworkflow:property name="formId" value="intake"/>',
     '<spiffworkflow:property name="formId" value="intak"/>', "start_initiatief", "startevent.form_unknown"),
    ("complex.bpmn", 'serviceTaskOperator id="suggest_guide"', 'serviceTaskOperator id="suggest_guides"',
     None, "servicetask.handler_unknown"),
    ("complex.bpmn", "<spiffworkflow:parameter id=\"team\" type=\"any\" value=\"'initiatieventeam'\"/>",
     "<spiffworkflow:parameter id=\"team\" type=\"any\" value=\"team_code\"/>", None, "expression.unknown_name"),
    ("complex.bpmn", 'calledElement="aanvulling"', 'calledElement="aanvullen"', "vraag_intakegesprek",
     "callactivity.unknown_process"),
    ("initiatief.bpmn", "<spiffworkflow:calledDecisionId>categorie</spiffworkflow:calledDecisionId>",
     "<spiffworkflow:calledDecisionId>categorieen</spiffworkflow:calledDecisionId>", "categoriseren",
     "businessrule.unknown_decision"),
    ("complex.bpmn", 'name="assignee" value="begeleider"', 'name="assignee" value="begeleiderr"', None,
     "expression.unknown_name"),
]
# fmt: on


def _edited(file: str, old: str, new: str) -> dict[str, bytes]:
    text = (MODELS_DIR / file).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}: the table no longer fits the bundled models"
    return {file: text.replace(old, new, 1).encode("utf-8")}


def test_the_bundled_models_pass_the_check(loket: Loket) -> None:
    found = studio.check(loket, {"eenvoudig.bpmn": (MODELS_DIR / "eenvoudig.bpmn").read_bytes()})
    assert found.problems == [] and found.warnings == []


def test_there_are_at_least_twenty_fatal_edits_in_the_table() -> None:
    assert len(EDITS) >= 20


@pytest.mark.parametrize(("file", "old", "new", "element", "code"), EDITS,
                         ids=[f"{code}:{new[:30]}" for _file, _old, new, _element, code in EDITS])
def test_a_fatal_edit_is_refused_with_a_dutch_message_on_the_element(
    loket: Loket, file: str, old: str, new: str, element: str | None, code: str
) -> None:
    found = studio.check(loket, _edited(file, old, new))
    matching = [problem for problem in found.problems if problem.code == code]
    assert matching, f"not refused as {code}: {[p.format() for p in found.problems]}"
    problem = matching[0]
    assert problem.blocking and problem.file == file and problem.element_id
    if element is not None:
        assert problem.element_id == element
    assert problem.message_nl != problem.message_en, "the message is in Dutch"
    assert "Traceback" not in problem.message_nl and "Exception" not in problem.message_nl
