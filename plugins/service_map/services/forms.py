"""The editors' forms (WTForms through Flask-WTF, with the product's CSRF token).

The rules for a service's values live in :mod:`.values` (a form and an import row are checked alike);
these forms only read the request and refuse an unknown action.
"""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf

from perhekeskus.dashboard.access.forms import ProtectedForm

ACTIONS = ("save", "deactivate", "reactivate")


class ServiceForm(ProtectedForm):
    """Adding or changing a service, and the deactivate / reactivate buttons."""

    action = HiddenField(validators=[AnyOf(ACTIONS)])
    name = StringField()
    description = TextAreaField()
    provider = StringField()
    actor_type = SelectField(validate_choice=False, choices=[])
    municipalities = SelectMultipleField(validate_choice=False, choices=[])
    tasks = SelectMultipleField(validate_choice=False, choices=[])
    client_groups = SelectMultipleField(validate_choice=False, choices=[])
    forms = SelectMultipleField(validate_choice=False, choices=[])
    languages = StringField()
    referral_needed = BooleanField()
    contact_url = StringField()
    actors = StringField()
    proposal = HiddenField()  # the catalogue proposal this service is made from, if any

    def service_data(self) -> dict[str, Any]:
        """The values as :func:`values.validate` takes them (nothing is trusted yet)."""
        limit = 60  # more boxes than any list has: a hand-made POST cannot make the check slow
        return {
            "name": self.name.data or "",
            "description": self.description.data or "",
            "provider": self.provider.data or "",
            "actor_type": self.actor_type.data or "",
            "municipalities": list(self.municipalities.data or [])[:limit],
            "tasks": list(self.tasks.data or [])[:limit],
            "client_groups": list(self.client_groups.data or [])[:limit],
            "forms": list(self.forms.data or [])[:limit],
            "languages": (self.languages.data or "").replace(",", ";"),
            "referral_needed": bool(self.referral_needed.data),
            "contact_url": self.contact_url.data or "",
            "actors": (self.actors.data or "").replace(",", ";"),
        }


class ImportForm(ProtectedForm):
    """Uploading a CSV or XLSX file of services."""

    file = FileField()


class ProposalForm(ProtectedForm):
    """Dismissing a catalogue proposal."""

    proposal = HiddenField()
