"""The course as a static site: every notebook executed once, then Sphinx with MyST-NB.

``make site`` runs ``python -m autograd.course.site``: it executes each notebook
of ``notebooks/`` (or reuses a copy executed earlier from the same notebook and
the same package), puts the copies next to the pages of ``site/`` in
``build/site-source``, and builds ``build/site``, which reads without Python or
a network: open ``build/site/index.html``. The translated notebooks
(``notebooks/ar/``, ``notebooks/ru/``) make a site of their own in each
language, ``build/site/ar/`` and ``build/site/ru/``, with Sphinx's own words
(search, contents, next) in that language too; the English index links to them.

`execute` is shared with the tests: a copy records a fingerprint of what it was
executed from and, under pytest, the test run, and a lock per notebook lets
the notebook tests and the site test, in parallel, execute each notebook once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograd.i18n import _, using_language

ROOT = Path(__file__).resolve().parents[2]
"""The repository this package is installed from (``pip install -e``): where the notebooks and pages are."""

NOTEBOOKS = ROOT / "notebooks"
PAGES = ROOT / "site"
BUILD = ROOT / "build"
EXECUTED = BUILD / "executed"
METADATA_KEY = "autograd.course"

TRANSLATIONS = ("ar", "ru")
"""The languages the core of the course is translated into: ``notebooks/<code>/``, and ``site/index.<code>.md``."""


def notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course's notebooks in reading order: every ``.ipynb`` of the folder, by name."""
    return sorted(folder.glob("*.ipynb"))


def translated_notebooks() -> list[Path]:
    """The translated notebooks, language by language (``notebooks/ar/…``, then ``notebooks/ru/…``)."""
    return [notebook for language in TRANSLATIONS for notebook in notebooks(NOTEBOOKS / language)]


def _copy_name(notebook: Path) -> Path:
    """Where the executed copy of `notebook` goes, under the cache: ``ar/01_….ipynb`` for a translated one."""
    inside = notebook.resolve().is_relative_to(NOTEBOOKS)
    return notebook.resolve().relative_to(NOTEBOOKS) if inside else Path(notebook.name)


def fingerprint(notebook: Path) -> str:
    """A hash of the notebook and of the package it runs on: an executed copy is fresh while it matches."""
    digest = hashlib.sha256(notebook.read_bytes())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".js", ".mo"):  # the code, the player, and the translations
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def execute(notebook: Path, cache: Path = EXECUTED, run: str | None = None, timeout: int = 600) -> Path:
    """The executed copy of `notebook` in `cache`: reused when fresh, else executed top to bottom now.

    A copy is fresh when it was executed from this notebook and this package
    (and, when `run` is given, in that run: the tests pass their run's id, so
    each run executes every notebook, once). The notebook runs in a scratch
    folder, so the files it writes stay out of the repository. A notebook
    that fails leaves no copy, and its error is raised.
    """
    import nbformat
    from filelock import FileLock
    from nbclient import NotebookClient

    target = cache / _copy_name(notebook)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target.with_suffix(".lock"))):
        key = fingerprint(notebook)
        if target.exists():
            recorded = nbformat.read(target, as_version=4).metadata.get(METADATA_KEY, {})
            if recorded.get("fingerprint") == key and (run is None or recorded.get("run") == run):
                return target
        book = nbformat.read(notebook, as_version=4)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            client = NotebookClient(
                book, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": scratch}}
            )
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log; what cells print is in the outputs
        book.metadata[METADATA_KEY] = {"fingerprint": key, "run": run, "seconds": time.perf_counter() - started}
        partial = target.with_suffix(".partial")
        nbformat.write(book, partial)
        partial.replace(target)
    return target


def _words(language: str) -> dict[str, str]:
    """The site's own words in `language`: its title and who made it (Sphinx translates the rest)."""
    with using_language(language):
        return {"html_title": _("backpropagation you can watch"), "author": _("the scalar-autograd authors")}


def _build_one(language: str, source: Path, out: Path, cache: Path, run: str | None) -> None:
    """One language's site, from `source` into `out`: its index (``site/index.<code>.md``, English's
    ``index.md``) and its notebooks."""
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(PAGES, source, ignore=shutil.ignore_patterns("index.*.md"))
    if language != "en":
        shutil.copy(PAGES / f"index.{language}.md", source / "index.md")
    (source / "notebooks").mkdir()
    for notebook in notebooks(NOTEBOOKS if language == "en" else NOTEBOOKS / language):
        shutil.copy(execute(notebook, cache, run), source / "notebooks" / notebook.name)
    words = _words(language)
    settings = [f"language={language}", f"html_title={words['html_title']}", f"author={words['author']}"]
    if language != "en":
        settings.append("html_show_copyright=0")  # Sphinx writes "Copyright" in English whatever the language
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-E"]
    command += [argument for setting in settings for argument in ("-D", setting)]
    subprocess.run([*command, str(source), str(out)], check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def build(out: Path = BUILD / "site", cache: Path = EXECUTED, run: str | None = None) -> Path:
    """Build the site into `out`, and each translation's into ``out/<code>``, from executed copies of the
    notebooks; returns the English index page, which links to the others."""
    source = out.parent / f"{out.name}-source"
    _build_one("en", source, out, cache, run)
    for language in TRANSLATIONS:
        _build_one(language, source.with_name(f"{source.name}-{language}"), out / language, cache, run)
    return out / "index.html"


def main() -> None:
    """``make site``: build the site and say where it is."""
    started = time.perf_counter()
    index = build()
    print(f"The course, as a site, in {time.perf_counter() - started:.0f} s: open {index}")


if __name__ == "__main__":
    main()
