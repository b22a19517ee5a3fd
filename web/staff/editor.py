"""The process owner's editors in the browser: a diagram (bpmn-js) or decision table (dmn-js)
in use is opened, changed, and checked or put into use with the same check and versioning as
an upload on the Processen page (``processes.studio``), so a pilot lesson needs no XML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from flask import abort, jsonify, render_template, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from processes import editor_choices, rules_try, studio_drafts
from processes import studio as service
from processes.access import INITIATOR_GROUP, MODEL_ROLES
from web.i18n import current_lang
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket
from web.staff.studio import upload_error_text

KINDS = {".bpmn": "bpmn", ".dmn": "dmn"}
ANSWER = "antwoord-"
"""The prefix of the try panel's answer fields (``antwoord-<input id>``)."""


@dataclass
class _Posted:
    """The posted file under the name of the file being edited: the browser's file name is
    not trusted to say which file in use it replaces."""

    upload: FileStorage
    filename: str | None

    def read(self, size: int = -1) -> bytes:
        return self.upload.read(size)


def _kind(name: str) -> str:
    """``bpmn`` or ``dmn`` for a file in use that can be edited; 404 for anything else."""
    kind = KINDS.get(PurePosixPath(name).suffix.lower())
    if kind is None or service.file_in_use(loket(), name) is None:
        abort(404)
    return kind


def _panel_texts() -> dict[str, str]:
    """The labels of the properties panel's "Loket" group ({placeholders} are filled in there)."""
    return {
        "group": _("Loket"),
        "form": _("Formulier"),
        "formHelp": _("Het formulier dat deze stap toont."),
        "noForm": _("(geen formulier)"),
        "unknownForm": _("{id} (bestaat niet)"),
        "candidateGroups": _("Wie pakt deze taak op"),
        "candidateGroupsHelp": _("Het team dat de taak in de werkvoorraad krijgt."),
        "noGroup": _("(geen team)"),
        "otherExpression": _("Een andere uitdrukking …"),
        "candidateGroupsExpression": _("Uitdrukking voor het team"),
        "candidateGroupsExpressionHelp": _("In Python, bijvoorbeeld 'regiegroep-' + wijk"),
        "assignee": _("Toegewezen aan (uitdrukking)"),
        "assigneeHelp": _("Mag leeg blijven. In Python, bijvoorbeeld begeleider"),
        "statusText": _("Statustekst (Nederlands)"),
        "statusTextHelp": _("Wat de initiatiefnemer ziet als het initiatief bij deze stap is."),
        "statusTextEn": _("Statustekst (Engels)"),
        "statusTextEnHelp": _("Dezelfde tekst in het Engels."),
        "informInitiator": _("Initiatiefnemer een e-mail sturen"),
        "informInitiatorHelp": _("De initiatiefnemer krijgt een e-mail als het initiatief bij deze stap komt."),
        "norm": _("Servicenorm in werkdagen"),
        "normHelp": _("Zoveel werkdagen heeft het team voor deze taak."),
        "normOther": _("Nu staat er: {expression}. Vul een aantal werkdagen in om dit te vervangen."),
        "normInvalid": _("Vul een heel getal in van 1 tot en met {max}."),
        "noNorm": _("Deze taak heeft geen servicenorm. Zet een tijdgebeurtenis op de rand van de taak "
                    "en zet daar ‘Dit is de servicenorm van de taak’ aan."),
        "overdue": _("Dit is de servicenorm van de taak"),
        "overdueHelp": _("Als de tijd om is, staat de taak als te laat in de werkvoorraad."),
        "condition": _("Voorwaarde"),
        "conditionHelp": _("In Python, bijvoorbeeld aanvulling_nodig == True. "
                           "Het proces volgt deze pijl als de voorwaarde waar is."),
        "script": _("Script (Python)"),
        "scriptHelp": _("Rekent met de gegevens van het initiatief."),
    }


def _texts(kind: str) -> dict[str, object]:
    texts: dict[str, object] = {
        "saveFailed": _("Het model kon niet worden verstuurd. Controleer uw verbinding en probeer het opnieuw."),
        "loggedOut": _("Het model is niet verstuurd: u bent uitgelogd of de pagina is verlopen. Uw wijzigingen "
                       "staan nog hier. Log in een nieuw tabblad opnieuw in en kies dan hier opnieuw."),
        "nothingChanged": _("U heeft niets veranderd, dus er is niets in gebruik genomen."),
        "importWarnings": _("Niet alles in dit bestand kon worden gelezen. Daarom kunt u het hier niet "
                            "in gebruik nemen."),
    }
    if kind == "bpmn":
        texts["panel"] = _panel_texts()
    else:
        texts["try"] = {
            "failed": _("Het proberen is niet gelukt. Controleer uw verbinding en probeer het opnieuw."),
            "loggedOut": _("Er is niets geprobeerd: u bent uitgelogd of de pagina is verlopen. Uw wijzigingen "
                           "staan nog hier. Log in een nieuw tabblad opnieuw in en kies dan hier opnieuw."),
        }
    return texts


def _choices() -> dict[str, list[dict[str, str]]]:
    forms = [{"id": form.form_id, "title": form.title}
             for form in editor_choices.form_choices(loket(), current_lang())]
    teams = [{"code": team.code, "name": team.name} for team in editor_choices.team_choices(loket())]
    teams.append({"code": INITIATOR_GROUP, "name": _("De initiatiefnemer")})
    return {"forms": forms, "teams": teams}


@bp.get("/processen/bewerken/<path:name>")
@requires(MODEL_ROLES)
def model_editor(name: str) -> str:
    kind = _kind(name)
    content = service.file_in_use(loket(), name) or b""
    table = rules_try.table_inputs(content, PurePosixPath(name).name) if kind == "dmn" else None
    return render_template("staff/editor.html", name=name, kind=kind, xml=content.decode("utf-8"),
                           texts=_texts(kind), choices=_choices() if kind == "bpmn" else {}, table=table)


def _answer(status: int, **context: object) -> tuple[Response, int]:
    """The outcome as JSON for the editor page: whether something was put into use, and the
    message to show (rendered here, so it is translated and escaped like every page)."""
    html = render_template("staff/editor_result.html", **context)
    return jsonify(deployed=bool(context.get("deployed")), html=html), status


@bp.post("/processen/bewerken/<path:name>")
@requires(MODEL_ROLES)
def model_editor_post(name: str) -> tuple[Response, int]:
    _kind(name)
    deploy = request.form.get("actie") == "in_gebruik"
    upload = request.files.get("bestand")
    basename = PurePosixPath(name).name
    try:
        files = service.read_uploads([_Posted(upload, basename)] if upload is not None else [])
    except service.UploadInvalid as problem:
        return _answer(400, upload_error=upload_error_text(problem))
    if not deploy:
        return _answer(200, name=basename, check=service.check(loket(), files), checked_only=True)
    outcome, result = studio_drafts.deploy(loket(), files, actor=principal().email,
                                           reason=request.form.get("reden", "")[:1000])
    if result is None:
        return _answer(400, name=basename, check=outcome, checked_only=False)
    changed = [_("%(process)s (versie %(number)s)", process=v.process_id, number=v.version_no)
               for v in result.versions if v.new]
    return _answer(200, deployed=True, changed=", ".join(changed))


def _try_answer(status: int, trial: rules_try.Trial | None = None, **context: object) -> tuple[Response, int]:
    """The outcome of a try as JSON: the outcome and the answer fields (for the table as it is
    now), rendered here like every page, and which rules fit, for the page's script."""
    html = render_template("staff/editor_try_result.html", trial=trial, **context)
    if trial is None:
        return jsonify(html=html), status
    decision = trial.decision
    return jsonify(
        html=html,
        fields=render_template("staff/editor_try_fields.html", table=trial.table),
        decided=decision is not None and decision.decided,
        applied=[rule.number for rule in decision.applied] if decision else [],
        matched=[rule.number for rule in decision.matched] if decision else [],
        invalid=[problem.input_id for problem in trial.answer_problems],
    ), status


@bp.post("/processen/bewerken/<path:name>/proberen")
@requires(MODEL_ROLES)
def model_editor_try(name: str) -> tuple[Response, int]:
    """Try the decision table as it is in the editor (not deployed) on the answers of the panel;
    with ``actie=invoer`` only the answer fields for the table as it is now."""
    if _kind(name) != "dmn":
        abort(404)
    basename = PurePosixPath(name).name
    upload = request.files.get("bestand")
    try:
        files = service.read_uploads([_Posted(upload, basename)] if upload is not None else [])
    except service.UploadInvalid as problem:
        return _try_answer(400, upload_error=upload_error_text(problem))
    content = files[basename]
    if request.form.get("actie") == "invoer":
        table = rules_try.table_inputs(content, basename)
        return jsonify(fields=render_template("staff/editor_try_fields.html", table=table)), 200
    answers = {key.removeprefix(ANSWER): value for key, value in request.form.items() if key.startswith(ANSWER)}
    trial = rules_try.try_table(content, answers, basename)
    return _try_answer(400 if trial.answer_problems else 200, trial)
