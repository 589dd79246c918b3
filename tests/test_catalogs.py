"""The translations: every text the code marks is translated in every language, none fuzzy, and compiled as written."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from autograd.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).parent.parent
TRANSLATED = [code for code in LANGUAGES if code != "en"]  # English is the code's own language
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "lazy_ngettext": (1, 2)}  # as `make catalogs` extracts
PLURAL_FORMS = {"ar": 6, "ru": 3}
COUNTS = range(0, 250)  # every plural form of both languages, and then some


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]  # not the header


def msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def compiled(catalog: Catalog) -> gettext.GNUTranslations:
    """`catalog` compiled the way the build hook compiles it, read back the way autograd reads it."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def lookups(translations: gettext.NullTranslations, catalog: Catalog) -> dict[tuple[str, int], str]:
    """What `translations` gives for every message of `catalog`, every plural one at every count in COUNTS."""
    found = {}
    for message in messages(catalog):
        if isinstance(message.id, tuple):
            for n in COUNTS:
                found[message.id[0], n] = translations.ngettext(message.id[0], message.id[1], n)
        else:
            found[message.id, -1] = translations.gettext(message.id)
    return found


def placeholders(text: str) -> set[str]:
    """The names a text is formatted with: {name}, {name:g}, %(name)s."""
    return set(re.findall(r"\{(\w+)(?::[^}]*)?\}", text)) | set(re.findall(r"%\((\w+)\)", text))


def test_every_language_but_english_has_a_catalog_with_its_plural_forms() -> None:
    assert sorted(path.name for path in LOCALE_DIR.iterdir() if path.is_dir()) == sorted(TRANSLATED)
    for language in TRANSLATED:
        assert catalog(po_path(language), language).num_plurals == PLURAL_FORMS[language]


def test_every_text_the_code_marks_is_in_the_template_and_every_catalog_and_nothing_else() -> None:
    marked = {
        text if isinstance(text, str) else text[0]
        for _, _, text, _, _ in extract_from_dir(ROOT / "autograd", keywords=KEYWORDS)
    }
    assert marked, "nothing extracted"
    hint = "run `make catalogs`, then translate what is new"
    template = {msgid(message) for message in messages(catalog(LOCALE_DIR / f"{DOMAIN}.pot"))}
    assert template == marked, hint
    for language in TRANSLATED:
        assert {msgid(message) for message in messages(catalog(po_path(language), language))} == marked, hint


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_entry_is_untranslated_or_fuzzy(language: str) -> None:
    entries = catalog(po_path(language), language)
    assert not entries.fuzzy, "the catalog's header is marked fuzzy"
    for message in messages(entries):
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(forms) == (entries.num_plurals if isinstance(message.id, tuple) else 1), msgid(message)
        assert all(form.strip() for form in forms), f"untranslated in {language}: {msgid(message)!r}"
        assert not message.fuzzy, f"fuzzy in {language}: {msgid(message)!r}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_format(language: str) -> None:
    for message in messages(catalog(po_path(language), language)):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = set().union(*map(placeholders, ids))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if isinstance(message.id, tuple):  # a form may leave out its count ("one box"), nothing else
                assert placeholders(form) <= names, f"{language}: {form!r} has names {msgid(message)!r} has not"
            else:
                assert placeholders(form) == names, f"{language}: {form!r} does not keep {sorted(names)}"
            if "{" in ids[0]:
                form.format(**dict.fromkeys(names, 1.0))  # raises on a broken brace


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file(language: str) -> None:
    entries = catalog(po_path(language), language)
    installed = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    assert lookups(installed, entries) == lookups(compiled(entries), entries), (
        f"{language}/LC_MESSAGES/{DOMAIN}.mo is not its .po compiled: `make` (or pip install -e .) compiles it"
    )


def build(target: str, source: Path, into: Path) -> Path:
    """Build `target` ('sdist' or 'wheel') of the project in `source` into the folder `into`; return the file."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", target, "--directory", str(into)],
        cwd=source, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (built,) = into.glob("*.tar.gz" if target == "sdist" else "*.whl")
    return built


def test_a_wheel_built_from_the_sdist_carries_the_catalogs_compiled_and_not_their_sources(tmp_path: Path) -> None:
    sdist = build("sdist", ROOT, tmp_path / "sdist")  # as pip builds from PyPI, and away from this tree's .mo files
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "source", filter="data")
    (source,) = (tmp_path / "source").iterdir()
    assert not list(source.rglob("*.mo")), "compiled catalogs in the sdist: it should carry the .po files alone"
    wheel = build("wheel", source, tmp_path / "wheel")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert not [name for name in names if name.endswith((".po", ".pot"))]
        for language in TRANSLATED:
            entries = catalog(po_path(language), language)
            mo = archive.read(f"autograd/locale/{language}/LC_MESSAGES/{DOMAIN}.mo")
            assert lookups(gettext.GNUTranslations(io.BytesIO(mo)), entries) == lookups(compiled(entries), entries)
