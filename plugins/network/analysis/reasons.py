"""The words of the suggestions: sentences in the reader's language, numbers in its format, vocabulary
codes as names.

Why a small helper: the three questions must answer "in plain language, with reasons" in Finnish, Swedish
and English, and the same phrases (a count of actor types, a share of the network, a list of tasks) recur.
Every sentence is a msgid of this part's catalogs (``analysis/locale``); counts use a pair of msgids, one
for exactly one and one for any other number, which is the plural rule of all three languages.

Actor names never enter a sentence from here: the caller's ``label(actor_id)`` gives the name or the
pseudonym the reader may see (names must never reach an anonymous reader).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from perhekeskus.plugins.network.model import FREQUENCIES, word

Label = Callable[[str], str]


class Phrases:
    """Sentences of one language. ``_``: the request's translator (``perhekeskus.ui.translator(lang)``;
    any ``msgid, **values → str`` callable works, then numbers use a plain format)."""

    def __init__(
        self,
        _: Callable[..., str],
        lang: str | None = None,
        vocabulary=None,
        municipality_name: Callable[[str], str] | None = None,
    ) -> None:
        self._ = _
        self.municipality_name = municipality_name
        self.lang = lang or getattr(_, "lang", None) or "fi"
        self._vocabulary = vocabulary

    def __call__(self, msgid: str, **values: object) -> str:
        return self._(msgid, **values) if values else self._(msgid)

    @property
    def vocabulary(self):
        if self._vocabulary is None:
            from perhekeskus.vocabulary import load_vocabulary

            self._vocabulary = load_vocabulary()
        return self._vocabulary

    def number(self, value: float, decimals: int = 0) -> str:
        formatter = getattr(self._, "number", None)
        if formatter is not None:
            return formatter(value, decimals)
        return f"{value:.{decimals}f}"

    def count(self, n: int, one: str, many: str, **values: object) -> str:
        """``one`` (a msgid with ``{n}`` and any other ``values``) when n is 1, else ``many``."""
        return self(one if n == 1 else many, n=self.number(n, 0), **values)

    def percent(self, share: float) -> str:
        """A share 0–1 as a whole percentage in the language's form ("87 %" in Finnish)."""
        return self("{value}%", value=self.number(round(share * 100), 0))

    def listing(self, items: Iterable[str]) -> str:
        """Names separated by semicolons: vocabulary names often contain "and" themselves ("Support for
        parenting and couple relationships"), so "a, b and c" would be ambiguous."""
        return "; ".join(items)

    def task(self, code: str) -> str:
        return self.vocabulary.label("task", code, self.lang)

    def client_group(self, code: str) -> str:
        return self.vocabulary.label("client_group", code, self.lang)

    def actor_type(self, code: str) -> str:
        return self.vocabulary.label("actor_type", code, self.lang)

    def frequency(self, value: float) -> str:
        return word(FREQUENCIES, int(value), self.lang)

    def community(self, community_id: int) -> str:
        return self("community {number}", number=community_id)
