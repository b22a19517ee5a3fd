"""Login links for "Mijn initiatieven": single-use, expiring, stored as a hash only.

The link's GET shows a confirm button; only the POST consumes the token, so a mail scanner
that follows links does not burn it."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from engine import ProcessInstance
from processes import clock
from processes.loket import Loket
from processes.sessions import open_initiator_session
from processes.tables.portal import LoginToken
from processes.vocabulary import INITIATIVE_PROCESS, LOGIN_TEXT, NAME_FIELD

LOGIN_LINK_LIFETIME = timedelta(minutes=30)
# At most this many unused links per address per lifetime: a bot cannot flood one mailbox.
MAX_OPEN_LINKS = 3
PURGE_AFTER = timedelta(days=1)


def new_token() -> tuple[str, str]:
    """A random URL-safe token (256 bits) and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(value: str) -> str:
    return value.strip().lower()


@dataclass(frozen=True)
class IssuedLink:
    token: str
    email: str
    expires_at: datetime


def issue_login_link(session: Session, email: str, *, next_path: str | None = None) -> IssuedLink | None:
    """A new login link for ``email``, or None when this address already has enough open links."""
    address = normalise_email(email)
    now = clock.now()
    session.execute(delete(LoginToken).where(LoginToken.expires_at < now - PURGE_AFTER))
    open_links = session.scalar(
        select(func.count()).select_from(LoginToken).where(
            LoginToken.email == address, LoginToken.used_at.is_(None), LoginToken.expires_at > now
        )
    )
    if (open_links or 0) >= MAX_OPEN_LINKS:
        return None
    token, token_hash = new_token()
    expires_at = now + LOGIN_LINK_LIFETIME
    session.add(LoginToken(token_hash=token_hash, email=address, next_path=next_path, created_at=now,
                           expires_at=expires_at))
    session.flush()
    return IssuedLink(token=token, email=address, expires_at=expires_at)


def valid_login_token(session: Session, token: str) -> LoginToken | None:
    """The unused, unexpired token row for ``token`` (without using it)."""
    query = select(LoginToken).where(LoginToken.token_hash == hash_token(token))
    row = session.scalar(query.execution_options(populate_existing=True))
    if row is None or row.used_at is not None or row.expires_at <= clock.now():
        return None
    return row


@dataclass(frozen=True)
class Login:
    email: str
    next_path: str | None
    session_token: str | None = None
    """The new login session's token for the cookie (:mod:`processes.sessions`)."""


def consume_login_token(session: Session, token: str) -> Login | None:
    """Use the token: exactly one caller wins, also when two requests race."""
    now = clock.now()
    statement = (
        update(LoginToken)
        .where(LoginToken.token_hash == hash_token(token), LoginToken.used_at.is_(None), LoginToken.expires_at > now)
        .values(used_at=now)
        .returning(LoginToken.email, LoginToken.next_path)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(statement).first()
    if row is None:
        return None
    return Login(email=row.email, next_path=row.next_path)


def purge_expired_tokens(session: Session) -> int:
    """Delete login links that expired some time ago (they are useless and name an address)."""
    result = session.execute(delete(LoginToken).where(LoginToken.expires_at < clock.now() - PURGE_AFTER))
    return int(getattr(result, "rowcount", 0) or 0)


# use cases -----------------------------------------------------------------------------------
LOGIN_TEMPLATE = LOGIN_TEXT


def request_login_link(loket: Loket, email: str, *, next_path: str | None, link: Callable[[str], str],
                       lang: str) -> None:
    """Mail a login link to ``email`` (``link`` makes the address from the token), sent at once
    and never stored (MailNotSent when that fails: then no link was issued). An address with
    enough open links gets nothing more; the caller answers the same either way, so nobody
    learns who uses the loket."""
    with loket.transaction() as session:
        issued = issue_login_link(session, email, next_path=next_path)
        if issued is not None:
            context = {"link": link(issued.token), "minuten": int(LOGIN_LINK_LIFETIME.total_seconds() // 60),
                       "naam": _initiator_name(session, issued.email)}
            loket.engine.send_mail_now(LOGIN_TEMPLATE, issued.email, context, lang, within=session)


def _initiator_name(session: Session, email: str) -> str:
    """The name on the address's newest initiative, to greet them by ("" when there is none)."""
    data = session.scalar(select(ProcessInstance.case_data)
                          .where(ProcessInstance.initiator == email, ProcessInstance.process_id == INITIATIVE_PROCESS)
                          .order_by(ProcessInstance.created_at.desc(), ProcessInstance.id.desc()).limit(1))
    return str((data or {}).get(NAME_FIELD) or "")


def login_link_valid(loket: Loket, token: str) -> bool:
    with loket.reading() as session:
        return valid_login_token(session, token) is not None


def use_login_link(loket: Loket, token: str, *, session_expires_at: datetime,
                   ending: Iterable[object] = ()) -> Login | None:
    """Log in with the link: exactly once, also when two requests race. The login gets a new
    session on the server (until ``session_expires_at``); ``ending``: the browser's earlier
    session tokens, ended at the same time."""
    with loket.transaction() as session:
        login = consume_login_token(session, token)
        if login is None:
            return None
        started = open_initiator_session(session, login.email, session_expires_at, ending=ending)
        return replace(login, session_token=started)
