"""The public side: landing page, start form, confirmation and "Mijn initiatieven" (issue 4)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
