"""Every grammar form, in English and Polish, becomes the exact intent."""

from __future__ import annotations

import pytest

from cortexreel.chat.grammar import (
    Edit,
    Intent,
    Question,
    Rename,
    Revert,
    SceneSelector,
    ShowHistory,
    Undo,
    Unknown,
    parse,
)

NIGHT_EXTERIORS = SceneSelector(setting="EXT", time_of_day="NIGHT")
PROP = {"name": "revolver", "importance": "practical"}


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        (
            "set the time of day of scene 12 to night",
            Edit("set", "location.time_of_day", "NIGHT", SceneSelector((12,))),
        ),
        ("zmień porę dnia w scenie 12 na noc", Edit("set", "location.time_of_day", "NIGHT", SceneSelector((12,)))),
        # The scenes may also come after the value, or before the field.
        ("set time of day to night in scene 2", Edit("set", "location.time_of_day", "NIGHT", SceneSelector((2,)))),
        ("set scene 2's time of day to night", Edit("set", "location.time_of_day", "NIGHT", SceneSelector((2,)))),
        ("ustaw porę dnia na noc w scenie 4", Edit("set", "location.time_of_day", "NIGHT", SceneSelector((4,)))),
        (
            "set the weather to heavy rain in scenes 1 to 3",
            Edit("set", "location.weather", "heavy rain", SceneSelector((1, 2, 3))),
        ),
        ("add a revolver to the props of scene 5", Edit("add", "breakdown.props", PROP, SceneSelector((5,)))),
        (
            "dodaj rewolwer do rekwizytów sceny 5",
            Edit("add", "breakdown.props", {"name": "rewolwer", "importance": "practical"}, SceneSelector((5,))),
        ),
        ("remove BOB from scene 3", Edit("remove", None, "BOB", SceneSelector((3,)))),
        ("usuń BOB ze sceny 3", Edit("remove", None, "BOB", SceneSelector((3,)))),
        (
            "remove the horse from the animals of scene 2",
            Edit("remove", "breakdown.animals", "horse", SceneSelector((2,))),
        ),
        (
            "rename the location DINER to JOE'S DINER in every scene",
            Rename("location", "DINER", "JOE'S DINER", SceneSelector(every=True)),
        ),
        (
            "zmień nazwę lokacji DINER na JOE'S DINER we wszystkich scenach",
            Rename("location", "DINER", "JOE'S DINER", SceneSelector(every=True)),
        ),
        ("rename the character BOB to ROBERT", Rename("character", "BOB", "ROBERT", SceneSelector(every=True))),
        ("mark all night exteriors as high risk", Edit("set", "safety.risk_level", "HIGH", NIGHT_EXTERIORS, True)),
        (
            "oznacz wszystkie nocne plenery jako wysokie ryzyko",
            Edit("set", "safety.risk_level", "HIGH", NIGHT_EXTERIORS, raise_only=True),
        ),
        ("scenes 4 to 7 are in the rain", Edit("set", "location.weather", "rain", SceneSelector((4, 5, 6, 7)))),
        ("sceny 4 do 7 są w deszczu", Edit("set", "location.weather", "rain", SceneSelector((4, 5, 6, 7)))),
        (
            "change the emotional tone here to dread",
            Edit("set", "narrative.emotional_tone", "dread", SceneSelector(here=True)),
        ),
        (
            "zmień ton emocjonalny tutaj na strach",
            Edit("set", "narrative.emotional_tone", "strach", SceneSelector(here=True)),
        ),
        (
            "set tension of scenes 1, 3 and 5 to 8",
            Edit("set", "narrative.emotions.tension", 8.0, SceneSelector((1, 3, 5))),
        ),
        ("undo", Undo(1)),
        ("cofnij", Undo(1)),
        ("undo the last 3 changes", Undo(3)),
        ("cofnij ostatnie 3 zmiany", Undo(3)),
        ("show the history of scene 4", ShowHistory(SceneSelector((4,)))),
        ("pokaż historię sceny 4", ShowHistory(SceneSelector((4,)))),
        ("revert scene 4 to version 2", Revert(4, 2)),
        ("przywróć scenę 4 do wersji 2", Revert(4, 2)),
        ("which scenes need a stunt coordinator?", Question("which", "stunt coordinator")),
        ("które sceny wymagają koordynatora kaskaderów?", Question("which", "koordynatora kaskaderów")),
        # Counts: the group is taken out of the question and what is left after "scenes with / need" is the subject.
        ("how many night exteriors are there?", Question("count", scenes=NIGHT_EXTERIORS)),
        ("ile jest dziennych plenerów?", Question("count", scenes=SceneSelector(setting="EXT", time_of_day="DAY"))),
        ("ile jest plenerów za dnia?", Question("count", scenes=SceneSelector(setting="EXT", time_of_day="DAY"))),
        ("ile scen nocnych?", Question("count", scenes=SceneSelector(time_of_day="NIGHT"))),
        ("how many scenes with stunts?", Question("count", "stunts")),
        ("ile scen wymaga koordynatora kaskaderów?", Question("count", "koordynatora kaskaderów")),
        (
            "how many scenes need a stunt coordinator at night?",
            Question("count", "stunt coordinator", scenes=SceneSelector(time_of_day="NIGHT")),
        ),
        ("who is in the most scenes?", Question("most")),
        ("kto występuje w największej liczbie scen?", Question("most")),
        (
            "what is the risk level of scene 3?",
            Question("field", field="safety.risk_level", scenes=SceneSelector((3,))),
        ),
        ("where does Edward tell the witch story?", Question("search", "where does Edward tell the witch story")),
        # Questions naming a time of day or a setting are answered from the analysis, not by similarity.
        ("które sceny są w nocy?", Question("which", scenes=SceneSelector(time_of_day="NIGHT"))),
        ("which scenes are at night?", Question("which", scenes=SceneSelector(time_of_day="NIGHT"))),
        ("które sceny dzieją się w plenerze?", Question("which", scenes=SceneSelector(setting="EXT"))),
        ("which scenes are night exteriors?", Question("which", scenes=NIGHT_EXTERIORS)),
        ("jakie sceny są za dnia?", Question("which", scenes=SceneSelector(time_of_day="DAY"))),
        ("which interior scenes are there?", Question("which", scenes=SceneSelector(setting="INT"))),
        (
            "which scenes need weapons at night?",
            Question("which", "weapons", scenes=SceneSelector(time_of_day="NIGHT")),
        ),
    ],
)
def test_grammar_forms(message: str, intent: Intent) -> None:
    assert parse(message) == intent


@pytest.mark.parametrize(
    ("message", "explanation"),
    [
        ("set the risk of scene 2 to scary", "not allowed"),
        ("set the pacing of scene 2 to sideways", "slow, moderate or fast"),
        ("set the conflict of scene 2 to lots", "not a number"),
        ("make it better", "did not understand"),
        ("", "empty"),
    ],
)
def test_invalid_or_unclear_requests_are_explained(message: str, explanation: str) -> None:
    intent = parse(message)
    assert isinstance(intent, Unknown)
    assert explanation in intent.reason
