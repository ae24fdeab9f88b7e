"""The offline analyser's safety section: hazards, levels, overall risk with reasons, personnel, equipment."""

from __future__ import annotations

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.analysis import Safety
from cortexreel.domain.base import Setting
from cortexreel.domain.scenes import PageSpan, Scene
from cortexreel.domain.screenplay import Element


def safety(*action: str, setting: Setting = "INT", location: str = "HOUSE", time_of_day: str = "DAY") -> Safety:
    scene = Scene(id="s-0001", script_id="s", number=1, heading=f"{setting}. {location} - {time_of_day}",
                  setting=setting, location=location, time_of_day=time_of_day, pages=PageSpan(eighths=4),
                  elements=[Element(type="action", text=text) for text in action])
    return OfflineAnalyzer().analyze(scene).safety


def levels(result: Safety) -> list[tuple[str, str]]:
    return [(hazard.category, hazard.level) for hazard in result.hazards]


def test_quiet_scene_is_low_risk_with_a_reason() -> None:
    result = safety("Edward reads a book by the window.")
    assert result.risk_level == "LOW"
    assert result.hazards == []
    assert result.reasons == ["no hazard cues found in the action lines"]
    assert result.personnel == []


def test_firearm_needs_an_armourer_and_is_high() -> None:
    result = safety("Edward loads a revolver.")
    assert levels(result) == [("weapons", "HIGH")]
    assert result.hazards[0].description == "Weapons on set (treat replicas as real): handgun"
    assert "never live ammunition" in result.hazards[0].mitigation
    assert result.risk_level == "HIGH"
    assert result.personnel == ["armourer", "set medic", "safety officer"]
    assert result.required_equipment == ["replica or blank-firing firearms (no live ammunition)"]


def test_replica_and_blade_are_medium() -> None:
    result = safety("Will points a toy gun at his sister. Mom slices bread with a kitchen knife.")
    assert levels(result) == [("weapons", "MEDIUM")]
    assert result.hazards[0].description == "Weapons on set (treat replicas as real): replica firearm, knife"
    assert result.personnel == ["armourer"]


def test_he_fires_her_is_not_fire() -> None:
    assert safety("He fires her on the spot.").hazards == []


def test_fire_and_pyrotechnics() -> None:
    result = safety("The house is on fire. An explosion blows out the windows.", setting="EXT", location="HOUSE")
    assert levels(result) == [("fire", "HIGH"), ("pyrotechnics", "HIGH")]
    assert result.risk_level == "HIGH"
    assert result.personnel == ["pyrotechnician", "fire safety officer", "set medic", "safety officer"]


def test_pyrotechnics_with_stunts_is_extreme() -> None:
    result = safety("An explosion throws Edward. He is thrown through the window and falls from the balcony.")
    assert result.risk_level == "EXTREME"
    assert result.reasons[0] == "EXTREME: three or more high hazards combine (pyrotechnics, heights, stunts)"


def test_water_heights_animals_intimacy_minors_crowd_night() -> None:
    assert levels(safety("She dives into the lake and swims underwater.", setting="EXT", location="LAKE")) == [
        ("water", "HIGH"), ("stunts", "HIGH"),
    ]
    assert levels(safety("A snake coils on the rug.")) == [("animals", "HIGH")]
    assert levels(safety("A dog sleeps.")) == [("animals", "LOW")]
    assert levels(safety("They undress. Naked, they kiss.")) == [("intimacy", "HIGH")]
    assert levels(safety("YOUNG WILL (8) plays with a toy.")) == [("minors", "MEDIUM")]
    assert levels(safety("A crowd gathers.")) == [("crowd", "MEDIUM")]
    assert levels(safety("Edward waits.", setting="EXT", location="FIELD", time_of_day="NIGHT")) == [
        ("night exterior", "LOW"),
    ]


def test_personnel_follow_the_hazards() -> None:
    assert safety("A horse gallops past.", setting="EXT", location="FIELD").personnel == [
        "stunt coordinator", "stunt performers", "animal wrangler", "set medic", "safety officer",
    ]
    assert safety("They undress.").personnel == ["intimacy coordinator"]
    assert safety("YOUNG WILL (8) plays.").personnel == ["child wrangler", "studio teacher"]
    assert "marine unit / water safety" in safety("He swims in the river.", setting="EXT").personnel


def test_car_chase_is_a_high_vehicle_hazard() -> None:
    result = safety("The car speeds down the highway in a chase, swerving past a truck.",
                    setting="EXT", location="HIGHWAY", time_of_day="DAY")
    assert levels(result) == [("vehicles", "HIGH"), ("stunts", "HIGH")]
    assert result.hazards[0].description == "Vehicles in motion: car, truck (chase, precision driving)"
    assert "traffic control / road marshals" in result.personnel
    assert "road closure or private road" in result.required_equipment


def test_hazards_are_ordered_most_severe_first() -> None:
    result = safety("A dog barks at a revolver on the table.", setting="EXT", location="YARD", time_of_day="NIGHT")
    assert levels(result) == [("weapons", "HIGH"), ("animals", "LOW"), ("night exterior", "LOW")]
    assert result.reasons == [
        "HIGH: Weapons on set (treat replicas as real): handgun",
        "LOW: Animals on set: dog",
        "LOW: Night exterior: EXT. YARD - NIGHT",
    ]
