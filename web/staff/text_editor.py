"""The process owner's mail-text editor: the Dutch and English text of a mail side by side, the
values it may use, a preview made by the loket's own mail renderer, drafts kept on the server,
and checking and putting into use with the same check and versioning as an upload. Plain forms:
it works without JavaScript (``text_editor.js`` only warns before leaving unsaved changes)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from processes import text_studio
from processes.access import MODEL_ROLES
from processes.studio_drafts import Draft, DraftRefused
from processes.text_studio import LANGUAGES, MailText, Part, TextInvalid
from processes.text_variables import default_example
from web.i18n import gettext as _
from web.staff import bp
from web.staff.auth import principal, requires
from web.staff.common import loket

MAX_EXAMPLE = 200
ACTIONS = ("voorbeeld", "concept", "controleren", "in_gebruik", "weggooien")


def _mail(name: str) -> MailText:
    """The text ``name`` in use with its twin; 404 for anything else."""
    mail = text_studio.open_text(loket(), name) if name.lower().endswith(".txt") else None
    if mail is None:
        abort(404)
    return mail


def _base_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def variable_descriptions() -> dict[str, str]:
    return {
        "case_ref": _("Het nummer van het initiatief"),
        "titel": _("De titel van het initiatief"),
        "title": _("De titel van het initiatief"),
        "link": _("De link die de ontvanger opent"),
        "geldig_tot": _("Tot welke dag de link werkt"),
        "minuten": _("Hoeveel minuten de link werkt"),
        "taak": _("De taak waarvan de servicenorm verlopen is"),
        "team": _("Het team dat de taak heeft"),
        "naam": _("De naam van de medewerker die de e-mail krijgt"),
        "taak_id": _("Het nummer van de taak (voor de link naar de taak)"),
        "uiterlijk": _("Vóór welke dag de taak af moet zijn (kan leeg zijn)"),
        "aantal": _("Hoeveel nieuwe taken er in het overzicht staan"),
        "overzicht": _("De nieuwe taken, één per regel"),
        "soort": _("‘antwoord’ als de initiatiefnemer een vraag beantwoordde, ‘bericht’ bij een bericht"),
        "loket_url": _("Het adres van het initiatievenloket. Kan leeg zijn: zet het daarom in een {% if loket_url %}."),
    }


def sender_descriptions() -> dict[str, str]:
    return {
        "intake": _("Het loket, als een initiatief is aangemeld (online of door een medewerker)"),
        "resume": _("Het loket, als iemand het aanmelden bewaart om later verder te gaan"),
        "login": _("Het loket, als iemand wil inloggen bij Mijn initiatieven"),
        "message": _("Het loket, als een medewerker een bericht stuurt bij een initiatief"),
        "status": _("Het loket, als een initiatief bij een stap met ‘Initiatiefnemer een e-mail sturen’ komt"),
        "assigned": _("Het loket, als een medewerker een taak krijgt (van het proces of van een collega)"),
        "team_task": _("Het loket, als er een taak in de werkvoorraad van een team komt dat bij elke taak een "
                       "e-mail krijgt"),
        "digest": _("Het loket, één keer per dag, aan teams die een dagelijks overzicht krijgen"),
        "reply": _("Het loket, als de initiatiefnemer een vraag beantwoordt of een bericht stuurt"),
    }


def _given() -> dict[str, str]:
    return {key.removeprefix("voorbeeld_"): value[:MAX_EXAMPLE] for key, value in request.form.items()
            if key.startswith("voorbeeld_")}


def _example_values(mail: MailText, given: Mapping[str, str]) -> dict[str, str]:
    base = _base_url()
    return {variable.name: given.get(variable.name, default_example(variable.name, "nl", base))
            for variable in mail.use.variables}


def _page(mail: MailText, parts: Mapping[str, Part], status: int = 200, *, given: Mapping[str, str] | None = None,
          saved: Mapping[str, Draft] | None = None, **context: object) -> tuple[str, int]:
    if saved is None:
        saved = text_studio.drafts(loket(), principal().email, mail)
    return render_template(
        "staff/text_editor.html", name=mail.page_name, mail=mail, parts=parts, languages=LANGUAGES,
        saved=saved, saved_at=max((draft.saved_at for draft in saved.values()), default=None),
        examples=_example_values(mail, given or {}), descriptions=variable_descriptions(),
        language_names={"nl": _("Nederlands"), "en": _("Engels")},
        senders=sender_descriptions(), **context), status


@bp.get("/processen/teksten/<path:name>")
@requires(MODEL_ROLES)
def text_editor(name: str) -> tuple[str, int]:
    mail = _mail(name)
    saved = text_studio.drafts(loket(), principal().email, mail)
    continuing = bool(saved) and request.args.get("concept") == "1"
    parts = text_studio.draft_parts(mail, saved) if continuing else mail.parts()
    return _page(mail, parts, saved=saved, continuing=continuing, offer=bool(saved) and not continuing)


def _posted_parts() -> dict[str, Part]:
    return {lang: text_studio.posted_part(lang, request.form.get(f"onderwerp_{lang}", ""),
                                          request.form.get(f"tekst_{lang}", "")) for lang in LANGUAGES}


def _cut_parts() -> dict[str, Part]:
    """What was posted, cut to the longest a text may be (to show it again with the error)."""
    return {lang: Part(request.form.get(f"onderwerp_{lang}", "")[:text_studio.MAX_SUBJECT],
                       request.form.get(f"tekst_{lang}", "")[:text_studio.MAX_BODY]) for lang in LANGUAGES}


@bp.post("/processen/teksten/<path:name>")
@requires(MODEL_ROLES)
def text_editor_post(name: str) -> Response | tuple[str, int]:
    mail = _mail(name)
    action = request.form.get("actie", "voorbeeld")
    action = action if action in ACTIONS else "voorbeeld"
    if action == "weggooien":
        text_studio.discard_drafts(loket(), principal().email, mail)
        flash(_("Uw concept is weggegooid. U ziet weer de tekst die in gebruik is."))
        return redirect(url_for("staff.text_editor", name=mail.page_name))
    try:
        parts = _posted_parts()
    except TextInvalid:
        return _page(mail, _cut_parts(), 400, given=_given(), input_error=_(
            "Een onderwerp is hoogstens %(subject)s tekens en een tekst hoogstens %(body)s tekens.",
            subject=text_studio.MAX_SUBJECT, body=text_studio.MAX_BODY), edited=True)
    if action == "concept":
        return _save_draft(mail, parts)
    if action == "controleren":
        outcome = text_studio.check(loket(), mail, parts)
        return _page(mail, parts, given=_given(), outcome=outcome, checked_only=True, edited=True)
    if action == "in_gebruik":
        return _deploy(mail, parts)
    previews = text_studio.preview(loket(), mail, parts, _given(), _base_url())
    return _page(mail, parts, given=_given(), previews=previews, edited=True)


def _save_draft(mail: MailText, parts: Mapping[str, Part]) -> Response | tuple[str, int]:
    try:
        saved_at = text_studio.save_draft(loket(), principal().email, mail, parts)
    except DraftRefused:
        return _page(mail, parts, 400, given=_given(), edited=True,
                     input_error=_("Het concept kan niet worden bewaard. Controleer de tekst en probeer het opnieuw."))
    if saved_at is None:
        flash(_("Uw tekst is gelijk aan de tekst die in gebruik is. Er is geen concept bewaard."))
        return redirect(url_for("staff.text_editor", name=mail.page_name))
    flash(_("Uw concept is bewaard. Alleen u ziet het; het is nog niet in gebruik."))
    return redirect(url_for("staff.text_editor", name=mail.page_name, concept="1"))


def _deploy(mail: MailText, parts: Mapping[str, Part]) -> Response | tuple[str, int]:
    note = request.form.get("toelichting", "")[:2000]
    outcome = text_studio.deploy(loket(), mail, parts, actor=principal().email, note=note,
                                 reason=request.form.get("reden", "")[:1000])
    if outcome.unchanged:
        return _page(mail, parts, given=_given(), unchanged=True, edited=True)
    if outcome.result is None:
        return _page(mail, parts, 400, given=_given(), outcome=outcome, checked_only=False, edited=True)
    changed = [_("%(process)s (versie %(number)s)", process=v.process_id, number=v.version_no)
               for v in outcome.result.versions if v.new]
    flash(_("De tekst is in gebruik genomen: %(processes)s. Nieuwe initiatieven krijgen deze tekst; lopende "
            "initiatieven houden hun tekst.", processes=", ".join(changed)))
    return redirect(url_for("staff.text_editor", name=mail.page_name))
