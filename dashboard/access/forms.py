"""Forms of server-rendered pages: WTForms (through Flask-WTF) for validation, with the product's own
CSRF protection.

The Dash side and the sign-in form use a double-submit token: a signed random nonce in an HttpOnly,
SameSite=Strict cookie and the same nonce in the form (:mod:`perhekeskus.dashboard.access.web`). A
:class:`ProtectedForm` carries that very token in its ``csrf_token`` field and checks it together with
the same-origin rule, so a form needs no session and there is one CSRF mechanism, not two.
"""

from __future__ import annotations

from typing import Any

import flask
from flask_wtf import FlaskForm
from wtforms import ValidationError
from wtforms.csrf.core import CSRF

from perhekeskus.dashboard.access.sessions import CSRF_COOKIE


def _access() -> Any:
    return flask.current_app.extensions["perhekeskus_access"]


class DoubleSubmitCSRF(CSRF):
    """WTForms' CSRF hook on the product's double-submit cookie and the same-origin check."""

    def generate_csrf_token(self, csrf_token_field) -> str:
        from perhekeskus.dashboard.access import web

        return web.csrf_nonce(_access())

    def validate_csrf_token(self, form, field) -> None:
        from perhekeskus.dashboard.access import web

        access = _access()
        cookie = flask.request.cookies.get(CSRF_COOKIE)
        if not (web.same_origin() and access.sessions.csrf_ok(cookie, field.data)):
            raise ValidationError("The form had expired. Please try again.")


class ProtectedForm(FlaskForm):
    """A form whose POST must carry this site's CSRF token and come from this site's own pages.

    Check :meth:`csrf_ok` first (answer 400 "the form had expired" when it fails); then the fields'
    own validation."""

    class Meta(FlaskForm.Meta):
        csrf_class = DoubleSubmitCSRF
        csrf_field_name = "csrf_token"
        csrf = True

    def csrf_ok(self) -> bool:
        """Whether the submitted token matches this client's cookie and the POST came from this site."""
        return self.csrf_token.validate(self)
