"""The staff workspace: login, task lists, task pages, case file, KCC, register on behalf (issue 5)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/medewerker")
