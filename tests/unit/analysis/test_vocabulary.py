"""The vocabulary is the analysis model's: every category, emotion and chat word names a real field."""

from __future__ import annotations

from cortexreel.chat import grammar
from cortexreel.domain.edits import editable_fields
from cortexreel.domain.rollups import Inventories
from cortexreel.domain.vocabulary import (
    BREAKDOWN_CATEGORIES,
    CATEGORIES,
    CATEGORY_WORDS,
    FIELD_WORDS,
    GROUP_SETTINGS,
    GROUP_TIMES,
    ITEM_LISTS,
    LIST_WORDS,
    group_noun,
)


def test_the_sheet_has_every_breakdown_field_once_and_inventories_are_categories() -> None:
    assert sorted(category.key for category in CATEGORIES) == sorted(BREAKDOWN_CATEGORIES)
    assert set(Inventories.model_fields) <= set(BREAKDOWN_CATEGORIES)


def test_every_chat_word_names_an_editable_field_of_its_kind() -> None:
    kinds = {field.path: field.kind for field in editable_fields()}
    assert {kinds[path] for path in FIELD_WORDS.values()} <= {"text", "choice", "number"}
    assert {kinds[path] for path in (*LIST_WORDS.values(), *ITEM_LISTS)} <= {"list", "object-list"}
    assert {path for path in LIST_WORDS.values() if path.startswith("breakdown.")} == {
        category.path for category in CATEGORIES
    }
    assert set(CATEGORY_WORDS.values()) == {category.path for category in CATEGORIES}


def test_each_group_word_reaches_the_grammar_in_edits_and_questions() -> None:
    for word, setting in GROUP_SETTINGS.items():
        edit = grammar.parse(f"mark all {word} as high risk")
        assert isinstance(edit, grammar.Edit) and edit.scenes.setting == setting, word
        question = grammar.parse(f"how many {word} are there?")
        assert isinstance(question, grammar.Question) and question.scenes.setting == setting, word
    for word, time_of_day in GROUP_TIMES.items():
        edit = grammar.parse(f"mark all {word} scenes as high risk")
        assert isinstance(edit, grammar.Edit) and edit.scenes.time_of_day == time_of_day, word
        question = grammar.parse(f"ile jest scen {word}?")
        assert isinstance(question, grammar.Question) and question.scenes.time_of_day == time_of_day, word


def test_group_nouns() -> None:
    assert group_noun("EXT", "DAY", 2) == "day exteriors"
    assert group_noun("INT", None, 1) == "interior"
    assert group_noun(None, "NIGHT", 3) == "night scenes"
    assert group_noun(None, None, 0) == "scenes"
