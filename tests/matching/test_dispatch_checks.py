"""派单 checks fit, reach and quantity (issue 11, step 3), on both backends: a resource of
another sub-type is refused (422), one beyond the need's reach is refused (409) unless a
district planner gives a reason (recorded), and a dispatch never exceeds what the need asks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from orglink import lifecycle
from orglink.clock import CHINA_TZ
from orglink.graph.store import Conflict, Store
from orglink.lifecycle import InputError
from orglink.loaders.build import load_dataset
from tests.datasets import write_tiny

NOW = dt.datetime(2024, 6, 10, 9, 30, tzinfo=CHINA_TZ)


@pytest.fixture
def tiny(store: Store, tmp_path: Path) -> Store:
    """The tiny district: N1 老人体检 (健康体检, 4, grid G1 of 春晖社区) is accepted."""
    load_dataset(write_tiny(tmp_path / "tiny"), store)
    lifecycle.accept(store, "N1", by="网格员", now=NOW)
    return store


def test_a_resource_of_another_sub_type_is_refused(tiny: Store) -> None:
    with pytest.raises(InputError, match="子类为「健康讲座」，与需求的子类「健康体检」不符") as exc:
        lifecycle.dispatch(tiny, "N1", "R4", 3, by="社区书记", now=NOW)  # R4 健康讲座
    assert exc.value.field == "resource_id"


def test_a_dispatch_never_exceeds_what_the_need_asks(tiny: Store) -> None:
    with pytest.raises(InputError, match="派单数量 5 超过需求 N1 的数量 4"):
        lifecycle.dispatch(tiny, "N1", "R1", 5, by="社区书记", now=NOW)
    done = lifecycle.dispatch(tiny, "N1", "R1", by="社区书记", now=NOW)  # the need's 4
    assert done["status"] == "dispatched"


def test_a_resource_beyond_the_reach_needs_a_recorded_reason(tiny: Store) -> None:
    """A 法律服务 need raised in 星火社区 (street S1): 法律咨询 R2 is offered by 区司法局, which
    co-builds with 桥东社区 of the other street only."""
    need = lifecycle.create_need(tiny, title="邻里纠纷调解", category="法律服务", community="C2",
                                 by="居民", now=NOW)["id"]
    lifecycle.accept(tiny, need, by="网格员", now=NOW)
    with pytest.raises(Conflict, match=r"不在需求 .* 的服务范围内"):
        lifecycle.dispatch(tiny, need, "R2", by="社区书记", now=NOW)
    with pytest.raises(InputError, match="须写明理由"):
        lifecycle.dispatch(tiny, need, "R2", by="区委组织部", now=NOW, override="  ")
    lifecycle.dispatch(tiny, need, "R2", by="区委组织部", now=NOW, override="街道协调，司法局同意跨街道")
    last = lifecycle.need_detail(tiny, need)["history"][-1]
    assert last["action"] == "dispatch" and last["override_reason"] == "街道协调，司法局同意跨街道"


def test_a_need_ordered_through_the_lifecycle_gets_its_sub_type(tiny: Store) -> None:
    need = lifecycle.create_need(tiny, title="婴幼儿托育", category="养老托幼", community="C1",
                                 by="居民", now=NOW)["id"]
    detail = lifecycle.need_detail(tiny, need)
    assert detail["subtype"] == "婴幼儿托育" and detail["subtype_basis"].startswith("推断")


def test_a_childcare_need_never_gets_an_elderly_meals_resource(store: Store, tmp_path: Path) -> None:
    """Same category (养老托幼), the 助餐 resource nearer and larger: the plan and match still
    only use the 托育 one, and what it cannot cover stays unmet as a shortage."""
    import copy

    from orglink.matching.nearest import match_need
    from orglink.matching.plan import run_plan
    from tests.datasets import TINY

    tables = copy.deepcopy(TINY)
    tables["resources"] += [
        {"id": "R8", "unit": "U2", "title": "老年助餐", "category": "养老托幼", "capacity": "50",
         "measure": "份", "keywords": "助餐"},  # U2 co-builds with 春晖社区: 1 hop from C1
        {"id": "R9", "unit": "U1", "title": "婴幼儿托育", "category": "养老托幼", "capacity": "1",
         "measure": "人", "keywords": "托育"},  # U1 through a cadre: 2 hops
    ]
    tables["needs"].append({"id": "N9", "title": "婴幼儿托育", "category": "养老托幼", "quantity": "2",
                            "raised_at": "C1", "urgency": "一般", "raised_on": "2024-06-09",
                            "status": "ordered", "scope": "社区", "handled_by": "", "report": ""})
    load_dataset(write_tiny(tmp_path / "care", tables=tables), store)
    plan = run_plan(store, write=False)
    assert [(a.need_id, a.resource_id, a.quantity) for a in plan.assignments if a.need_id == "N9"] == [("N9", "R9", 1)]
    [u] = [u for u in plan.unmet if u.need_id == "N9"]
    assert (u.reason_code, u.quantity, u.shortfall) == ("shortage", 1, 1)
    assert {c.resource_id for c in match_need(store, "N9", top=None).candidates} == {"R9"}
