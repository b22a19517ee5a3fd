"""Who is logged in to "Mijn initiatieven": an e-mail address in the signed session cookie,
put there only by a login link (no passwords for initiators)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import redirect, request, session, url_for

SESSION_KEY = "initiatiefnemer"
F = TypeVar("F", bound=Callable[..., Any])


def current_initiator() -> str | None:
    email = session.get(SESSION_KEY)
    return str(email) if email else None


def log_in(email: str) -> None:
    """Start a fresh login: an earlier initiator and confirmation are dropped; the
    language choice and a staff login in the same browser are kept."""
    for key in (SESSION_KEY, "verzonden"):
        session.pop(key, None)
    session[SESSION_KEY] = email.strip().lower()
    session.permanent = True


def log_out() -> None:
    session.pop(SESSION_KEY, None)


def initiator_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_initiator() is None:
            return redirect(url_for("public.login", next=request.path))
        return view(*args, **kwargs)

    return cast(F, wrapper)
