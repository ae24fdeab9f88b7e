"""The chat model is a port: with one passed to the composition root, chat goes through its tool calls, whatever the
analyser; with none, through the offline grammar."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, ToolCall

from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.scripts import Script
from cortexreel.services import chat, scenes, scripts
from tests.builders import fountain_script
from tests.fakes import (
    ToolCallingFakeChatModel,
    fake_services,
)

USER = "local"


def services_with(settings: Settings, model: ToolCallingFakeChatModel | None) -> Services:
    return fake_services(settings, chat_model=model)


@pytest.fixture
def model() -> ToolCallingFakeChatModel:
    call = ToolCall(name="update_field", args={"scenes": [2], "field": "time of day", "value": "night"}, id="c1")
    return ToolCallingFakeChatModel(responses=[AIMessage(content="", tool_calls=[call])])


def ingest(services: Services) -> Script:
    return scripts.ingest(services, fountain_script(4).encode(), "fish.fountain", owner=USER)


def test_an_injected_chat_model_turns_free_language_into_a_change_set(
    settings: Settings, model: ToolCallingFakeChatModel
) -> None:
    services = services_with(settings, model)
    assert services.settings.llm_provider == "offline"  # the analyser stays offline; chat uses the model
    script = ingest(services)
    reply = chat.send(services, USER, script.id, "the second scene should happen after dark", apply=True)
    assert [(change.scene_number, change.path, change.new) for change in reply.changes] == [
        (2, "location.time_of_day", "NIGHT")
    ]
    assert {tool["function"]["name"] for tool in model.bound_tools} >= {"update_field", "answer", "search_scenes"}
    scene = scenes.scene_by_number(services, USER, script.id, 2)
    assert scene.analysis is not None and scene.analysis.location.time_of_day == "NIGHT"


def test_without_a_chat_model_the_offline_grammar_answers(settings: Settings) -> None:
    services = services_with(settings, None)
    script = ingest(services)
    reply = chat.send(services, USER, script.id, "set time of day to night in scene 2", apply=True)
    assert [(change.scene_number, change.path) for change in reply.changes] == [(2, "location.time_of_day")]
