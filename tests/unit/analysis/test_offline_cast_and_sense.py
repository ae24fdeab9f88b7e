"""Rules of the offline analyser found failing on real scripts, each with a sentence of the kind scripts use."""

from __future__ import annotations

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.scenes import PageSpan, Scene
from cortexreel.domain.screenplay import Element


def analyse(*action: str, speakers: tuple[str, ...] = (), script_cast: tuple[str, ...] = ()) -> SceneAnalysis:
    elements = [Element(type="action", text=text) for text in action]
    for speaker in speakers:
        elements.append(Element(type="character", text=speaker, character=speaker))
        elements.append(Element(type="dialogue", text="Right.", character=speaker))
    scene = Scene(
        id="s-0001",
        script_id="s",
        number=1,
        heading="EXT. BEACH - DAY",
        setting="EXT",
        location="BEACH",
        time_of_day="DAY",
        pages=PageSpan(eighths=4),
        elements=elements,
    )
    return OfflineAnalyzer().analyze(scene, script_cast)


def test_camera_directions_and_sounds_in_caps_are_not_cast() -> None:
    analysis = analyse(
        "We LOOK DOWN at the river. HOLD ON the water. The night is WHIRRING and BREATHING, alive.",
        "Edward moves TOWARDS CAMERA as a DRUM ROLL begins.",
    )
    assert analysis.breakdown.cast == ["EDWARD"]


def test_objects_and_animals_in_caps_are_not_cast() -> None:
    analysis = analyse("She fiddles for the GLOVE COMPARTMENT. A MASSIVE LION yawns. The GIANT FISH leaps.")
    assert analysis.breakdown.cast == []


def test_groups_in_caps_are_extras_not_cast() -> None:
    analysis = analyse("ARMED GUARDS flank the door. STILT-WALKING FIREBREATHERS pass by.")
    assert analysis.breakdown.cast == []
    assert "armed guards" in analysis.breakdown.extras or "guards" in analysis.breakdown.extras
    assert "stilt-walking firebreathers" in analysis.breakdown.extras


def test_bit_parts_and_introduced_names_are_cast() -> None:
    analysis = analyse(
        "A MAN WANDERS into frame. Edward shakes hands with his new boss, a TOUPEED MAN.",
        "ROSE, the woman Jack resuscitated, sits by the fire.",
    )
    assert set(analysis.breakdown.cast) >= {"MAN", "TOUPEED MAN", "ROSE", "EDWARD"}


def test_named_characters_shown_acting_are_present() -> None:
    analysis = analyse(
        "Shannon and Boone head toward the wrecked plane. Sayid sets up a TARP.",
        "Special Agent Holden Ford nods.",
        speakers=("HOLDEN",),
    )
    assert analysis.breakdown.cast == ["HOLDEN", "SHANNON", "BOONE", "SAYID"]


def test_a_place_or_language_is_not_a_character() -> None:
    analysis = analyse("Jin YELLS at them in Korean. The Key to the City dangles around his neck.")
    assert "KOREAN" not in analysis.breakdown.cast
    assert "CITY" not in analysis.breakdown.cast


def test_what_is_handled_is_a_prop_even_outside_the_word_lists() -> None:
    props = [
        prop.name
        for prop in analyse(
            "She takes out her manuscript. Sayid sets up a TARP.", "He checks his CELL PHONE."
        ).breakdown.props
    ]
    assert {"manuscript", "tarp"} <= set(props)
    assert "phone" in props


def test_word_sense_of_plates_letters_and_watching() -> None:
    analysis = analyse(
        "The GANG watch from the corner. License plates line the wall.",
        "The sign reads in large gold letters. Julie watches as the car leaves.",
    )
    props = [prop.name for prop in analysis.breakdown.props]
    assert "watch" not in props
    assert "plate" not in props
    assert "letter" not in props


def test_a_character_name_is_not_an_animal() -> None:
    analysis = analyse("The cast belongs to Lady Bird. They do the Duck Soup dance.")
    assert analysis.breakdown.animals == []


def test_silence_is_not_a_sound_cue_and_camera_shots_are_not_gunshots() -> None:
    analysis = analyse("Silence. VARIOUS SHOTS of the survivors scrambling.")
    assert "silence" not in analysis.breakdown.sound_cues
    assert "shot" not in analysis.breakdown.sound_cues


def test_titles_and_flying_cars_are_visual_effects() -> None:
    analysis = analyse("TITLE OVER: BIG FISH. The car lifts from the ground and flies over the trees.")
    assert {"titles", "flying"} <= set(analysis.breakdown.vfx)


def test_a_character_of_the_script_named_in_the_action_is_in_the_scene() -> None:
    script = ("WILL", "JOSEPHINE", "UNCLE VERNON", "LADY BIRD", "THE CROWD", "GOSSIP GIRL VOICE", "AMY")
    analysis = analyse(
        "Her head is propped against Will's shoulder. Josephine sleeps.",
        "Uncle Vernon picks up the letter while Lady Bird waits.",
        "The crowd applauds. Gossip Girl types.",
        script_cast=script,
    )
    assert analysis.breakdown.cast == ["WILL", "JOSEPHINE", "UNCLE VERNON", "LADY BIRD"]
    assert analysis.evidence_for("breakdown.cast", "WILL") == "Her head is propped against Will's shoulder."


def test_a_character_only_talked_about_pictured_or_written_is_not_there() -> None:
    analysis = analyse(
        "He thinks of Amy. A photo of Josephine hangs on the wall.",
        "Amy's voice on the answering machine. Will you ever learn?",
        "Jacob Billups",
        script_cast=("AMY", "JOSEPHINE", "WILL", "JACOB BILLUPS"),
    )
    assert analysis.breakdown.cast == []


def test_a_bit_part_after_adjectives_and_a_number_that_is_no_age() -> None:
    analysis = analyse(
        "Scott pleads with a resolute and snobby-looking GALLERY DIRECTOR.",
        "777 -- PASSENGER AIRLINER -- 250-Seater -- plowed into the sand.",
    )
    assert "GALLERY DIRECTOR" in analysis.breakdown.cast
    assert "PASSENGER AIRLINER" not in analysis.breakdown.cast


def test_people_in_a_picture_or_on_a_call_are_not_on_set() -> None:
    analysis = analyse(
        "He shows a school photo of the BOY. On the slide projector appears an image of CHARLES MANSON.",
        "Photos of her with Olive. He picks up his earpiece to call Samantha.",
        "Harry and Ron slide down the pipe.",
        script_cast=("OLIVE", "SAMANTHA", "HARRY", "RON"),
    )
    assert analysis.breakdown.cast == ["HARRY", "RON"]


def test_lower_case_groups_in_the_background_are_extras() -> None:
    analysis = analyse("The young women rush over. A few teachers are nuns. Kids run past.")
    assert {"young women", "teachers"} <= set(analysis.breakdown.extras)
