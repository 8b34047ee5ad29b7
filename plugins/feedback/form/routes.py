"""The public feedback form as a Flask blueprint (server-rendered HTML, no Dash, no JavaScript needed).

- ``GET /palaute`` (``?kunta=418`` preselects a municipality, ``?lang=sv`` the language, which the
  product's language cookie then keeps): the form.
- ``POST /palaute``: checks, in this order — the core's same-origin guard (403, before this view), the
  rate limit (429 page), the body size (413 page: the body is not read, so its values cannot be shown
  again), the CSRF token (400: the form again with every value kept and a fresh token), the honeypot
  (a filled one gets the ordinary-looking thank-you page and **nothing is stored**: a script learns
  nothing it could adapt to), the fields (400: the form again with each problem tied to its field and
  every value kept, however long). Then the texts are scrubbed of personal data, the answer is committed
  and only then is the thank-you page shown, with what was stored.
- ``GET /palaute/qr/<kunta>.svg`` and ``.png``: the QR code of the municipality's link.
- ``GET /palaute/tuloste?kunta=418``: a printable "give feedback" poster with the QR code and the link.

Every page extends ``perhekeskus/base.html``, which loads one small style sheet and no script; text that
people typed is only ever shown through Jinja2's autoescaping, so markup is shown as text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import flask
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.feedback.form import csrf, limits, qr, scrub, store
from perhekeskus.plugins.feedback.form.submission import HONEYPOT, Submission, read_submission
from perhekeskus.plugins.feedback.model import AGE_GROUPS, OTHER, RATINGS, word
from perhekeskus.vocabulary import load_vocabulary

log = logging.getLogger(__name__)
PATH = qr.PATH
PLUGIN = "feedback"


@dataclass(frozen=True)
class FormConfig:
    """What the blueprint reads once when the app is built: its settings."""

    rate: str
    storage: str
    public_base_url: str

    @classmethod
    def from_services(cls, services: Any) -> FormConfig:
        values = services.plugin_settings(PLUGIN) if services is not None else {}
        return cls(
            rate=(values.get("form_rate_limit") or limits.DEFAULT_RATE).strip(),
            storage=(values.get("form_rate_limit_storage") or limits.DEFAULT_STORAGE).strip(),
            public_base_url=(values.get("public_base_url") or "").strip(),
        )


def _access():
    return flask.current_app.extensions["perhekeskus_access"]


def _translator() -> Translator:
    return Translator(web.request_lang())


def _municipalities(services: Any, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the province's municipalities, in alphabetical order of the name in ``lang``."""
    names = services.areas.municipality_names()
    rows = []
    for code in services.areas.municipalities:
        fi, sv = names.get(code, (code, code))
        rows.append((code, sv if lang == "sv" else fi))
    return sorted(rows, key=lambda row: row[1].casefold())


def _tasks(lang: str) -> list[tuple[str, str]]:
    return [(t.code, t.name(lang)) for t in load_vocabulary().tasks]


def make_blueprint(services: Any) -> flask.Blueprint:
    """The form's blueprint for one app, with its own rate limiter (Flask-Limiter) on that app."""
    config = FormConfig.from_services(services)
    blueprint = flask.Blueprint("feedback_form", __name__, template_folder="templates", url_prefix=PATH)
    limiter = limits.make_limiter(config.storage)
    blueprint.record_once(lambda state: limiter.init_app(state.app))
    municipality_codes = set(services.areas.municipalities)
    shell_parts: dict[tuple, Markup | str] = {}

    def render(template: str, status: int, **context) -> flask.Response:
        """``web.render`` with the shell's footer and (for anonymous visitors) header made once per
        language and link, not on every page.

        Why: the shell's credit line asks every plugin for its sources and its header converts the Dash
        shell to HTML, together about 30 ms of CPU per page (measured), more than the rest of an answer;
        under a load of answers that decides the throughput. Neither changes while the app runs for an
        anonymous visitor: the enabled sources and the navigation are fixed at start-up. Only links of the
        form's own few shapes (``lang`` and ``kunta`` of the province) are kept, so the cache stays small."""
        lang = web.request_lang()
        footer_key = ("footer", lang)
        if footer_key not in shell_parts:
            from perhekeskus.dashboard.attribution import credits_line

            shell_parts[footer_key] = credits_line(Translator(lang))
        footer = shell_parts[footer_key]
        extra: dict[str, Any] = {"source_credits": lambda: footer}
        args = flask.request.args
        cacheable = set(args) <= {"lang", "kunta"} and args.get("kunta", "") in municipality_codes | {
            "",
            OTHER,
        }
        if cacheable and web.current_user(_access()) is None:
            header_key = ("header", lang, flask.request.full_path)
            if header_key not in shell_parts:
                shell_parts[header_key] = web.site_header(Translator(lang))
            header = shell_parts[header_key]
            extra["site_header"] = lambda: header
        return web.render(template, status, **extra, **context)

    def tokens() -> csrf.FormTokens:
        return csrf.FormTokens(_access().sessions.key)

    def rate_key() -> str:
        return limits.client_key(flask.request.remote_addr, _access().sessions.key)

    def page_token() -> str:
        """The token of the page being rendered: the client's own while it is fresh (so two open tabs
        both stay sendable), else a new one; its cookie is set on the answer."""
        current = flask.request.cookies.get(csrf.COOKIE)
        checker = tokens()
        fresh = checker.check(current, current)
        if fresh.ok and _age(current) < checker.lifetime / 2:
            flask.g.feedback_csrf_token = current
            return current
        token = checker.issue()
        flask.g.feedback_csrf_token = token
        flask.g.feedback_csrf_new = True
        return token

    def with_cookie(response: flask.Response) -> flask.Response:
        if flask.g.get("feedback_csrf_new"):
            response.set_cookie(
                csrf.COOKIE,
                flask.g.feedback_csrf_token,
                max_age=csrf.LIFETIME,
                httponly=True,
                samesite="Strict",
                secure=_access().sessions.policy.secure_cookies,
                path=PATH,
            )
        return response

    def form_page(
        _: Translator,
        sent: Submission,
        status: int = 200,
        notice: str = "",
    ) -> flask.Response:
        lang = _.lang
        return with_cookie(
            render(
                "feedback_form/form.html",
                status,
                sent=sent,
                notice=notice,
                token=page_token(),
                action=f"{PATH}?lang={lang}",
                municipalities=_municipalities(services, lang),
                other=OTHER,
                tasks=_tasks(lang),
                ratings=[(str(k), word(RATINGS, k, lang)) for k in sorted(RATINGS)],
                age_groups=[(k, word(AGE_GROUPS, k, lang)) for k in AGE_GROUPS],
                honeypot=HONEYPOT,
                text_limit=_.number(limits.TEXT_LIMIT, 0),
            )
        )

    def message(_: Translator, status: int, title: str, text: str, municipality: str = "") -> flask.Response:
        back = f"{PATH}?lang={_.lang}" + (f"&kunta={municipality}" if municipality else "")
        response = render(
            "feedback_form/message.html",
            status,
            title=title,
            text=text,
            back=back,
            back_text=_("Back to the feedback form"),
        )
        return response

    def too_many(_request_limit) -> flask.Response:
        _ = _translator()
        response = message(
            _,
            429,
            _("Too many answers"),
            _(
                "Many answers have come from your connection in a short time. Please wait a moment and send again."
            ),
        )
        response.headers["Retry-After"] = "60"
        return response

    def thanks(_: Translator, sent: Submission, stored: store.Answer | None, removed: int) -> flask.Response:
        lang = _.lang
        shown = stored or store.Answer(
            sent.municipality,
            sent.task or None,
            sent.rating_value,
            sent.good_text,
            sent.change_text,
            sent.age_group or None,
            lang,
            removed,
        )
        names = dict(_municipalities(services, lang))
        return render(
            "feedback_form/thanks.html",
            200,
            answer=shown,
            municipality_name=names.get(shown.municipality, _("Another municipality")),
            task_name=dict(_tasks(lang)).get(shown.task or "", ""),
            rating_word=word(RATINGS, shown.rating, lang) if shown.rating else "",
            age_word=word(AGE_GROUPS, shown.age_group, lang) if shown.age_group else "",
            removed=removed,
            again=f"{PATH}?lang={lang}&kunta={shown.municipality}",
        )

    def form_view() -> flask.Response:
        _ = _translator()
        if flask.request.method == "GET":
            chosen = (flask.request.args.get("kunta") or "").strip()
            preset = chosen if chosen in municipality_codes or chosen == OTHER else ""
            return form_page(_, Submission(municipality=preset))
        flask.request.max_content_length = limits.BODY_LIMIT
        try:
            form = flask.request.form
        except RequestEntityTooLarge:
            _drain(flask.request.environ, flask.request.content_length)
            return message(
                _,
                413,
                _("The answer was too long"),
                _(
                    "The answer was too large to receive (at most {limit} characters per text). Nothing was "
                    "saved. Please go back, shorten the text and send again.",
                    limit=_.number(limits.TEXT_LIMIT, 0),
                ),
            )
        sent = read_submission(form, municipality_codes, {c for c, _n in _tasks("fi")}, _)
        check = tokens().check(flask.request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD))
        if not check.ok:
            log.info("feedback form refused: CSRF token %s", check.reason)
            sent.errors.clear()
            return form_page(
                _,
                sent,
                400,
                notice=_(
                    "Your answer was not saved yet: the form had expired or your browser did not send its "
                    "cookie. Check your answer below and send it again."
                ),
            )
        if sent.honeypot:
            log.info("feedback form: honeypot filled, answer not stored")
            return thanks(_, sent, None, 0)
        if not sent.valid:
            return form_page(_, sent, 400)
        good = scrub.scrub(sent.good_text, _.lang)
        change = scrub.scrub(sent.change_text, _.lang)
        answer = store.Answer(
            municipality=sent.municipality,
            task=sent.task or None,
            rating=sent.rating_value,
            good_text=good.text,
            change_text=change.text,
            age_group=sent.age_group or None,
            lang=_.lang,
            scrubbed=good.removed + change.removed,
        )
        store.save_answer(services, answer)  # committed before the thank-you page exists
        return thanks(_, sent, answer, answer.scrubbed)

    if config.rate.lower() not in ("off", "0", "none"):
        form_view = limiter.limit(config.rate, key_func=rate_key, methods=["POST"], on_breach=too_many)(
            form_view
        )
    blueprint.add_url_rule("", "form", form_view, methods=["GET", "POST"])

    @blueprint.route("/qr/<code>.<kind>")
    def qr_code(code: str, kind: str) -> flask.Response:
        _ = _translator()
        if (code not in municipality_codes and code != OTHER) or kind not in ("svg", "png"):
            return message(_, 404, _("Not found"), _("There is no such municipality."))
        link = qr.form_link(config.public_base_url or flask.request.host_url, code)
        if kind == "svg":
            body, mimetype = qr.svg(link, _("QR code: {link}", link=link)), "image/svg+xml"
        else:
            body, mimetype = qr.png(link), "image/png"
        response = flask.Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'inline; filename="palaute-{code}.{kind}"'
        return response

    @blueprint.route("/tuloste")
    def poster() -> flask.Response:
        _ = _translator()
        code = (flask.request.args.get("kunta") or "").strip()
        if code and code not in municipality_codes:
            return message(_, 404, _("Not found"), _("There is no such municipality."))
        link = qr.form_link(config.public_base_url or flask.request.host_url, code or None)
        names = dict(_municipalities(services, _.lang))
        return render(
            "feedback_form/poster.html",
            200,
            link=link,
            short_link=link.split("://", 1)[-1],
            municipality_name=names.get(code, ""),
            qr_svg=Markup(qr.svg(link, _("QR code: {link}", link=link)).decode("utf-8").split("?>", 1)[-1]),
            svg_link=f"{PATH}/qr/{code}.svg" if code else "",
            png_link=f"{PATH}/qr/{code}.png" if code else "",
        )

    return blueprint


def _age(token: str | None) -> float:
    import time

    try:
        return time.time() - int((token or "").split(".")[1])
    except (IndexError, ValueError):
        return float("inf")


DRAIN_LIMIT = 4 * 1024 * 1024  # bytes of a refused body read and thrown away so the browser sees the page


def _drain(environ: dict, length: int | None) -> None:
    """Read and discard a refused body (up to :data:`DRAIN_LIMIT`).

    Why: a browser that is still uploading a pasted megabyte does not read the answer until the upload
    ends; a server that answers 413 without reading leaves it stalled for many seconds (measured: 17 s
    with Chromium) or shows a connection error instead of the page. Bigger bodies are not read: the server
    closes such a connection itself."""
    stream = environ.get("wsgi.input")
    if stream is None or (length is None and not environ.get("wsgi.input_terminated")):
        return
    remaining = min(length, DRAIN_LIMIT) if length is not None else DRAIN_LIMIT
    try:
        while remaining > 0:
            chunk = stream.read(min(64 * 1024, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
    except (OSError, ValueError):  # the client went away: nothing to answer anyway
        return
