"""Flask extensions, created once and bound in the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI (memory by default; use a shared store such as
# redis:// when several web processes serve the site).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
login_manager = LoginManager()

