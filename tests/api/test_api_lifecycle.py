"""The lifecycle table and its atomic writes, below the HTTP layer.

Random sequences of actions on a fresh need must end where a plain simulation of
:data:`orglink.lifecycle.TRANSITIONS` ends, refusing exactly the illegal steps, with one audit
entry per accepted step chaining ``from`` → ``to``.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orglink import lifecycle
from orglink.graph.cypher_semantics import append_history
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.model import NEED_STATUSES
from orglink.graph.store import Conflict
from tests.api_support import NOW, load_tiny
from tests.datasets import TINY


def test_table_uses_only_model_states_and_every_open_state_can_move() -> None:
    for t in lifecycle.TRANSITIONS.values():
        assert t.target in NEED_STATUSES and set(t.sources) <= set(NEED_STATUSES)
    assert lifecycle.allowed_actions("ordered") == ["accept"]
    assert lifecycle.allowed_actions("accepted") == ["dispatch", "escalate"]
    assert lifecycle.allowed_actions("escalated") == ["dispatch", "answer", "complete"]
    assert lifecycle.allowed_actions("dispatched") == ["complete"]
    assert lifecycle.allowed_actions("done") == []


def test_append_history_puts_from_first_and_keeps_the_json_valid() -> None:
    entry = '{"action":"accept","to":"accepted"}'
    one = append_history(None, "ordered", entry)
    assert json.loads(one) == [{"from": "ordered", "action": "accept", "to": "accepted"}]
    assert append_history("[]", "ordered", entry) == one
    two = append_history(one, "accepted", '{"action":"complete","note":"引号\\"与，逗号"}')
    assert json.loads(two)[1] == {"from": "accepted", "action": "complete", "note": '引号"与，逗号'}


@pytest.mark.parametrize("text, value", [("health", "医疗健康"), ("Culture & Sport", "文化体育"),
                                         ("便民服务", "便民服务")])
def test_category_value(text: str, value: str) -> None:
    assert lifecycle.category_value(text) == value


def test_unknown_category_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="未知的类别 '篮球'，应为 场地设施/"):
        lifecycle.category_value("篮球")


@pytest.fixture(scope="module")
def roomy_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """The tiny district with R1 (医疗健康) big enough never to run out."""
    tmp = tmp_path_factory.mktemp("lifecycle")
    tables = {k: [dict(r) for r in v] for k, v in TINY.items()}
    tables["resources"][0]["capacity"] = "1000000"
    return load_tiny(EmbeddedStore(tmp / "store"), tmp, tables)  # type: ignore[return-value]


ACTIONS = st.lists(st.sampled_from(["accept", "dispatch", "escalate", "answer", "complete"]),
                   min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_random_action_sequences_follow_the_table(roomy_store: EmbeddedStore, actions: list[str]) -> None:
    s = roomy_store
    nid = lifecycle.create_need(s, title="随机", category="医疗健康", community="C1", grid="G1",
                                by="test", now=NOW)["id"]
    state, answered, accepted_steps = "ordered", False, []
    for action in actions:
        t = lifecycle.TRANSITIONS[action]
        legal = state in t.sources and not (action == "answer" and answered)
        try:
            if action == "accept":
                lifecycle.accept(s, nid, by="t", now=NOW)
            elif action == "dispatch":
                lifecycle.dispatch(s, nid, "R1", 1, by="t", now=NOW)
            elif action == "escalate":
                lifecycle.escalate(s, nid, by="t", now=NOW)
            elif action == "answer":
                lifecycle.answer(s, nid, "U1", by="t", now=NOW)
            else:
                lifecycle.complete(s, nid, "办结", by="t", now=NOW)
        except Conflict as exc:
            assert not legal, (action, state, str(exc))
            assert exc.current["status"] == state
            continue
        assert legal, (action, state)
        accepted_steps.append((action, state, t.target))
        answered = answered or action == "answer"
        state = t.target
    detail = lifecycle.need_detail(s, nid)
    assert detail["status"] == state
    assert [(h["action"], h["from"], h["to"]) for h in detail["history"][1:]] == accepted_steps
    assert detail["actions"] == lifecycle.allowed_actions(state)
    assert len(detail["dispatches"]) == sum(a == "dispatch" for a, _, _ in accepted_steps)
    assert len(detail["escalations"]) == sum(a == "escalate" for a, _, _ in accepted_steps)
