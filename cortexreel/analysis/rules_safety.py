"""Safety rules: hazards from breakdown facts, each with what triggered it, a level and a concrete mitigation;
the overall risk level with its reasons; and the people and equipment the hazards imply.

Levels follow what crews expect: anything with weapons (even replicas), pyrotechnics, fire, water, heights,
moving vehicles, animals, children, intimacy, fights, stunts or night exteriors names a responsible person.
"""

from __future__ import annotations

from dataclasses import dataclass

from cortexreel.analysis.lexicon import LARGE_CROWD_EXTRAS
from cortexreel.analysis.rules_breakdown import SceneFacts, vehicle_motion_quote
from cortexreel.analysis.rules_text import quote_of
from cortexreel.domain.analysis import Hazard, Safety
from cortexreel.domain.base import RiskLevel
from cortexreel.domain.risk import rank, risk_from_hazards

FIREARMS = frozenset({"handgun", "rifle", "shotgun", "machine gun", "flare gun", "ammunition"})
BLADES = frozenset({"knife", "dagger", "sword", "machete", "axe", "spear", "bow and arrow"})
EXPLOSIVE_WEAPONS = frozenset({"grenade", "bomb", "molotov cocktail", "cannon"})
PYRO_SFX = frozenset({"explosion", "fireworks", "bullet hits"})  # blank gunfire is the armourer's (weapons)
DANGEROUS_ANIMALS = frozenset({"snake", "shark", "bear", "wolf", "big cat", "elephant", "bull", "crocodile", "bees",
                               "spider", "bird of prey", "monkey"})
LARGE_ANIMALS = frozenset({"horse", "cow", "pig", "sheep", "goat", "donkey", "camel", "deer", "livestock", "whale"})
FIGHT_STUNTS = frozenset({"fight", "punch", "kick", "slap", "tackle", "wrestle", "struggle", "stabbing",
                          "strangling", "choke", "shove", "shot"})
VEHICLE_STUNTS = frozenset({"crash", "chase", "vehicle hit", "precision driving"})
HEIGHT_STUNTS = frozenset({"fall", "jump", "hanging", "rappel", "thrown", "dive"})
WEATHER_SFX = frozenset({"rain", "snow", "wind", "lightning", "water effects"})
NON_PHYSICAL = frozenset({"intimacy", "minors"})
AIRCRAFT = frozenset({"helicopter", "plane"})
WATERCRAFT = frozenset({"boat", "ship", "submarine"})


@dataclass(frozen=True)
class Finding:
    hazard: Hazard
    personnel: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    evidence: str = ""  # the sentence of the scene that shows the hazard


def assess_safety(facts: SceneFacts) -> tuple[Safety, dict[str, str]]:
    """The scene's safety section and each hazard's evidence by category. A hazard the scene shows no sentence for
    is not raised."""
    findings = [finding for finding in find_hazards(facts) if finding.evidence]
    findings.sort(key=lambda finding: -rank(finding.hazard.level))
    hazards = [finding.hazard for finding in findings]
    level, reasons = risk_from_hazards(hazards)
    personnel: list[str] = []
    equipment: list[str] = []
    for finding in findings:
        _extend_unique(personnel, finding.personnel)
        _extend_unique(equipment, finding.equipment)
    # Medic and safety officer answer physical danger; intimacy is the intimacy coordinator's alone.
    physical_high = [h for h in hazards if h.category not in NON_PHYSICAL and rank(h.level) >= rank("HIGH")]
    if physical_high or facts.has("stunts"):
        _extend_unique(personnel, ("set medic",))
    if physical_high:
        _extend_unique(personnel, ("safety officer",))
    safety = Safety(risk_level=level, reasons=reasons, hazards=hazards, required_equipment=equipment,
                    personnel=personnel)
    return safety, {finding.hazard.category: finding.evidence for finding in findings}


def _first_quote(facts: SceneFacts, elements: list[tuple[str, str]]) -> str:
    """The evidence of the first of `elements` (category, name) the scene has a sentence for."""
    return next((quote for category, name in elements if (quote := facts.quote(category, name))), "")


def _extend_unique(target: list[str], items: tuple[str, ...]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def _listing(items: list[str]) -> str:
    return ", ".join(items)


def find_hazards(facts: SceneFacts) -> list[Finding]:
    findings: list[Finding] = []
    for rule in (_fire, _pyrotechnics, _smoke, _water, _heights, _weapons, _vehicles, _animals, _intimacy,
                 _minors, _night_exterior, _crowd, _stunts, _weather, _glass):
        finding = rule(facts)
        if finding is not None:
            findings.append(finding)
    return findings


def _fire(facts: SceneFacts) -> Finding | None:
    sfx = facts.names("sfx")
    if "fire" in sfx:
        return Finding(
            Hazard(category="fire", level="HIGH", description="Open flame or fire effect: fire",
                   mitigation="Fire effects run by a licensed pyrotechnician (gas or gel, not free fire); fire safety "
                   "officer with extinguishers and fire blankets on set; fire-retardant treatment of set and "
                   "wardrobe near flames; fire permit checked."),
            ("pyrotechnician", "fire safety officer"), ("fire extinguishers", "fire blankets"),
            facts.quote("sfx", "fire"))
    small = [name for name in ("campfire",) if name in sfx]
    if facts.has("props", "candle") or facts.has("lighting", "candlelight"):
        small.append("candles")
    if small:
        level: RiskLevel = "MEDIUM" if "campfire" in small else "LOW"
        return Finding(
            Hazard(category="fire", level=level, description="Naked flame: " + _listing(small),
                   mitigation="Contained flame away from drapes and hair; extinguisher and fire blanket within "
                   "reach; flames out between takes."),
            ("fire safety officer",) if level == "MEDIUM" else (), ("fire extinguishers",),
            _first_quote(facts, [("sfx", "campfire"), ("props", "candle"), ("lighting", "candlelight")]))
    return None


def _pyrotechnics(facts: SceneFacts) -> Finding | None:
    triggers = [name for name in facts.names("sfx") if name in PYRO_SFX]
    triggers += [name for name in facts.names("weapons") if name in EXPLOSIVE_WEAPONS]
    if not triggers:
        return None
    equipment = ["fire extinguishers", "hearing protection"]
    if "explosion" in triggers or any(name in EXPLOSIVE_WEAPONS for name in triggers):
        equipment.append("blast shields")
    return Finding(
        Hazard(category="pyrotechnics", level="HIGH", description="Pyrotechnic effects: " + _listing(triggers),
               mitigation="Licensed pyrotechnician designs and fires every effect; exclusion zones marked and "
               "rehearsed; pyrotechnics permit and notice to neighbours and emergency services; hearing and eye "
               "protection for everyone in range."),
        ("pyrotechnician", "fire safety officer"), tuple(equipment),
        _first_quote(facts, [(category, name) for name in triggers for category in ("sfx", "weapons")]))


def _smoke(facts: SceneFacts) -> Finding | None:
    triggers = [name for name in facts.names("sfx") if name in ("smoke", "fog", "steam")]
    if not triggers:
        return None
    return Finding(
        Hazard(category="smoke", level="LOW", description="Smoke or haze: " + _listing(triggers),
               mitigation="Certified non-toxic haze fluid; ventilation between takes; asthma and allergy check "
               "for cast and crew; exits kept visible."),
        ("SFX technician",), ("haze machine", "ventilation fans"), facts.quote("sfx", triggers[0]))


def _water(facts: SceneFacts) -> Finding | None:
    triggers = list(facts.names("water"))
    triggers += [name for name in facts.names("vehicles") if name in WATERCRAFT and facts.exterior]
    if not triggers:
        return None
    deep = {"underwater", "drowning"} & set(triggers)
    level: RiskLevel
    if deep:
        level = "HIGH"
    elif set(triggers) - {"bathtub", "pool"}:
        level = "MEDIUM"
    else:
        level = "MEDIUM" if "swimming" in triggers else "LOW"
    personnel = ["marine unit / water safety"]
    equipment = ["life jackets"]
    if deep:
        personnel.append("safety divers")
        equipment.append("underwater breathing apparatus for safety divers")
    if set(triggers) & {"open water", "boat", "ship", "submarine"}:
        equipment.append("safety boat")
    return Finding(
        Hazard(category="water", level=level, description="Water work: " + _listing(triggers),
               mitigation="Water safety plan: water safety supervisor and rescue cover in the water, time limits "
               "and warm-up between takes, water temperature and quality checked, non-swimmers identified."),
        tuple(personnel), tuple(equipment),
        _first_quote(facts, [(category, name) for name in triggers for category in ("water", "vehicles")]))


def _heights(facts: SceneFacts) -> Finding | None:
    triggers = list(facts.names("heights"))
    if not triggers:
        return None
    falls = [name for name in facts.names("stunts") if name in HEIGHT_STUNTS]
    level: RiskLevel = "HIGH" if falls or set(triggers) & {"cliff", "ledge", "rooftop", "scaffolding"} else "MEDIUM"
    if triggers == ["ladder"] and not falls:
        level = "LOW"
    description = "Work at height: " + _listing(triggers)
    if falls:
        description += " with " + _listing(falls)
    personnel = ["rigging crew"] + (["stunt coordinator"] if falls else [])
    equipment = ["safety harnesses and fall arrest"] + (["air bags or crash mats"] if falls else [])
    return Finding(
        Hazard(category="heights", level=level, description=description,
               mitigation="Edge protection and rigged anchor points with fall-arrest harnesses; rigging crew "
               "installs and inspects; stunt doubles for any fall, onto air bags or crash mats."),
        tuple(personnel), tuple(equipment), facts.quote("heights", triggers[0]))


def _weapons(facts: SceneFacts) -> Finding | None:
    weapons = list(facts.names("weapons"))
    if not weapons:
        return None
    firearms = [name for name in weapons if name in FIREARMS]
    replicas = [name for name in weapons if name == "replica firearm"]
    level: RiskLevel = "HIGH" if firearms or set(weapons) & EXPLOSIVE_WEAPONS else "MEDIUM"
    equipment: list[str] = []
    if firearms or replicas:
        equipment.append("replica or blank-firing firearms (no live ammunition)")
        mitigation = ("Armourer controls every firearm, replica or blank-firing only and never live ammunition; "
                      "weapons checked and shown to the actors before each take; never pointed at anyone; eye "
                      "and hearing protection when blanks are fired.")
    else:
        mitigation = ("Armourer supplies rubber or retractable weapons and checks them before each take; every "
                      "move choreographed and rehearsed at half speed first.")
    if set(weapons) & BLADES:
        equipment.append("rubber or retractable blades")
    if "gunfire" in facts.names("sfx"):
        equipment.append("hearing protection")
    personnel = ["armourer"] + (["stunt coordinator"] if facts.has("stunts") else [])
    return Finding(
        Hazard(category="weapons", level=level,
               description="Weapons on set (treat replicas as real): " + _listing(weapons), mitigation=mitigation),
        tuple(personnel), tuple(equipment), facts.quote("weapons", weapons[0]))


def _vehicles(facts: SceneFacts) -> Finding | None:
    vehicles = [name for name in facts.names("vehicles") if name not in WATERCRAFT]
    stunts = [name for name in facts.names("stunts") if name in VEHICLE_STUNTS]
    if not vehicles and not stunts:
        return None
    motion = vehicle_motion_quote(facts)
    if not stunts and not motion:
        return None
    level: RiskLevel = "HIGH" if stunts or set(vehicles) & AIRCRAFT else "MEDIUM"
    description = "Vehicles in motion: " + _listing(vehicles or ["vehicle"])
    if stunts:
        description += " (" + _listing(stunts) + ")"
    personnel = ["stunt coordinator", "precision driver"] if stunts else ["precision driver"]
    if facts.exterior:
        personnel.append("traffic control / road marshals")
    if set(vehicles) & AIRCRAFT:
        personnel.append("aviation coordinator")
    equipment = ["road closure or private road"] if facts.exterior else []
    if facts.scene.setting in ("INT", "INT/EXT"):
        equipment.append("car rig or process trailer")
    return Finding(
        Hazard(category="vehicles", level=level, description=description,
               mitigation="Stunt coordinator plans the action with precision drivers; road closed or private with "
               "traffic control; actors drive only on a low loader or process trailer; camera positions outside "
               "the vehicle path; speeds agreed and rehearsed."),
        tuple(personnel), tuple(equipment),
        _first_quote(facts, [("stunts", name) for name in stunts]) or motion)


def _animals(facts: SceneFacts) -> Finding | None:
    animals = list(facts.names("animals"))
    if not animals:
        return None
    level: RiskLevel
    if set(animals) & DANGEROUS_ANIMALS:
        level = "HIGH"
    elif set(animals) & LARGE_ANIMALS:
        level = "MEDIUM"
    else:
        level = "LOW"
    personnel = ["animal wrangler"] + (["veterinarian on call"] if level == "HIGH" else [])
    return Finding(
        Hazard(category="animals", level=level, description="Animals on set: " + _listing(animals),
               mitigation="Licensed animal wrangler handles and rehearses the animals; quiet set, rest area and "
               "water; cast allergies checked; vet on call for large or wild animals."),
        tuple(personnel), ("animal holding area",), facts.quote("animals", animals[0]))


def _intimacy(facts: SceneFacts) -> Finding | None:
    triggers = list(facts.names("intimacy"))
    if not triggers:
        return None
    level: RiskLevel = "HIGH" if set(triggers) & {"nudity", "sex scene"} else "MEDIUM"
    return Finding(
        Hazard(category="intimacy", level=level, description="Intimacy or nudity: " + _listing(triggers),
               mitigation="Intimacy coordinator choreographs with the actors' written consent; closed set with "
               "essential crew only; modesty garments; no monitors in public view."),
        ("intimacy coordinator",), ("modesty garments",), facts.quote("intimacy", triggers[0]))


def _minors(facts: SceneFacts) -> Finding | None:
    young = [member for member in facts.cast if member.age is not None and member.age < 18]
    teens = [member for member in facts.cast if member.teen and member.age is None]
    triggers = [f"{member.name} ({member.age})" for member in young]
    triggers += [f"{member.name} (teen)" for member in teens]
    triggers += list(facts.names("minors"))
    if "children" in facts.names("extras") and "child" not in triggers:
        triggers.append("children")
    if not triggers:
        return None
    evidence = next((member.evidence for member in [*young, *teens]), "") or _first_quote(
        facts, [*(("minors", name) for name in facts.names("minors")), ("extras", "children")]
    )
    return Finding(
        Hazard(category="minors", level="MEDIUM", description="Minors on set: " + _listing(triggers),
               mitigation="Child performance licences; studio teacher and chaperone present; working hours and "
               "breaks under child labour rules; minors kept clear of every other hazard in the scene."),
        ("child wrangler", "studio teacher"), (), evidence)


def _night_exterior(facts: SceneFacts) -> Finding | None:
    if not (facts.exterior and facts.night):
        return None
    return Finding(
        Hazard(category="night exterior", level="LOW",
               description=f"Night exterior: {facts.scene.heading}".strip(),
               mitigation="Lighting towers and lit walkways; hi-vis for crew near roads; cold-weather and fatigue "
               "management; turnaround time respected."),
        (), ("lighting towers", "hi-vis vests"), quote_of(facts.heading))


def _crowd(facts: SceneFacts) -> Finding | None:
    riot = facts.names("riot")
    crowd = [name for name in facts.names("extras") if name in LARGE_CROWD_EXTRAS]
    if not riot and not crowd:
        return None
    level: RiskLevel = "HIGH" if riot else "MEDIUM"
    personnel = ["crowd marshals"] + (["security", "stunt coordinator"] if riot else [])
    return Finding(
        Hazard(category="crowd", level=level, description="Crowd scene: " + _listing([*riot, *crowd]),
               mitigation="1st AD briefs the crowd with clear start and stop cues; crowd marshals, marked exits "
               "and a headcount; water and rest breaks; background kept clear of action and vehicles."),
        tuple(personnel), ("crowd barriers",) if riot else (),
        _first_quote(facts, [*(("riot", name) for name in riot), *(("extras", name) for name in crowd)]))


def _stunts(facts: SceneFacts) -> Finding | None:
    stunts = list(facts.names("stunts"))
    if not stunts:
        return None
    level: RiskLevel = "HIGH" if set(stunts) - FIGHT_STUNTS else "MEDIUM"
    return Finding(
        Hazard(category="stunts", level=level, description="Stunts: " + _listing(stunts),
               mitigation="Stunt coordinator designs and rehearses every beat with stunt doubles where needed; "
               "pads and crash mats; no improvised contact; set medic standing by."),
        ("stunt coordinator", "stunt performers"), ("crash mats",), facts.quote("stunts", stunts[0]))


def _weather(facts: SceneFacts) -> Finding | None:
    triggers = [name for name in facts.names("sfx") if name in WEATHER_SFX]
    storms = [name for name in facts.names("weather") if name in ("storm", "lightning", "hail", "snow")]
    if facts.exterior:
        triggers += [name for name in storms if name not in triggers]
    if not triggers:
        return None
    level: RiskLevel = "MEDIUM" if set(triggers) & {"lightning", "storm", "water effects"} else "LOW"
    return Finding(
        Hazard(category="weather effects", level=level, description="Weather or weather effects: " + _listing(triggers),
               mitigation="RCD-protected electrics kept clear of water; non-slip surfaces; dry wardrobe changes "
               "and a warm-up area; effects run by the SFX crew; real storms monitored with a stop rule."),
        ("SFX technician",), ("RCD-protected electrics",),
        _first_quote(facts, [(category, name) for name in triggers for category in ("sfx", "weather")]))


def _glass(facts: SceneFacts) -> Finding | None:
    if not facts.has("sfx", "breaking glass"):
        return None
    return Finding(
        Hazard(category="breaking glass", level="MEDIUM", description="Breaking glass: breaking glass",
               mitigation="Breakaway (resin or sugar) glass only; eye protection near the break; full clean-up "
               "before the next take."),
        ("SFX technician",), ("breakaway glass",), facts.quote("sfx", "breaking glass"))
