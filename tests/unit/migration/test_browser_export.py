"""Import of the browser app's export: exact scripts, scenes, field mappings and chats; idempotence; broken files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.analysis import (
    AnalyserInfo,
    Breakdown,
    CharacterAnalysis,
    Emotions,
    Hazard,
    LocationAnalysis,
    Narrative,
    Prop,
    Safety,
    SceneAnalysis,
    Technical,
)
from cortexreel.domain.scenes import PageSpan, VersionSource
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.errors import InvalidInputError
from cortexreel.migration.browser_export import plan_import, read_export, script_id_for
from cortexreel.migration.browser_import import import_browser_export
from cortexreel.migration.library import summarise
from cortexreel.services import search
from tests import migration_builders as export
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue

SHARED_SAMPLE = (
    Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "cortexreel-export"
).resolve()


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(
        settings,
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_saved_analysis_becomes_a_completed_script(services: Services) -> None:
    report = import_browser_export(services, export.export_bytes(), owner="ann")
    assert [(e.title, e.scenes, e.chat_messages, e.status) for e in report.entries] == [
        ("Night Shift", 2, 0, "imported"),
        ("Ostatni dzień lata", 3, 2, "imported"),
        ("Draft zero", 1, 0, "imported"),
    ]
    assert report.warnings == []
    scripts = {script.title: script for script in services.documents.list_scripts()}
    assert sorted(scripts) == ["Draft zero", "Night Shift", "Ostatni dzień lata"]
    lato = scripts["Ostatni dzień lata"]
    assert lato.id == script_id_for("ann", export.LATO)
    assert (lato.owner, lato.filename, lato.format, lato.page_count, lato.scene_count) == (
        "ann", "ostatni_dzien_lata.pdf", "pdf", 3, 3
    )
    assert lato.status is ScriptStatus.COMPLETED
    assert (lato.progress.stage, lato.progress.done, lato.progress.total) == ("completed", 3, 3)
    assert lato.analyser == AnalyserInfo(name="imported", version="7.0")
    assert lato.created_at == at("2025-06-30T18:22:05")
    assert lato.updated_at == at("2025-06-30T18:25:41")
    assert lato.completed_at == datetime.fromtimestamp(1751307941, UTC)
    assert lato.timings == {"total_seconds": 216.0}
    assert scripts["Draft zero"].format == "text"
    # The stored file is the history entry exactly as exported.
    with services.blobs.open(lato.blob_key) as stream:
        assert json.loads(stream.read()) == export.lato()


def test_reading_plans_every_entry_without_a_store() -> None:
    """The reading half alone: the file checked and mapped onto our models, nothing stored anywhere."""
    plan = plan_import(read_export(export.export_bytes()), "ann")
    assert plan.warnings == []
    assert [(p.old_id, p.script.id, p.script.title, len(p.scenes), len(p.versions)) for p in plan.scripts] == [
        (export.NIGHT_SHIFT, script_id_for("ann", export.NIGHT_SHIFT), "Night Shift", 2, 2),
        (export.LATO, script_id_for("ann", export.LATO), "Ostatni dzień lata", 3, 3),
        (export.DRAFT, script_id_for("ann", export.DRAFT), "Draft zero", 1, 1),
    ]
    lato = plan.scripts[1]
    assert lato.chat is not None and [m.role for m in lato.chat.messages] == ["user", "assistant"]
    assert json.loads(lato.source) == export.lato()  # what will be stored as the script's file
    assert {version.source for p in plan.scripts for version in p.versions} == {VersionSource.IMPORT}


def test_scene_fields_are_mapped_one_by_one(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    script_id = script_id_for("ann", export.LATO)
    scenes = services.documents.list_scenes(script_id)
    assert [(s.number, s.heading, s.setting, s.location, s.time_of_day) for s in scenes] == [
        (1, "WN. KUCHNIA - DZIEŃ", "INT", "KUCHNIA", "DAY"),
        (2, "ZN. JEZIORO - NOC", "EXT", "JEZIORO", "NIGHT"),
        (3, "WN./ZN. SAMOCHÓD - ŚWIT", "INT/EXT", "SAMOCHÓD", "DAWN"),  # the heading says both
    ]
    lake = scenes[1]
    assert lake.id == f"{script_id}-0002"
    assert lake.text == "ZN. JEZIORO - NOC\nOlka wypływa łódką na środek jeziora."
    assert lake.pages == PageSpan(start=2, end=2, eighths=8)
    assert (lake.version, lake.updated_by, lake.updated_at) == (1, "ann", at("2025-06-30T18:25:41"))
    assert lake.analysis == SceneAnalysis(
        technical=Technical(camera_movements=["dron — ujęcie z góry"]),
        narrative=Narrative(
            synopsis="Olka wypływa łódką na środek jeziora.",
            emotional_tone="tension",
            emotions=Emotions(tension=7, sadness=3, hope=2, anger=0, fear=6, joy=0),
        ),
        characters=[CharacterAnalysis(name="OLKA")],
        location=LocationAnalysis(setting="EXT", location="JEZIORO", time_of_day="NIGHT"),
        safety=Safety(
            risk_level="HIGH",
            reasons=["aktorka w łodzi nocą"],
            hazards=[Hazard(category="water", description="aktorka w łodzi nocą", level="HIGH",
                            mitigation="kamizelka ratunkowa")],
            required_equipment=["łódź asekuracyjna"],
            personnel=["ratownik"],
        ),
        breakdown=Breakdown(
            cast=["OLKA"], props=[Prop(name="latarka"), Prop(name="wiosło")], vehicles=["łódka"], sfx=["mgła"]
        ),
        estimated_screen_time_seconds=96,
        complexity="high",
        analyser=AnalyserInfo(name="imported", version="7.0"),
        imported={
            "id": "scene-2",
            "number": 2,
            "sceneType": "EXTERIOR",
            "dialogueCount": 2,
            "pageNumber": 2,
            "technicalRequirements": export.lato()["analysis"]["scenes"][1]["technicalRequirements"],
            "safetyConsiderations": export.lato()["analysis"]["scenes"][1]["safetyConsiderations"],
            "emotions": {"dominantEmotion": "tension", "intensity": 7},
        },
    )
    kitchen = scenes[0].analysis
    assert kitchen is not None
    assert kitchen.technical.lighting == ["ciepłe światło okienne — poranne słońce"]
    assert kitchen.safety.risk_level == "LOW"  # the old app looked and found nothing
    assert [version.model_dump(exclude={"analysis"}) for version in services.documents.list_versions(lake.id)] == [
        {
            "scene_id": lake.id,
            "script_id": script_id,
            "version": 1,
            "changes": [],
            "author": "ann",
            "source": VersionSource.IMPORT,
            "note": f"Imported from the browser app (analysis {export.LATO}, version 7.0)",
            "created_at": at("2025-06-30T18:25:41"),
        }
    ]


def test_whole_script_sections_become_rollups_and_the_rest_is_kept(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    lato = services.documents.get_script(script_id_for("ann", export.LATO))
    assert lato is not None and lato.rollups is not None
    rollups = lato.rollups
    assert [(entry.name, entry.scene_count) for entry in rollups.cast] == [("ANDRZEJ", 2), ("HALINA", 2), ("OLKA", 1)]
    assert [(risk.scene, risk.level) for risk in rollups.risk_register] == [(2, "HIGH"), (3, "MEDIUM")]
    assert [item.item for item in rollups.inventories.vehicles] == ["samochód osobowy", "łódka"]  # sorted by code point
    assert rollups.totals.scenes == 3
    imported = rollups.imported
    assert imported["id"] == export.LATO
    assert imported["characters"] == export.lato()["analysis"]["characters"]
    assert imported["locations"][0]["permitType"] == "zgoda gminy"
    assert imported["themes"] == export.lato()["analysis"]["themes"]
    assert imported["metadata"] == {"genre": "Dramat", "tone": "melancholijny", "language": "pl", "wordCount": 812,
                                    "characterCount": 3, "estimatedReadingTime": 4, "author": "—"}
    assert imported["history"] == {"analysisType": "full", "fileSize": 48211}
    assert imported["chatMessages"] == export.lato_chat()


def test_chat_messages_become_a_chat_session(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    script_id = script_id_for("ann", export.LATO)
    (session,) = services.documents.list_chats(script_id, "ann")
    assert [(m.role, m.content, m.scene_id, m.created_at) for m in session.messages] == [
        ("user", "Zmień porę dnia w scenie 2 na świt", f"{script_id}-0002", at("2025-06-30T18:30:00")),
        ("assistant", "Zaktualizowano porę dnia sceny 2 na DAWN.", f"{script_id}-0002", at("2025-06-30T18:30:02")),
    ]
    assert (session.created_at, session.updated_at) == (at("2025-06-30T18:30:00"), at("2025-06-30T18:30:02"))
    assert services.documents.list_chats(script_id_for("ann", export.NIGHT_SHIFT), "ann") == []


def test_an_old_export_missing_sections_imports_with_defaults(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    draft = services.documents.get_script(script_id_for("ann", export.DRAFT))
    assert draft is not None and draft.rollups is not None
    assert set(draft.rollups.imported) == {"id", "metadata", "history"}
    (scene,) = services.documents.list_scenes(draft.id)
    assert scene.analysis is not None
    assert scene.analysis.narrative.emotions == Emotions()
    assert scene.analysis.narrative.emotional_tone is None
    assert "emotions" not in scene.analysis.imported
    assert scene.analysis.imported["id"] == "s1"
    assert scene.analysis.breakdown.props == [Prop(name="kite")]


def test_a_minimal_entry_with_odd_values_keeps_them_verbatim(services: Services) -> None:
    odd = {"id": "x1", "analysis": {"scenes": [
        {"number": 4, "heading": "INT. BARN - NIGHT", "characters": ["ANNA", 7], "emotions": {"fear": 12},
         "complexity": "EPIC", "mystery": {"a": 1}},
        {"number": 4, "description": "Same number again."},
    ]}}
    report = import_browser_export(services, export.export_bytes(export.export([odd], {})), owner="ann")
    assert [e.status for e in report.entries] == ["imported"]
    scenes = services.documents.list_scenes(script_id_for("ann", "x1"))
    assert [(s.number, s.heading, s.setting, s.time_of_day) for s in scenes] == [
        (1, "INT. BARN - NIGHT", "INT", "NIGHT"),  # duplicate old numbers: renumbered 1..n
        (2, "SCENE 2", None, None),
    ]
    first = scenes[0].analysis
    assert first is not None
    assert first.breakdown.cast == ["ANNA", "7"]
    assert first.imported["characters"] == ["ANNA", 7]
    assert first.imported["emotions"] == {"fear": 12}
    assert first.imported["complexity"] == "EPIC" and first.complexity is None
    assert first.imported["mystery"] == {"a": 1}
    assert first.safety.risk_level is None  # never assessed


def test_importing_the_same_file_twice_changes_nothing(services: Services) -> None:
    data = export.export_bytes()
    import_browser_export(services, data, owner="ann")
    before = summarise(services.documents)
    blobs_before = dict(services.blobs.blobs)  # type: ignore[attr-defined]
    vectors_before = services.vectors.count()
    again = import_browser_export(services, data, owner="ann")
    assert [e.status for e in again.entries] == ["already imported"] * 3
    assert summarise(services.documents) == before
    assert services.blobs.blobs == blobs_before  # type: ignore[attr-defined]
    assert services.vectors.count() == vectors_before


def test_another_owner_gets_their_own_copies(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    import_browser_export(services, export.export_bytes(), owner="bob")
    assert len(services.documents.list_scripts(visible_to="bob")) == 3
    assert len(services.documents.list_scripts()) == 6


def test_the_owner_is_read_like_every_login(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner=" Ann ")
    assert len(services.documents.list_scripts(visible_to="ann")) == 3
    again = import_browser_export(services, export.export_bytes(), owner="ANN")
    assert [entry.status for entry in again.entries] == ["already imported"] * 3
    with pytest.raises(InvalidInputError, match="A login is"):
        import_browser_export(services, export.export_bytes(), owner="ann lee")


def test_a_truncated_file_is_refused_with_its_position_and_nothing_is_written(services: Services) -> None:
    data = export.truncated_bytes(5000)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(data)
    position = f"line {expected.value.lineno}, column {expected.value.colno}"
    with pytest.raises(InvalidInputError, match=position) as refused:
        import_browser_export(services, data, owner="ann")
    assert "Nothing was imported" in refused.value.message
    assert services.documents.list_scripts() == []
    assert list(services.documents.iter_cached()) == []
    assert list(services.blobs.keys()) == []
    assert services.vectors.count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe not text", "not UTF-8"),
        (b'{"state": {"darkMode": true}}', "no saved analyses"),
        (b"[1, 2]", "not a cortex-reel-analysis-store export"),
        (b'{"state": {"analysisHistory": [{"id": "a", "analysis": {"scenes": 5}}]}}', "scenes should be a list"),
    ],
)
def test_files_that_are_not_exports_are_refused(services: Services, data: bytes, words: str) -> None:
    with pytest.raises(InvalidInputError, match=words):
        import_browser_export(services, data, owner="ann")
    assert services.documents.list_scripts() == []


def test_a_dry_run_reports_and_writes_nothing(services: Services) -> None:
    report = import_browser_export(services, export.export_bytes(), owner="ann", dry_run=True)
    assert [(e.title, e.status) for e in report.entries] == [
        ("Night Shift", "would import"), ("Ostatni dzień lata", "would import"), ("Draft zero", "would import")
    ]
    assert services.documents.list_scripts() == []
    assert list(services.blobs.keys()) == []
    assert services.vectors.count() == 0


def test_an_export_quoted_as_a_json_string_is_read(services: Services) -> None:
    quoted = json.dumps(export.export_bytes().decode("utf-8")).encode("utf-8")
    report = import_browser_export(services, quoted, owner="ann", dry_run=True)
    assert len(report.entries) == 3


def test_chats_of_unknown_analyses_are_reported(services: Services) -> None:
    data = export.export([export.draft_zero()], {"analysis-gone": export.lato_chat()})
    report = import_browser_export(services, export.export_bytes(data), owner="ann")
    assert report.warnings == [
        "Chat messages of the analysis analysis-gone were not imported: the export has no such analysis."
    ]


def test_imported_scenes_are_searchable(services: Services) -> None:
    import_browser_export(services, export.export_bytes(), owner="ann")
    results = search.search(services, "ann", "Olka łódką jeziora")
    assert results[0].script_id == script_id_for("ann", export.LATO)
    assert results[0].scene_number == 2
    roof = search.search(services, "ann", "Maya ledge rooftop")
    assert (roof[0].script_title, roof[0].scene_number) == ("Night Shift", 2)
    assert search.search(services, "bob", "Olka łódką jeziora") == []


def test_the_shared_sample_imports_when_present(services: Services) -> None:
    sample = SHARED_SAMPLE / "cortex-reel-analysis-store.json"
    if not sample.is_file():
        pytest.skip(f"the shared sample export is not beside the repository ({sample})")
    report = import_browser_export(services, sample.read_bytes(), owner="ann")
    assert [(e.title, e.scenes, e.chat_messages) for e in report.entries] == [
        ("Night Shift", 2, 0), ("Ostatni dzień lata", 3, 2), ("Draft zero", 1, 0)
    ]
    truncated = (SHARED_SAMPLE / "truncated-export.json").read_bytes()
    with pytest.raises(InvalidInputError, match=r"line 1, column \d+"):
        import_browser_export(services, truncated, owner="carol")
    assert services.documents.list_scripts(visible_to="carol") == []
