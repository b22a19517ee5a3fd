"""Staff sign-on with OpenID Connect (issue 16): the organisation's identity provider logs the
employee in, the loket keeps its own session.

- ``settings``: what the environment configures (``OIDC_*``); without ``OIDC_ISSUER`` the
  sign-on is off and only the local login form exists.
- ``client``: the protocol (authorization code flow with state, nonce and PKCE; the ID token's
  signature checked against the provider's JWKS, and its issuer, audience, expiry and nonce),
  built on Authlib and joserfc, with the standard library's HTTP client.
- ``accounts``: who the signed-in person is in the loket: in claim mode roles and teams come
  from the ID token (or userinfo) and the account is created or updated; in account mode the
  e-mail address must belong to an active local account, whose roles and teams are used.

No Flask here: the views are in :mod:`web.staff.sso` and :mod:`web.staff.sso_views`.
"""
