"""Command line: ``python -m autograd demo`` (what ``make demo`` runs) and ``python -m autograd lecture``.

``--lang ar`` (or ``ru``, ``en``), before or after the command, chooses the
language of everything the command shows, its help included; without it,
``AUTOGRAD_LANG`` or the system locale does (see `autograd.i18n`). Bad options
are usage errors (exit status 2) naming the option, found before anything runs;
error messages are English. Ctrl-C stops either command with one line and exit
status 130.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from autograd.i18n import LANGUAGES, _, using_language


def lecture_command(hidden: str, m: int, seed: int) -> None:
    """Print every lecture derivation, engine against formula, and the L-layer slips."""
    from autograd import lecture

    comparisons = [
        lecture.seed_example(),
        lecture.logistic_regression(seed=seed),
        lecture.two_layer_one_example(hidden, seed=seed),
        lecture.two_layer(hidden, m=m, seed=seed),
        lecture.l_layer(m=m, seed=seed),
        lecture.l_layer(m=m, seed=seed, slips=lecture.SLIPS),
    ]
    print("\n\n".join(str(comparison) for comparison in comparisons))


def whole_number(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `least`, else a usage error saying so."""

    def parse(text: str) -> int:
        refusal = argparse.ArgumentTypeError(f"must be a whole number >= {least}, got {text}")
        try:
            number = int(text)
        except ValueError:
            raise refusal from None
        if number < least:
            raise refusal
        return number

    return parse


def cannot_write(folder: Path) -> str | None:
    """Why the demo could not write its files into `folder`, or None when it can (it makes the folder)."""
    if folder.exists() and not folder.is_dir():
        return f"{str(folder)!r} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"cannot write into {str(folder)!r}: {error.strerror}"
    return None


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its own word, "usage:", in the current language too."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """The group of a parser's options, titled and with its --help and --lang, in the current language."""
    group = parser.add_argument_group(_("options"))
    group.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))
    languages = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
    group.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=argparse.SUPPRESS,  # given or not, to the command or before it: read once, by _language
        help=_("the language of everything shown: {languages}; by default AUTOGRAD_LANG or the system's").format(
            languages=languages
        ),
    )
    return group


def _language(argv: Sequence[str] | None) -> str | None:
    """The language --lang asks for, wherever it stands among the arguments (None when it asks for none we speak)."""
    only_lang = argparse.ArgumentParser(add_help=False)
    only_lang.add_argument("--lang")
    asked = only_lang.parse_known_args(argv)[0].lang
    return asked if asked in LANGUAGES else None  # a wrong one is the full parser's usage error


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The command line's parser and the demo's, their help in the current language."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd",
        description=_("A scalar autograd engine for learning backpropagation."),
        formatter_class=_HelpFormatter,
        add_help=False,  # _options adds it, its help translated
    )
    _options(parser)
    commands = parser.add_subparsers(dest="command", required=True, title=_("commands"), metavar=_("command"))
    demo = commands.add_parser(
        "demo",
        help=_("the lecture checked, graphs drawn, an MLP trained (under a minute)"),
        formatter_class=_HelpFormatter,
        add_help=False,
    )
    options = _options(demo)
    # translators: how the help names the value an option takes: a folder, a number
    folder, number = _("FOLDER"), _("N")
    options.add_argument(
        "--out",
        default="autograd-demo",
        type=Path,
        metavar=folder,
        help=_("folder for the pictures (default: %(default)s)"),
    )
    options.add_argument(
        "--epochs",
        type=whole_number(1),
        default=60,
        metavar=number,
        help=_("most epochs of training (default: %(default)s)"),
    )
    lecture = commands.add_parser(
        "lecture",
        help=_("print every lecture derivation, engine against formula"),
        formatter_class=_HelpFormatter,
        add_help=False,
    )
    options = _options(lecture)
    options.add_argument("--hidden", default="tanh", choices=["tanh", "relu", "sigmoid"], help=_("hidden activation"))
    examples, seed = _("examples in the vectorised derivations"), _("seed for the random data and weights")
    options.add_argument("--m", type=whole_number(1), default=5, metavar=number, help=examples)
    options.add_argument("--seed", type=whole_number(0), default=0, metavar=number, help=seed)
    return parser, demo


def main(argv: Sequence[str] | None = None) -> None:
    language = _language(argv)
    with using_language(language) if language else nullcontext():
        parser, demo = _parsers()
        args = parser.parse_args(argv)
        if args.command == "demo" and (problem := cannot_write(args.out)):
            demo.error(f"argument --out: {problem}")
        _run(args)


def _run(args: argparse.Namespace) -> None:
    try:
        if args.command == "demo":
            from autograd.demo import run

            run(args.out, args.epochs)
        else:
            lecture_command(args.hidden, args.m, args.seed)
    except KeyboardInterrupt:
        print(_("python -m autograd: interrupted"), file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
