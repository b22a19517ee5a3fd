"""The process owner's mail-text editor: a text in use with its twin in the other language, a
preview rendered by the engine's own mail renderer with example values, drafts, and checking and
putting into use through :mod:`processes.studio` (the same check and versioning as an upload).

A text file is ``texts/<name>.<lang>.txt``: the first line ``Onderwerp: …`` (``Subject: …`` in
English), then the body, a Jinja2 template. The editor shows the subject as its own field."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from jinja2 import Environment, TemplateSyntaxError, UndefinedError, meta, nodes

from engine import DeployResult, ModelProblem
from processes import studio, studio_drafts
from processes.bundle_content import SUBJECT_LABELS, TEXT_NAME
from processes.loket import Loket
from processes.studio_drafts import Draft
from processes.text_safety import unsafe_part
from processes.text_variables import TextUse, examples, text_use

LANGUAGES = ("nl", "en")
SUBJECT_LABEL = {"nl": "Onderwerp", "en": "Subject"}
MAX_SUBJECT = 300
MAX_BODY = 100_000
_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


class TextInvalid(Exception):
    """What was posted cannot be a text (``code``: ``too_long``), in ``lang``."""

    def __init__(self, code: str, lang: str) -> None:
        self.code, self.lang = code, lang
        super().__init__(f"{code}: {lang}")


@dataclass(frozen=True)
class Part:
    """A text as the editor shows it: the subject line and the body."""

    subject: str
    body: str

    @property
    def empty(self) -> bool:
        return not self.subject.strip() and not self.body.strip()


def split(content: str) -> Part:
    """The subject and body of a text file (no subject when the first line is no subject line)."""
    first, newline, body = content.replace("\r\n", "\n").partition("\n")
    label, colon, subject = first.partition(":")
    if colon and label.strip() in SUBJECT_LABELS:
        return Part(subject.strip(), body)
    return Part("", content)


def joined(lang: str, part: Part) -> str:
    """The text file of ``part``: ``Onderwerp: …`` (``Subject: …``) and the body."""
    return f"{SUBJECT_LABEL[lang]}: {part.subject}\n{part.body}"


def posted_part(lang: str, subject: str, body: str) -> Part:
    """A part as posted: the subject on one line, line ends as in a file; TextInvalid when too long."""
    subject = _LINE_BREAKS.sub(" ", subject).strip()
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(subject) > MAX_SUBJECT or len(body) > MAX_BODY:
        raise TextInvalid("too_long", lang)
    return Part(subject, body)


@dataclass(frozen=True)
class MailText:
    """A text in use and its twin: ``names`` (language → place in the bundle) and ``in_use``
    (language → its content, None when the bundle has no text in that language)."""

    text: str
    names: dict[str, str]
    in_use: dict[str, str | None]
    use: TextUse
    others: dict[str, str] = field(default_factory=dict)
    """The other texts in use (file name → content): a preview sees the whole set."""

    def parts(self) -> dict[str, Part]:
        return {lang: split(self.in_use[lang] or "") for lang in LANGUAGES}

    @property
    def page_name(self) -> str:
        """The file the editor's page is named after: the Dutch text (the English one without it)."""
        return self.names["nl"] if self.in_use["nl"] is not None else self.names["en"]


def open_text(loket: Loket, name: str) -> MailText | None:
    """The text ``name`` (``texts/x.nl.txt`` or its English twin) with its twin, if it is in use."""
    files = studio.bundle_in_use(loket)
    found = TEXT_NAME.fullmatch(PurePosixPath(name).name)
    if found is None or files.get(name) is None:
        return None
    text = found.group("name")
    names = {lang: str(PurePosixPath(name).with_name(f"{text}.{lang}.txt")) for lang in LANGUAGES}
    in_use = {lang: _decoded(files.get(path)) for lang, path in names.items()}
    others = {PurePosixPath(path).name: _decoded(data) or "" for path, data in files.items()
              if path.endswith(".txt") and path not in names.values()}
    diagrams = {path: data for path, data in files.items() if path.endswith(".bpmn")}
    return MailText(text, names, in_use, text_use(diagrams, text), others)


def _decoded(data: bytes | None) -> str | None:
    return data.decode("utf-8") if data is not None else None


def changed_files(mail: MailText, parts: Mapping[str, Part]) -> dict[str, bytes]:
    """The twins whose text differs from the one in use (by file name, as studio takes them); an
    English twin the bundle lacks and that was left empty is not sent."""
    files: dict[str, bytes] = {}
    for lang in LANGUAGES:
        part = parts[lang]
        if mail.in_use[lang] is None and part.empty:
            continue
        content = joined(lang, part)
        if content != mail.in_use[lang]:
            files[PurePosixPath(mail.names[lang]).name] = content.encode("utf-8")
    return files


# preview ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Preview:
    """The mail in ``lang`` as it would go out; ``problem`` instead when it cannot be made;
    ``dutch_instead``: there is no text in this language, so the Dutch one is sent."""

    lang: str
    subject: str = ""
    body: str = ""
    problem: ModelProblem | None = None
    dutch_instead: bool = False


def preview(loket: Loket, mail: MailText, parts: Mapping[str, Part], given: Mapping[str, str],
            base_url: str) -> list[Preview]:
    """Both mails rendered by the engine's mail renderer, as the worker renders them, with the
    example values ``given`` (the defaults for the rest). Never raises for a mistake in a text."""
    texts = dict(mail.others)
    for lang in LANGUAGES:
        if not (mail.in_use[lang] is None and parts[lang].empty):
            texts[PurePosixPath(mail.names[lang]).name] = joined(lang, parts[lang])
    return [_preview(loket, mail, texts, lang, examples(mail.use, lang, base_url, given)) for lang in LANGUAGES]


def _preview(loket: Loket, mail: MailText, texts: dict[str, str], lang: str, values: dict[str, str]) -> Preview:
    name = f"{mail.text}.{lang}.txt"
    source = texts.get(name) or texts.get(f"{mail.text}.nl.txt") or ""
    path = mail.names[lang] if name in texts else mail.names["nl"]
    problem = _unusable(path, source)
    if problem is not None:
        return Preview(lang, problem=problem)
    if mail.use.open:  # a sender may give values nobody can list: show where they go
        names = meta.find_undeclared_variables(Environment(autoescape=False).parse(source))  # noqa: S701
        values = {**{name: f"[{name}]" for name in names}, **values}
    renderer = loket.engine.mail_renderer
    if renderer is None:
        return Preview(lang, problem=_problem(path, "text.preview", "Er is geen voorbeeld te maken: het loket "
                                              "verstuurt geen e-mail.", "No preview can be made: the loket sends "
                                              "no mail."))
    # A key of its own per content: the renderer keeps a template environment per bundle key.
    key = -1 - int(hashlib.sha256(repr(sorted(texts.items())).encode()).hexdigest()[:15], 16)
    try:
        subject, body = renderer.render(mail.text, lang, values, (key, texts))
    except UndefinedError as error:
        return Preview(lang, problem=_undefined(path, str(error.message or "")))
    except Exception as error:  # noqa: BLE001 - a mistake in a text is the owner's to fix, never a crash
        detail = str(error)[:300]
        return Preview(lang, problem=_problem(path, "text.render", f"De tekst kan niet worden gemaakt ({detail}).",
                                              f"The text cannot be made ({detail})."))
    return Preview(lang, subject, body, dutch_instead=name not in texts)


def _unusable(path: str, source: str) -> ModelProblem | None:
    environment = Environment(autoescape=False)  # noqa: S701 - mail texts are plain text
    try:
        unsafe = unsafe_part(environment, source)
    except TemplateSyntaxError as error:
        return _problem(path, "text.syntax",
                        f"Regel {error.lineno}: een {{{{ … }}}} of {{% … %}} klopt niet ({error.message}).",
                        f"Line {error.lineno}: a {{{{ … }}}} or {{% … %}} is not right ({error.message}).")
    if unsafe is not None:
        return _problem(path, "text.unsafe", unsafe.message("nl"), unsafe.message("en"))
    return None


def _undefined(path: str, message: str) -> ModelProblem:
    found = _UNDEFINED.match(message)
    if found is None:
        return _problem(path, "text.variable", f"Een waarde in de tekst bestaat niet ({message}).",
                        f"A value in the text does not exist ({message}).")
    name = found.group("name")
    return _problem(path, "text.variable",
                    f"De tekst gebruikt {{{{ {name} }}}}, maar deze tekst krijgt geen waarde '{name}'. "
                    "Kies een van de waarden in de lijst.",
                    f"The text uses {{{{ {name} }}}}, but this text gets no value '{name}'. "
                    "Choose one of the values in the list.")


def _problem(path: str, code: str, nl: str, en: str, severity: str = "error") -> ModelProblem:
    return ModelProblem(path, None, None, code, nl, en, severity)


def unknown_names(mail: MailText, parts: Mapping[str, Part]) -> list[ModelProblem]:
    """A problem for every name a text uses that none of its senders gives (every mail with it
    would fail); names tested with ``is defined`` are fine. None when a sender may give more."""
    if mail.use.open:
        return []
    found = []
    for lang in LANGUAGES:
        source = joined(lang, parts[lang])
        environment = Environment(autoescape=False)  # noqa: S701 - mail texts are plain text
        try:
            tree = environment.parse(source)
        except TemplateSyntaxError:
            continue  # the check says what is wrong
        tested = {test.node.name for test in tree.find_all(nodes.Test)
                  if test.name in ("defined", "undefined") and hasattr(test.node, "name")}
        for name in sorted(meta.find_undeclared_variables(tree) - mail.use.names - tested):
            found.append(_problem(
                mail.names[lang], "text.variable",
                f"De tekst gebruikt {{{{ {name} }}}}, maar deze tekst krijgt geen waarde '{name}'. "
                "Een e-mail met deze tekst kan dan niet worden verstuurd.",
                f"The text uses {{{{ {name} }}}}, but this text gets no value '{name}'. "
                "A mail with this text could then not be sent."))
    return found


# check, deploy and drafts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """What checking or deploying found; ``unchanged``: nothing differs from the text in use."""

    check: studio.Check
    result: DeployResult | None = None
    unchanged: bool = False


def _subject_problems(mail: MailText, files: Mapping[str, bytes]) -> list[ModelProblem]:
    return [_problem(mail.names[lang], "text.subject", "Vul een onderwerp in.", "Fill in a subject.")
            for lang in LANGUAGES if PurePosixPath(mail.names[lang]).name in files
            and not split(files[PurePosixPath(mail.names[lang]).name].decode("utf-8")).subject]


def check(loket: Loket, mail: MailText, parts: Mapping[str, Part]) -> Outcome:
    """What putting these texts into use would find (with the bundle in use); deploys nothing."""
    files = changed_files(mail, parts)
    own = _subject_problems(mail, files)
    if own:
        return Outcome(studio.Check([], [], own), unchanged=not files)
    found = studio.check(loket, files)
    problems = [*found.problems, *unknown_names(mail, parts)]
    return Outcome(studio.Check(found.replaced, found.added, problems, found.warnings), unchanged=not files)


def deploy(loket: Loket, mail: MailText, parts: Mapping[str, Part], *, actor: str, note: str | None,
           reason: str | None = None) -> Outcome:
    """Put the changed twins into use (a new version of every process; running initiatives keep
    their texts); the actor's drafts of both twins are then thrown away."""
    files = changed_files(mail, parts)
    if not files:
        return Outcome(studio.Check([], [], []), unchanged=True)
    own = _subject_problems(mail, files) or unknown_names(mail, parts)
    if own:
        return Outcome(studio.Check([], [], own))
    found, result = studio_drafts.deploy(loket, files, actor=actor, note=note, reason=reason)
    if result is not None:
        studio_drafts.discard(loket, actor, mail.names.values())
    return Outcome(found, result)


def drafts(loket: Loket, owner: str, mail: MailText) -> dict[str, Draft]:
    """The owner's drafts of the twins, by language."""
    found = studio_drafts.load_many(loket, owner, mail.names.values())
    return {lang: found[path] for lang, path in mail.names.items() if path in found}


def draft_parts(mail: MailText, saved: Mapping[str, Draft]) -> dict[str, Part]:
    """The texts with the drafts in place of the texts in use."""
    parts = mail.parts()
    for lang, draft in saved.items():
        parts[lang] = split(draft.content)
    return parts


def save_draft(loket: Loket, owner: str, mail: MailText, parts: Mapping[str, Part]) -> datetime | None:
    """Keep the twins that differ from the text in use as the owner's drafts (a twin that equals
    it has no draft any more); when it was saved, or None when nothing differs."""
    changed = changed_files(mail, parts)
    saved: datetime | None = None
    for lang in LANGUAGES:
        path = mail.names[lang]
        if PurePosixPath(path).name in changed:
            saved = studio_drafts.save(loket, owner, path, joined(lang, parts[lang])).saved_at
        else:
            studio_drafts.discard(loket, owner, [path])
    return saved


def discard_drafts(loket: Loket, owner: str, mail: MailText) -> int:
    return studio_drafts.discard(loket, owner, mail.names.values())
