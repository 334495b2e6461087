"""What if (推演) on the hand-made district of ``test_fair_plan`` (both backends).

From that district's plan (worked out there): NT gets RT (U1's 婴幼儿托育 ×1); NB2 gets RB; NG
gets RV; NS gets 1 of 3 from RA; NK gets RK2. So:

* withdrawing U1 leaves NT unmet (nobody else offers 托育: no_resource) and changes nothing else;
* RK2's capacity set to 0 moves NK to RK1 (reassigned);
* doubling 文化体育 makes NS ask 6 against RA ×1: 3 more unmet; RA ×3 instead meets 2 more.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orglink.cli import app, import_commands
from orglink.graph.embedded import EmbeddedStore
from orglink.graph.store import Store
from orglink.matching.whatif import Scenario, what_if
from tests.api_support import load_tiny
from tests.datasets import graph_digest
from tests.matching.test_fair_plan import FAIR

import_commands()


@pytest.fixture
def fair(store: Store, tmp_path: Path) -> Store:
    """The district of test_fair_plan, on each backend."""
    return load_tiny(store, tmp_path, FAIR)


def test_withdrawing_a_unit_leaves_its_need_unmet_and_writes_nothing(fair: Store) -> None:
    before = graph_digest(fair)
    r = what_if(fair, Scenario(withdraw=["U1"]))
    assert [(u.need_id, u.quantity, u.reason_code) for u in r.newly_unmet] == [("NT", 1, "no_resource")]
    assert r.newly_met == [] and r.reassigned == []
    cat = {t.key: t for t in r.by_category}
    assert (cat["养老托幼"].met_before, cat["养老托幼"].met_after) == (2, 1)
    assert graph_digest(fair) == before


def test_a_capacity_change_reassigns_and_a_surge_adds_demand(fair: Store) -> None:
    r = what_if(fair, Scenario(capacity={"RK2": 0}))
    assert [(x.need_id, x.before, x.after) for x in r.reassigned] == [("NK", ["RK2"], ["RK1"])]
    assert r.newly_unmet == []
    r = what_if(fair, Scenario(surge={"文化体育": 2}))
    assert [(u.need_id, u.quantity, u.reason_code) for u in r.newly_unmet] == [("NS", 3, "shortage")]
    cat = {t.key: t for t in r.by_category}
    assert (cat["文化体育"].asked_before, cat["文化体育"].asked_after, cat["文化体育"].met_after) == (3, 6, 1)
    r = what_if(fair, Scenario(capacity={"RA": 3}))
    assert r.newly_unmet == [] and {t.key: t for t in r.by_category}["文化体育"].met_after == 3


@pytest.mark.parametrize("scenario, message", [
    (Scenario(withdraw=["U999"]), "单位不存在"), (Scenario(capacity={"R999": 1}), "资源不存在"),
    # the model refuses these already; the library checks them too (model_construct skips the model)
    (Scenario.model_construct(withdraw=[], capacity={"RA": -1}, surge={}), "不小于 0"),
    (Scenario(surge={"太空": 2}), "未知的类别"),
    (Scenario.model_construct(withdraw=[], capacity={}, surge={"文化体育": 0}), "大于 0"),
])
def test_bad_scenarios_are_refused_in_chinese(fair: Store, scenario: Scenario, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        what_if(fair, scenario)


def test_whatif_cli(tmp_path: Path) -> None:
    store = load_tiny(EmbeddedStore(tmp_path / "store"), tmp_path, FAIR)
    res = CliRunner().invoke(app, ["whatif", "--withdraw", "U1", "--json", "--store", str(store.path)])
    assert res.exit_code == 0, res.output
    assert '"NT"' in res.output and '"no_resource"' in res.output
    res = CliRunner().invoke(app, ["whatif", "--capacity", "RA", "--store", str(store.path)])
    assert res.exit_code != 0 and "名称=数值" in res.output
    res = CliRunner().invoke(app, ["whatif", "--withdraw", "U999", "--store", str(store.path)])
    assert res.exit_code == 1 and "单位不存在" in res.output


def test_whatif_route_district_only(fair: Store, tmp_path: Path) -> None:
    from tests.api_support import api_over

    with api_over(fair, tmp_path) as api:
        r = api.post("/whatif", json={"withdraw": ["U1"]})
        assert r.status_code == 200, r.text
        assert [u["need_id"] for u in r.json()["newly_unmet"]] == ["NT"]
        assert api.post("/whatif", json={"capacity": {"R999": 1}}).status_code == 422
        assert api.post("/whatif", json={"capacity": {"RA": "3"}}).status_code == 422  # strict body
        assert api.post("/whatif", "street_s1", json={}).status_code == 403


def test_whatif_cli_and_api_give_the_same_json(tmp_path: Path) -> None:
    import json

    from tests.api_support import api_over

    store = load_tiny(EmbeddedStore(tmp_path / "store"), tmp_path, FAIR)
    scenario = {"withdraw": ["U1"], "capacity": {"RA": 1}, "surge": {"文化体育": 2.0}}
    res = CliRunner().invoke(app, ["whatif", "--withdraw", "U1", "--capacity", "RA=1", "--surge", "文化体育=2",
                                   "--json", "--store", str(store.path)])
    assert res.exit_code == 0, res.output
    with api_over(store, tmp_path) as api:
        r = api.post("/whatif", json=scenario)
    assert r.status_code == 200, r.text
    cli = json.loads(res.output)
    assert cli == r.json()
    assert cli["newly_unmet"] and cli["newly_unmet"][0]["title"]
