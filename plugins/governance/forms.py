"""The registry's forms (WTForms through Flask-WTF): what a POST may carry and its CSRF check.

The rules for a member's values live in :mod:`.validation` (an import row and a form are checked alike);
these forms read the request, refuse an unknown action or a malformed member id, and carry the
product's CSRF token (:class:`~perhekeskus.dashboard.access.forms.ProtectedForm`).
"""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import EmailField, HiddenField, SelectField, SelectMultipleField, StringField, TelField
from wtforms.validators import AnyOf

from perhekeskus.dashboard.access.forms import ProtectedForm
from perhekeskus.plugins.governance.domain import DIRECTIONS, MEMBER_FIELDS

ACTIONS = ("add", "update", "deactivate", "reactivate")


def member_id(value: Any) -> int | None:
    """A member id as a form sends it: digits only, and short (anything else is no id)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else None


class MemberForm(ProtectedForm):
    """Adding or editing a member, and the per-row deactivate and reactivate buttons."""

    action = HiddenField(validators=[AnyOf(ACTIONS)])
    member_id = HiddenField(filters=[member_id])
    name = StringField()
    organisation = StringField()
    actor_type = SelectField(validate_choice=False, choices=[])
    role = SelectField(validate_choice=False, choices=[])
    communication = SelectMultipleField(validate_choice=False, choices=[])
    email = EmailField()
    phone = TelField()
    username = StringField()

    def member_data(self, with_username: bool) -> dict[str, Any]:
        """The member's values as the registry's validation takes them (nothing is trusted yet)."""
        data: dict[str, Any] = {f: getattr(self, f).data or "" for f in MEMBER_FIELDS if f != "communication"}
        data["communication"] = list(self.communication.data or [])[: len(DIRECTIONS) + 2]
        if with_username and self.username.raw_data:
            data["username"] = self.username.data or ""
        return data


class ImportForm(ProtectedForm):
    """Uploading a CSV or XLSX file of members."""

    file = FileField()
