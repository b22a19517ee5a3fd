"""Small pieces every portal form view needs: reading uploads, showing what was typed back,
and the honeypot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

from forms import FieldError, FormDefinition
from processes.documents import MAX_FILE_BYTES, Upload, UploadRejected, check_upload
from web.i18n import gettext as _

HONEYPOT = "website"


def honeypot_filled() -> bool:
    return bool(request.form.get(HONEYPOT, "").strip())


def _read(storage: FileStorage) -> Upload:
    # One byte more than allowed is enough to know a file is too large.
    return Upload(filename=storage.filename or "", content=storage.stream.read(MAX_FILE_BYTES + 1))


def uploads_for(names: Sequence[str]) -> dict[str, list[Upload]]:
    """The files posted per file field (empty file inputs left out)."""
    return {name: [_read(f) for f in request.files.getlist(name) if f.filename] for name in names}


def check_uploads(uploads: Mapping[str, list[Upload]], lang: str, limit: int) -> list[FieldError]:
    """One message per field with a file we cannot take (none of that field's files is stored)."""
    errors = []
    for name, files in uploads.items():
        problems = []
        if len(files) > limit:
            problems.append(_("U kunt hoogstens %(limit)d bestanden toevoegen.", limit=limit))
        for upload in files:
            try:
                check_upload(upload)
            except UploadRejected as exc:
                problems.append(exc.message(lang))
        if problems:
            errors.append(FieldError(name, " ".join(problems)))
    return errors


def shown_values(values: Mapping[str, Any], errors: Sequence[FieldError], definition: FormDefinition) -> dict[str, Any]:
    """The typed values, plus what was typed into a field that has an error (so a person can
    correct it instead of typing it again)."""
    shown = dict(values)
    for error in errors:
        field = definition.fields.get(error.field)
        if field is not None and not field.multiple and field.widget != "checkbox":
            typed = request.form.get(error.field, "")
            if typed:
                shown[error.field] = typed
    return shown
