"""What the survey's two sets of pages share: the app's services, rendering, message pages, the words of
the lists in the reader's language and the body-size guard.

Why here: the coordinator's and the respondent's pages must answer bad input the same way (a 400 or
413 page in the reader's language, never a 500) and name actor types, tasks and frequencies with the
same words as the rest of the network map.
"""

from __future__ import annotations

from typing import Any

import flask
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS, word

# The shared style sheet styles Dash pages; these forms carry their own few rules inline (as governance).
INPUT_STYLE = "display:block;width:100%;max-width:32rem;padding:.5rem;font-size:1rem;margin-bottom:.75rem;box-sizing:border-box"
BUTTON_STYLE = "padding:.5rem 1rem;font-size:1rem;min-height:2.75rem;margin:.25rem .5rem .25rem 0"
CHOICE_STYLE = "display:flex;gap:.5rem;align-items:flex-start;padding:.35rem 0;min-height:2.75rem"


def access() -> Any:
    return flask.current_app.extensions["perhekeskus_access"]


def vocabulary() -> Any:
    from perhekeskus.vocabulary import load_vocabulary

    return load_vocabulary()


def render(template: str, status: int = 200, **context) -> flask.Response:
    """A page of this part, never cached (it carries names or a personal link)."""
    from perhekeskus.ui import render_page

    response = render_page(
        template,
        status,
        INPUT_STYLE=INPUT_STYLE,
        BUTTON_STYLE=BUTTON_STYLE,
        CHOICE_STYLE=CHOICE_STYLE,
        **context,
    )
    response.headers["Cache-Control"] = "no-store"
    # The product's Referrer-Policy (same-origin) already keeps a personal link from leaving the site in a
    # Referer; "no-referrer" would make Chromium send "Origin: null", which the core's guard refuses.
    return response


def message(title: str, text: str, status: int, *, back: str = "", back_text: str = "") -> flask.Response:
    return render("perhekeskus/message.html", status, title=title, text=text, back=back, back_text=back_text)


def read_form(limit: int) -> Any:
    """The POSTed form, read under a size limit: raises :class:`RequestEntityTooLarge` (answer 413) or
    :class:`BadRequest` (answer 400) instead of failing later."""
    flask.request.max_content_length = limit
    flask.request.max_form_memory_size = limit
    try:
        return flask.request.form
    except (RequestEntityTooLarge, BadRequest):
        raise
    except ValueError as exc:  # a malformed body
        raise BadRequest(str(exc)) from exc


class Words:
    """The names of actor types, tasks, municipalities, frequencies and tie kinds in one language."""

    def __init__(self, lang: str, areas: Any) -> None:
        self.lang = lang
        self.vocabulary = vocabulary()
        self.areas = areas
        places = areas.municipality_names()
        self._places = {code: (sv if lang == "sv" and sv else fi) for code, (fi, sv) in places.items()}

    def actor_type(self, code: str) -> str:
        return self.vocabulary.label("actor_type", code, self.lang)

    def task(self, code: str) -> str:
        return self.vocabulary.label("task", code, self.lang)

    def place(self, code: str) -> str:
        return self._places.get(code, code)

    def places(self, codes: tuple[str, ...] | list[str]) -> str:
        return ", ".join(self.place(c) for c in codes)

    def frequency(self, n: int) -> str:
        return word(FREQUENCIES, n, self.lang)

    def kind(self, code: str) -> str:
        return word(TIE_KINDS, code, self.lang)

    def day(self, value: str | None) -> str:
        """An ISO date (or timestamp) of the store as a calendar day in this language."""
        from perhekeskus.ui import as_day, translator

        day = as_day(value)
        return translator(self.lang).date(day) if day is not None else "–"

    def area(self, area_id: str | None, _: Any) -> str:
        if area_id is None:
            return _("The whole province")
        area = self.areas.area(area_id)
        return area.name(self.lang) if area is not None else area_id

    def actor_types(self) -> list[tuple[str, str]]:
        return [(t.code, t.name(self.lang)) for t in self.vocabulary.actor_types]

    def tasks(self) -> list[tuple[str, str]]:
        return [(t.code, t.name(self.lang)) for t in self.vocabulary.tasks]

    def frequencies(self) -> list[tuple[int, str]]:
        return [(n, self.frequency(n)) for n in sorted(FREQUENCIES)]

    def kinds(self) -> list[tuple[str, str]]:
        return [(k, self.kind(k)) for k in TIE_KINDS]

    def municipalities(self, area_id: str | None) -> list[tuple[str, str]]:
        area = self.areas.area(area_id) if area_id else None
        codes = area.municipalities if area is not None else self.areas.municipalities
        return sorted(((c, self.place(c)) for c in codes), key=lambda p: p[1])
