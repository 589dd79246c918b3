"""Languages: every text a learner reads, in English, Arabic or Russian.

    >>> import autograd
    >>> autograd.set_language("ar")   # or "ru", "en"; None goes back to the default
    'ar'

The language is, first to last: the one `set_language` chose; the
``AUTOGRAD_LANG`` environment variable; the system locale (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them); English. A
language autograd does not speak falls back to English, with a warning when it
was asked for by name (an unknown ``AUTOGRAD_LANG`` or `set_language` value).

A module marks each text once, where it is written: ``_("Step {index} of
{last}")`` translates now, ``ngettext(singular, plural, n)`` picks the plural
form for ``n``, and `lazy_gettext` / `lazy_ngettext` make a `Message`, which is
translated each time it is shown (for texts kept in objects and constants).
Translations are looked up when the text is made, never at import, so switching
language changes every text made after the switch.

The catalogs are gettext's: ``autograd/locale/<language>/LC_MESSAGES/autograd.po``,
kept in the repository and compiled to ``.mo`` files when the package is built
or installed (see ``hatch_build.py``); ``make catalogs`` extracts the marked
texts from the code and merges them into every ``.po``.
"""

from __future__ import annotations

import gettext as gnu_gettext
import os
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "LANGUAGES",
    "Message",
    "Text",
    "current_language",
    "direction",
    "lazy_gettext",
    "lazy_ngettext",
    "ngettext",
    "set_language",
    "using_language",
]

LANGUAGES = {"en": "English", "ar": "العربية", "ru": "русский"}
"""The languages autograd speaks, by their codes, each named in itself."""

RIGHT_TO_LEFT = frozenset({"ar"})

ENVIRONMENT_VARIABLE = "AUTOGRAD_LANG"
"""The environment variable that chooses the language when `set_language` has not."""

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the system locale is read from, in gettext's order: the first one set decides."""

DOMAIN = "autograd"
LOCALE_DIR = Path(__file__).parent / "locale"

_chosen: str | None = None
_warned: set[tuple[str, str]] = set()


def _code(name: str) -> str:
    """A locale name as a language code: ``ar_EG.UTF-8`` and ``ar-EG`` are ``ar``; ``C`` and ``POSIX`` are ``''``."""
    code = name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return "" if code in ("c", "posix") else code


def _fall_back(asked: str, where: str) -> str:
    """English, with a warning (once for each request) that `asked` is not a language autograd speaks."""
    if (asked, where) not in _warned:
        _warned.add((asked, where))
        spoken = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
        warnings.warn(
            f"autograd speaks {spoken}, not {asked!r} (from {where}): using English.", UserWarning, stacklevel=3
        )
    return "en"


def set_language(language: str | None) -> str:
    """Speak `language` ('en', 'ar' or 'ru'; 'ar_EG' and the like too) from now on, and return it.

    None forgets the choice: the environment variable and the system locale
    decide again. A language autograd does not speak is English, with a warning.
    """
    global _chosen
    if language is None:
        _chosen = None
        return current_language()
    code = _code(language)
    _chosen = code if code in LANGUAGES else _fall_back(language, "set_language")
    return _chosen


@contextmanager
def using_language(language: str | None) -> Iterator[str]:
    """`set_language(language)` for the ``with`` block, then the choice made before it, again."""
    global _chosen
    before = _chosen
    try:
        yield set_language(language)
    finally:
        _chosen = before


def current_language() -> str:
    """The language texts are written in now: chosen, else from the environment, else English."""
    if _chosen is not None:
        return _chosen
    asked = os.environ.get(ENVIRONMENT_VARIABLE, "")
    if asked:
        code = _code(asked)
        return code if code in LANGUAGES else _fall_back(asked, ENVIRONMENT_VARIABLE)
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable, "")
        if value:  # gettext's rule: the first variable set decides, a list of languages in LANGUAGE
            return next((code for name in value.split(":") if (code := _code(name)) in LANGUAGES), "en")
    return "en"


def direction() -> str:
    """The reading direction of the current language: 'rtl' or 'ltr'."""
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


@cache
def _catalog(language: str) -> gnu_gettext.NullTranslations:
    """The compiled catalog of `language`; English, the language of the code, needs none."""
    if language == "en":
        return gnu_gettext.NullTranslations()
    try:
        return gnu_gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except FileNotFoundError:
        warnings.warn(
            f"autograd: the {LANGUAGES[language]} catalog is not compiled ({language}/LC_MESSAGES/{DOMAIN}.mo "
            f"is missing under {LOCALE_DIR}); install the package (pip install -e .) to compile it. Using English.",
            UserWarning,
            stacklevel=3,
        )
        return gnu_gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the current language."""
    return _catalog(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a text for the count `n` in the current language (Arabic has six forms, Russian three)."""
    return _catalog(current_language()).ngettext(singular, plural, n)


@dataclass(frozen=True)
class Message:
    """A text translated when it is shown, not when it is made: what `lazy_gettext` returns.

    ``str(message)`` translates it into the current language and fills in its
    `params` (a `Message` among them is translated first). `format` adds params,
    as ``str.format`` would.
    """

    text: str
    plural: str | None = None
    count: int = 1
    params: Mapping[str, Any] = field(default_factory=dict)

    def format(self, **params: Any) -> Message:
        return replace(self, params={**self.params, **params})

    def __str__(self) -> str:
        template = _(self.text) if self.plural is None else ngettext(self.text, self.plural, self.count)
        return template.format(**{key: str(v) if isinstance(v, Message) else v for key, v in self.params.items()})


Text = str | Message
"""Text a learner reads: already in a language, or a `Message` translated when shown."""


def lazy_gettext(text: str, /, **params: Any) -> Message:
    """`text` as a `Message`: translated, and filled in with `params`, each time it is shown."""
    return Message(text, params=params)


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Message:
    """The plural form for `n` of a text, as a `Message` translated each time it is shown."""
    return Message(singular, plural, n, params)
