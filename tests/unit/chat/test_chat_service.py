"""Chat flows against fakes: proposals, applying, exact analysis and version entries, undo, history, answers."""

from __future__ import annotations

import pytest

from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.facts import day_or_night
from cortexreel.domain.scenes import Scene, VersionSource
from cortexreel.domain.scripts import Script
from cortexreel.errors import NotFoundError
from cortexreel.services import chat, scenes, scripts
from tests.builders import fountain_script
from tests.fakes import InMemoryDocumentStore, fake_services

USER = "ann"


@pytest.fixture
def script(services: Services) -> Script:
    return scripts.ingest(services, fountain_script(10).encode(), "fish.fountain", owner=USER)


def scene(services: Services, script: Script, number: int) -> Scene:
    return scenes.scene_by_number(services, USER, script.id, number)


def test_a_proposal_changes_nothing_until_applied(services: Services, script: Script) -> None:
    before = scene(services, script, 2)
    assert before.analysis is not None
    reply = chat.send(services, USER, script.id, "set the time of day of scene 2 to night")
    assert not reply.applied
    assert [(c.scene_number, c.path, c.old, c.new) for c in reply.changes] == [
        (2, "location.time_of_day", before.analysis.location.time_of_day, "NIGHT")
    ]
    assert scene(services, script, 2).version == 1

    applied = chat.apply_proposal(services, USER, reply.session_id, reply.message_index)
    assert applied.applied
    after = scene(services, script, 2)
    assert after.version == 2 and after.analysis is not None
    assert after.analysis.location.time_of_day == "NIGHT"
    entry = scenes.history(services, USER, after.id)[-1]
    assert (entry.source, entry.author, entry.note) == (
        VersionSource.CHAT,
        USER,
        "Chat: set the time of day of scene 2 to night",
    )
    assert [(c.path, c.new) for c in entry.changes] == [("location.time_of_day", "NIGHT")]
    session = chat.get_session(services, USER, reply.session_id)
    message = session.messages[reply.message_index]
    assert message.status == "applied"
    assert [(c.scene_id, c.path, c.new, c.version) for c in message.applied_changes] == [
        (after.id, "location.time_of_day", "NIGHT", 2)
    ]


def test_discard(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "scenes 1 to 3 are in the rain")
    chat.discard_proposal(services, USER, reply.session_id, reply.message_index)
    assert all(scene(services, script, n).version == 1 for n in (1, 2, 3))
    with pytest.raises(Exception, match="already applied or discarded"):
        chat.apply_proposal(services, USER, reply.session_id, reply.message_index)


def test_polish_edit_applied_at_once(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "zmień porę dnia w scenie 4 na noc", apply=True)
    assert reply.applied
    after = scene(services, script, 4)
    assert after.analysis is not None and after.analysis.location.time_of_day == "NIGHT"


def test_add_and_remove_items(services: Services, script: Script) -> None:
    chat.send(services, USER, script.id, "add a revolver to the props of scene 1", apply=True)
    first = scene(services, script, 1).analysis
    assert first is not None and "revolver" in [prop.name for prop in first.breakdown.props]

    chat.send(services, USER, script.id, "dodaj konia do zwierząt sceny 1", apply=True)
    first = scene(services, script, 1).analysis
    assert first is not None and "konia" in first.breakdown.animals

    reply = chat.send(services, USER, script.id, "remove SANDRA from scene 1", apply=True)
    assert {c.path for c in reply.changes} == {"breakdown.cast", "characters"}
    first = scene(services, script, 1).analysis
    assert first is not None
    assert "SANDRA" not in first.breakdown.cast
    assert "SANDRA" not in [character.name for character in first.characters]
    assert scene(services, script, 1).version == 4


def test_rename_across_scenes_and_group_edits(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "rename the location HIGHWAY to ROUTE 66 in every scene", apply=True)
    assert sorted({c.scene_number or 0 for c in reply.changes}) == [3, 8]
    for number in (3, 8):
        analysis = scene(services, script, number).analysis
        assert analysis is not None and analysis.location.location == "ROUTE 66"

    reply = chat.send(services, USER, script.id, "mark all night exteriors as high risk", apply=True)
    night_exteriors = {
        s.number
        for s in scenes.list_scenes(services, USER, script.id)
        if (s.setting, s.time_of_day) == ("EXT", "NIGHT")
    }
    assert night_exteriors == {3, 8}
    for number in range(1, 11):
        analysis = scene(services, script, number).analysis
        assert analysis is not None
        if number in night_exteriors:
            assert analysis.safety.risk_level == "HIGH"


def test_here_needs_a_selected_scene(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "change the emotional tone here to dread")
    assert "Which scene" in reply.reply and not reply.changes
    reply = chat.send(services, USER, script.id, "change the emotional tone here to dread", scene_number=5, apply=True)
    analysis = scene(services, script, 5).analysis
    assert analysis is not None and analysis.narrative.emotional_tone == "dread"


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("set the risk of scene 2 to scary", "not allowed"),
        ("set the time of day of scene 99 to night", "no scene 99"),
        ("remove NOBODY from scene 2", "not in scene 2"),
        ("rename the location ATLANTIS to ROME in every scene", "No scene has the location"),
        ("set the conflict of scene 2 to 15", "does not fit"),
        ("frobnicate the widgets", "did not understand"),
    ],
)
def test_invalid_requests_change_nothing(services: Services, script: Script, message: str, words: str) -> None:
    before = {s.id: (s.version, s.analysis) for s in scenes.list_scenes(services, USER, script.id)}
    reply = chat.send(services, USER, script.id, message, apply=True)
    assert words in reply.reply
    assert not reply.applied and not reply.changes
    assert {s.id: (s.version, s.analysis) for s in scenes.list_scenes(services, USER, script.id)} == before


def test_undo_restores_in_reverse_order(services: Services, script: Script) -> None:
    original = scene(services, script, 2).analysis
    assert original is not None
    chat.send(services, USER, script.id, "set the weather of scene 2 to snow", apply=True)
    chat.send(services, USER, script.id, "set the risk of scene 2 to extreme", apply=True)
    chat.send(services, USER, script.id, "set the synopsis of scene 2 to Sandra burns the letters", apply=True)

    reply = chat.send(services, USER, script.id, "undo")
    assert reply.applied and [(c.path, c.new) for c in reply.changes] == [
        ("narrative.synopsis", original.narrative.synopsis)
    ]
    reply = chat.send(services, USER, script.id, "cofnij ostatnie 2 zmiany")
    assert {c.path for c in reply.changes} == {"safety.risk_level", "location.weather"}
    restored = scene(services, script, 2)
    assert restored.analysis == original
    assert restored.version == 7
    assert "nothing to undo" in chat.send(services, USER, script.id, "undo").reply


def test_history_and_revert(services: Services, script: Script) -> None:
    chat.send(services, USER, script.id, "set the weather of scene 4 to fog", apply=True)
    reply = chat.send(services, USER, script.id, "show the history of scene 4")
    assert "v1" in reply.reply and "v2" in reply.reply and "chat by ann" in reply.reply
    reply = chat.send(services, USER, script.id, "revert scene 4 to version 1")
    assert reply.applied and "version 1" in reply.reply
    reverted = scene(services, script, 4)
    assert reverted.version == 3
    assert reverted.analysis == scenes.history(services, USER, reverted.id)[0].analysis


def test_questions_are_answered_with_scene_numbers(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "how many night exteriors are there?")
    assert reply.scene_numbers == [3, 8] and "There are 2 night exteriors" in reply.reply
    reply = chat.send(services, USER, script.id, "ile jest nocnych plenerów?")
    assert reply.scene_numbers == [3, 8]
    reply = chat.send(services, USER, script.id, "who is in the most scenes?")
    assert reply.scene_numbers and "is in the most scenes" in reply.reply
    chat.send(services, USER, script.id, "add stunt coordinator to the personnel of scene 6", apply=True)
    reply = chat.send(services, USER, script.id, "which scenes need a stunt coordinator?")
    assert 6 in reply.scene_numbers
    assert (
        reply.scene_numbers
        == chat.send(services, USER, script.id, "które sceny wymagają koordynatora kaskaderów?").scene_numbers
    )


def test_questions_naming_a_time_or_setting_use_the_analysis(services: Services, script: Script) -> None:
    listed = scenes.list_scenes(services, USER, script.id)
    nights = [s.number for s in listed if day_or_night(s.time_of_day) == "night"]
    days = [s.number for s in listed if day_or_night(s.time_of_day) == "day"]
    exteriors = [s.number for s in listed if s.setting == "EXT"]
    assert nights and days and exteriors
    for question in ("które sceny są w nocy?", "which scenes are at night?", "which night scenes are there?"):
        reply = chat.send(services, USER, script.id, question)
        assert reply.scene_numbers == nights, question
        assert "closest" not in reply.reply
    assert chat.send(services, USER, script.id, "jakie sceny są za dnia?").scene_numbers == days
    assert chat.send(services, USER, script.id, "które sceny są w plenerze?").scene_numbers == exteriors
    assert chat.send(services, USER, script.id, "which scenes are night exteriors?").scene_numbers == [3, 8]


def test_questions_outside_the_vocabulary_match_the_breakdown_then_search(services: Services, script: Script) -> None:
    chat.send(services, USER, script.id, "add stunt coordinator to the personnel of scene 6", apply=True)
    chat.send(services, USER, script.id, "add a pistol to the weapons of scene 2", apply=True)
    listed = scenes.list_scenes(services, USER, script.id)
    stunts = sorted({6} | {s.number for s in listed if s.analysis is not None and s.analysis.breakdown.stunts})
    assert len(stunts) < len(listed)
    for question in ("which scenes need a stuntman?", "które sceny wymagają kaskadera?"):
        assert chat.send(services, USER, script.id, question).scene_numbers == stunts, question
    for question in ("which scenes need an armorer?", "które sceny wymagają zbrojmistrza?"):
        assert 2 in chat.send(services, USER, script.id, question).scene_numbers, question
    # Not in any breakdown: the words of the script are searched, restricted to the scenes asked about.
    reply = chat.send(services, USER, script.id, "which scenes at night have a candle?")
    nights = [s.number for s in scenes.list_scenes(services, USER, script.id) if day_or_night(s.time_of_day) == "night"]
    candles = [s.number for s in scenes.list_scenes(services, USER, script.id) if "candle" in s.text]
    assert reply.scene_numbers and set(reply.scene_numbers) <= set(nights) & set(candles)
    assert "No scene mentions" not in reply.reply
    reply = chat.send(services, USER, script.id, "which scenes need a submarine?")
    assert reply.scene_numbers == []
    assert "Nothing in this script" in reply.reply and "submarine" in reply.reply


def test_a_conflicting_edit_is_reported_not_lost(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "set the weather of scene 2 to storm")
    target = scene(services, script, 2)
    scenes.edit_fields(services, USER, target.id, [FieldEdit("location.weather", "set", "snow")], expected_version=1)
    applied = chat.apply_proposal(services, USER, reply.session_id, reply.message_index)
    assert not applied.applied and "changed by someone else" in applied.reply
    analysis = scene(services, script, 2).analysis
    assert analysis is not None and analysis.location.weather == "snow"


class AnotherTab(InMemoryDocumentStore):
    """After every read of the watched chat session, another tab appends a message before this one writes."""

    def __init__(self) -> None:
        super().__init__()
        self.watched: str | None = None
        self.appended: list[str] = []

    def get_chat(self, session_id: str) -> ChatSession | None:
        session = super().get_chat(session_id)
        if session_id == self.watched:
            text = f"from another tab {len(self.appended) + 1}"
            self.append_chat_message(session_id, ChatMessage(role="user", content=text))
            self.appended.append(text)
        return session


def test_messages_appended_meanwhile_survive_applying_and_discarding(settings: Settings) -> None:
    documents = AnotherTab()
    services = fake_services(settings, documents=documents)
    script = scripts.ingest(services, fountain_script(4).encode(), "fish.fountain", owner=USER)
    first = chat.send(services, USER, script.id, "set the time of day of scene 2 to night")
    second = chat.send(services, USER, script.id, "scenes 3 and 4 are in the rain", session_id=first.session_id)
    documents.watched = first.session_id

    chat.apply_proposal(services, USER, first.session_id, first.message_index)
    chat.discard_proposal(services, USER, second.session_id, second.message_index)
    chat.send(services, USER, script.id, "undo", session_id=first.session_id)

    documents.watched = None
    session = chat.get_session(services, USER, first.session_id)
    contents = [message.content for message in session.messages]
    assert documents.appended and set(documents.appended) <= set(contents), contents
    assert session.messages[first.message_index].status == "undone"
    assert session.messages[second.message_index].status == "discarded"


def test_sessions_persist_per_user(services: Services, script: Script) -> None:
    first = chat.send(services, USER, script.id, "how many night exteriors are there?")
    chat.send(services, USER, script.id, "who is in the most scenes?", session_id=first.session_id)
    second = chat.send(services, USER, script.id, "undo")
    sessions = chat.list_sessions(services, USER, script.id)
    assert {s.id for s in sessions} == {first.session_id, second.session_id}
    reopened = chat.get_session(services, USER, first.session_id)
    assert [m.role for m in reopened.messages] == ["user", "assistant", "user", "assistant"]
    with pytest.raises(NotFoundError):
        chat.get_session(services, "mallory", first.session_id)
    with pytest.raises(NotFoundError):
        chat.send(services, "mallory", script.id, "undo")


def test_open_questions_search_the_script(services: Services, script: Script) -> None:
    reply = chat.send(services, USER, script.id, "where does someone wade into the cold water?")
    assert reply.reply.startswith("The closest scenes:")
    assert reply.scene_numbers
    waders = [s.number for s in scenes.list_scenes(services, USER, script.id) if "wades into the cold water" in s.text]
    assert reply.scene_numbers[0] in waders


NIGHT_VARIANTS = """Title: Nights

EXT. ROOF - NIGHT

Maya climbs onto the ledge.

EXT. STREET - NIGHT [CONTINUOUS]

Maya runs.

EXT. FIELD - NIGHT [FLASHBACK]

A younger Maya waits.

EXT. BEACH - DAY

Sun.
"""


def test_marking_night_exteriors_raises_levels_only_and_counts_every_night(services: Services) -> None:
    script = scripts.ingest(services, NIGHT_VARIANTS.encode(), "nights.fountain", owner=USER)
    roof = scene(services, script, 1)
    scenes.edit_fields(
        services, USER, roof.id, [FieldEdit("safety.risk_level", "set", "EXTREME")], expected_version=roof.version
    )
    chat.send(services, USER, script.id, "mark all night exteriors as high risk", apply=True)
    levels = {number: scene(services, script, number).analysis.safety.risk_level for number in range(1, 5)}  # type: ignore[union-attr]
    assert levels[1] == "EXTREME"  # raising never lowers
    assert levels[2] == levels[3] == "HIGH"  # NIGHT [CONTINUOUS] and NIGHT [FLASHBACK] are nights
    assert levels[4] != "HIGH"
    # Saying the level outright still sets it, lower or not.
    chat.send(services, USER, script.id, "set the risk level of scene 1 to low", apply=True)
    assert scene(services, script, 1).analysis.safety.risk_level == "LOW"  # type: ignore[union-attr]


POLISH = """PLENER. LAS - DZIEŃ

Anna biegnie przez las.

ZN. ULICA - NOC

Anna czeka.

WN. KUCHNIA - DZIEŃ

Anna gotuje.

PLENER. RZEKA - NOC

Anna płynie.

PLENER. POLE - ŚWIT

Anna patrzy.
"""


@pytest.mark.parametrize(
    ("question", "numbers", "answer"),
    [
        ("ile jest dziennych plenerów?", [1, 5], "There are 2 day exteriors: scenes 1 and 5."),
        ("ile jest plenerów za dnia?", [1, 5], "There are 2 day exteriors: scenes 1 and 5."),
        ("ile plenerów w dzień?", [1, 5], "There are 2 day exteriors: scenes 1 and 5."),
        ("how many day exteriors are there?", [1, 5], "There are 2 day exteriors: scenes 1 and 5."),
        ("ile jest nocnych plenerów?", [2, 4], "There are 2 night exteriors: scenes 2 and 4."),
        ("how many night exteriors?", [2, 4], "There are 2 night exteriors: scenes 2 and 4."),
        ("how many nighttime exteriors?", [2, 4], "There are 2 night exteriors: scenes 2 and 4."),
        ("ile scen nocnych?", [2, 4], "There are 2 night scenes: scenes 2 and 4."),
        ("ile jest scen w nocy?", [2, 4], "There are 2 night scenes: scenes 2 and 4."),
        ("ile jest wnętrz?", [3], "There is 1 interior: scene 3."),
        ("ile jest scen w plenerze?", [1, 2, 4, 5], "There are 4 exteriors: scenes 1, 2, 4 and 5."),
        ("ile jest nocnych wnętrz?", [], "There are no night interiors."),
    ],
)
def test_counting_questions_count_the_group_asked_for(
    services: Services, question: str, numbers: list[int], answer: str
) -> None:
    script = scripts.ingest(services, POLISH.encode(), "las.txt", owner=USER)
    reply = chat.send(services, USER, script.id, question)
    assert reply.scene_numbers == numbers
    assert reply.reply == answer


def test_counting_scenes_with_an_element(services: Services, script: Script) -> None:
    listed = scenes.list_scenes(services, USER, script.id)
    stunts = [s.number for s in listed if s.analysis is not None and s.analysis.breakdown.stunts]
    assert 1 < len(stunts) < len(listed)
    reply = chat.send(services, USER, script.id, "how many scenes with stunts?")
    assert reply.scene_numbers == stunts
    assert reply.reply.startswith(f"There are {len(stunts)} scenes with stunts: scenes ")
    night_stunts = [n for n in stunts if day_or_night(scene(services, script, n).time_of_day) == "night"]
    reply = chat.send(services, USER, script.id, "how many night scenes with stunts are there?")
    assert reply.scene_numbers == night_stunts
    assert reply.reply.startswith(f"There {'is' if len(night_stunts) == 1 else 'are'} {len(night_stunts)} night")
    chat.send(services, USER, script.id, "add stunt coordinator to the personnel of scene 6", apply=True)
    reply = chat.send(services, USER, script.id, "ile scen wymaga koordynatora kaskaderów?")
    assert 6 in reply.scene_numbers
    assert "wymaga" not in reply.reply and "stunt coordinator" in reply.reply
