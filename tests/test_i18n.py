"""autograd.i18n: which language is spoken, and texts in it from the moment it is chosen."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

import autograd
from autograd.__main__ import main
from autograd.explain import explain
from autograd.i18n import (
    ENVIRONMENT_VARIABLE,
    LOCALE_VARIABLES,
    _,
    current_language,
    direction,
    lazy_ngettext,
    ngettext,
    set_language,
    using_language,
)
from autograd.lecture import seed_example
from autograd.viz import _collapsed_note


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No language chosen, in the environment or by `set_language`, until the test says; then as before."""
    for variable in (ENVIRONMENT_VARIABLE, *LOCALE_VARIABLES):
        monkeypatch.delenv(variable, raising=False)
    with using_language(None):
        yield monkeypatch


def test_english_when_nothing_chooses(environment: pytest.MonkeyPatch) -> None:
    assert current_language() == "en" and direction() == "ltr"
    environment.setenv("LANG", "C.UTF-8")
    assert current_language() == "en"


def test_the_system_locale_the_environment_variable_and_set_language_each_win_over_the_last(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("LANG", "ru_RU.UTF-8")
    assert current_language() == "ru"
    environment.setenv("LC_ALL", "ar_EG.UTF-8")  # before LANG, as gettext reads them
    assert current_language() == "ar" and direction() == "rtl"
    environment.setenv("LANGUAGE", "fr:ru")  # a list: the first language we speak
    assert current_language() == "ru"
    environment.setenv(ENVIRONMENT_VARIABLE, "ar")
    assert current_language() == "ar"
    assert set_language("en") == "en" and current_language() == "en"
    assert set_language("ru-RU") == "ru"
    assert set_language(None) == "ar"  # the choice forgotten: the environment variable again


def test_a_language_we_do_not_speak_is_english_with_a_warning(environment: pytest.MonkeyPatch) -> None:
    with pytest.warns(UserWarning, match=r"autograd speaks en \(English\), ar \(العربية\), ru \(русский\), not 'fr'"):
        assert set_language("fr") == "en"
    environment.setenv(ENVIRONMENT_VARIABLE, "de")
    with pytest.warns(UserWarning, match=f"not 'de' \\(from {ENVIRONMENT_VARIABLE}\\)"):
        assert set_language(None) == "en"
    environment.setenv(ENVIRONMENT_VARIABLE, "")
    environment.setenv("LANG", "fr_FR.UTF-8")  # a system in a language we do not speak: English, quietly
    assert current_language() == "en"


def test_text_made_after_a_switch_is_in_the_new_language(environment: pytest.MonkeyPatch) -> None:
    x = autograd.Value(2.0, label="x")
    step = list((x * x).backward_steps())[2]
    comparison = seed_example()  # made in English, shown in each language in turn
    assert str(explain(step)).endswith("(was 2, now 4)")
    assert autograd.set_language("ru") == "ru"
    assert str(explain(step)).endswith("(было 2, стало 4)")
    assert str(comparison).startswith("Самый маленький пример: w = 2, x = 3")
    autograd.set_language("ar")
    assert str(explain(step)).endswith("(كان 2، وصار 4)")
    assert str(comparison).startswith("أصغر مثال: w = 2، x = 3")
    autograd.set_language("en")
    assert str(comparison).startswith("The smallest example: w = 2, x = 3")


def test_using_language_restores_the_choice_before_it(environment: pytest.MonkeyPatch) -> None:
    set_language("ru")
    with using_language("ar"):
        assert _("next") == "التالية"
    assert _("next") == "вперёд"


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        # Russian: one (1, 21), few (2–4, 22), many (0, 5–20, 111)
        ("ru", {1: "такой блок", 21: "такой блок", 2: "таких блока", 22: "таких блока", 5: "таких блоков",
                11: "таких блоков", 111: "таких блоков", 0: "таких блоков"}),
        # Arabic: zero, one, two, few (3–10), many (11–99), other (100–102, …)
        ("ar", {0: "أي صندوق", 1: "صندوق واحد", 2: "صندوقان", 3: "صناديق", 10: "صناديق", 11: "صندوقًا",
                99: "صندوقًا", 100: "صندوق كهذا", 102: "صندوق كهذا", 103: "صناديق"}),
    ],
)  # fmt: skip
def test_plural_forms_follow_each_languages_rules(language: str, forms: dict[int, str]) -> None:
    with using_language(language):
        for count, words in forms.items():
            text = ngettext("That makes {boxes} such box.", "That makes {boxes} such boxes.", count)
            assert words in text.format(boxes=count), (count, text)
        note = _collapsed_note(201, 200, 33, "layer0.neuron0")
        assert "201" in note and "33" in note and "layer0.neuron0" in note


def test_a_lazy_message_picks_its_plural_form_when_shown() -> None:
    message = lazy_ngettext("vectorised over m = {m} example", "vectorised over m = {m} examples", 5, m=5)
    with using_language("en"):
        assert str(message) == "vectorised over m = 5 examples"
    with using_language("ru"):
        assert str(message) == "векторизованная по m = 5 примерам"


# ---- the command line ------------------------------------------------------------------------


def test_lang_chooses_the_language_before_or_after_the_command_and_only_for_that_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["lecture", "--lang", "ru", "--m", "2"])
    printed = capsys.readouterr().out
    assert printed.startswith("Самый маленький пример") and "движок воспроизводит лекцию" in printed
    assert "the engine" not in printed
    main(["--lang=ar", "lecture"])
    assert "المحرك يعيد نتائج المحاضرة كما هي" in capsys.readouterr().out
    assert current_language() == "en"  # as before main()


def test_help_is_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["demo", "--help", "--lang", "ar"])
    printed = capsys.readouterr().out
    assert printed.startswith("الاستخدام: python -m autograd demo")
    assert "مجلد الصور (الافتراضي: autograd-demo)" in printed and "--out مجلد" in printed
    assert "folder" not in printed and "usage" not in printed and "show this help" not in printed


def test_an_unknown_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["lecture", "--lang", "fr"])
    assert exit.value.code == 2
    assert "argument --lang: invalid choice: 'fr'" in capsys.readouterr().err


def test_the_environment_variable_chooses_for_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "autograd", "--help"],
        capture_output=True, text=True, timeout=60, check=True, env={ENVIRONMENT_VARIABLE: "ru"},
    )  # fmt: skip
    assert result.stdout.startswith("использование: python -m autograd")
    assert "Скалярный движок автоматического дифференцирования" in result.stdout
