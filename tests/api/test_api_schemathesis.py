"""Schemathesis with every check against the app's own OpenAPI document (issue 12, part 5).

Every operation gets its examples, coverage and fuzzing cases (``max_examples`` per operation,
derandomized: the same cases every run) over the tiny district on an embedded store, once with
a district token and once with a street token (street S1: its scope makes 403 and 404 paths
reachable); a stateful run follows the links schemathesis infers (a need created, then read and
worked through its lifecycle; a plan stored, read, deleted and read again) so the checks that
compare calls (``use_after_free``, ``ensure_resource_availability``) see real sequences, each
scenario over the district as loaded. The two runs over single operations share one store:
lifecycle writes change it as they go, which every check tolerates. Every
built-in check runs (the default of schemathesis 4 enables them all, asserted below): documented
statuses, content types, headers and bodies, negative data refused, positive data accepted,
auth enforced.

A check is switched off for a single operation only where it cannot hold, each with its reason
in :data:`EXCLUSIONS`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from orglink.api.app import create_app
from orglink.graph.embedded import EmbeddedStore
from tests.api_support import NOW, Borrowed, load_tiny, make_tokens

MAX_EXAMPLES = 25
SEED = 20250301

SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much, HealthCheck.data_too_large])

_FILTER = ("names a {what} by id: the schema can only say what an id looks like, not which ones the store "
           "holds, and an id the store does not hold is a 422 naming the field for a district token (403 for a "
           "scoped one), as docs/api.md promises and test_api.py checks")
EXCLUSIONS: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/communities"): _FILTER.format(what="street (?street=)"),
    ("GET", "/api/v1/grids"): _FILTER.format(what="street or community (?street=, ?community=)"),
    ("GET", "/api/v1/stations"): _FILTER.format(what="street or community (?street=, ?community=)"),
    ("GET", "/api/v1/cadres"): _FILTER.format(what="community (?community=, required)"),
    ("GET", "/api/v1/needs"): _FILTER.format(what="community (?community=)"),
    ("GET", "/api/v1/reports/pairing.xlsx"): _FILTER.format(what="street or community (?street=, ?community=)"),
    ("GET", "/api/v1/reports/pairing.html"): _FILTER.format(what="street or community (?street=, ?community=)"),
    ("POST", "/api/v1/needs"): _FILTER.format(what="community and a grid of it (body community, grid)"),
    ("POST", "/api/v1/needs/{need_id}/dispatch"): (
        "the body names a resource by id, which must exist, fit the need's category and sub-type, lie within "
        "the need's reach and not be asked for more than the need's quantity: all facts of the store, not of "
        "the schema; each refusal is a 422 naming resource_id or quantity"),
    ("POST", "/api/v1/whatif"): (
        "the scenario names units, resources and categories by id or name, which must exist in the store "
        "(a 422 naming the item otherwise)"),
    ("POST", "/api/v1/needs/{need_id}/escalate"): (
        "departments names units by id, which must be district departments in the store (422 naming the field)"),
    ("POST", "/api/v1/needs/{need_id}/answer"): (
        "unit_id is optional for a department token (its own unit) but required for a district token, and must "
        "name a district department in the store: a role- and store-dependent rule one schema cannot state "
        "(422 naming unit_id)"),
}
"""(method, path) -> why ``positive_data_acceptance`` cannot hold for that operation: a schema-valid
request may name things the store does not hold, which the API refuses with a 422 naming the
field (its documented contract). The check is switched off there only; every other check runs."""


KNOWN_PLACE = {"dictionaries": {"community": {"values": ["C1"]}, "grid": {"values": ["G1"]}},
               "parameters": {"body.community": {"dictionary": "community"}, "body.grid": {"dictionary": "grid"}}}
"""For the stateful run: a new need is raised at grid G1 of community C1 (schemathesis' own way
to supply identifiers), so ``POST /needs`` answers 201 and the links from it (read the need, work
it through its lifecycle) are followed; the other runs draw these ids freely."""


def _config(bearer: str = "", extra: dict[str, Any] | None = None) -> schemathesis.Config:
    """All checks on, deterministic generation, the ``bearer`` token for the security scheme the
    app declares (so schemathesis itself leaves it out or spoils it for its auth cases), and the
    :data:`EXCLUSIONS`."""
    operations = [{"include-method": method, "include-path": path,
                   "checks": {"positive_data_acceptance": {"enabled": False}}}
                  for (method, path) in EXCLUSIONS]
    return schemathesis.Config.from_dict({
        "seed": SEED,
        "auth": {"openapi": {"HTTPBearer": {"bearer": bearer}}},
        "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES},
        **({"operations": operations} if operations else {}),
        **(extra or {}),
    })


def test_every_builtin_check_is_enabled() -> None:
    """The runs below rely on schemathesis' default: every registered check on."""
    load_all_checks()
    config = _config().projects.default.checks_config_for()
    names = CHECKS.get_all_names()
    assert {"use_after_free", "ensure_resource_availability", "ignored_auth", "negative_data_rejection",
            "positive_data_acceptance", "response_schema_conformance"} <= set(names)
    assert [n for n in names if not config.get_by_name(name=n).enabled] == []


def test_the_document_names_every_error_a_route_may_answer(tmp_path: Path) -> None:
    """Every operation but /health documents 400, 401 (with WWW-Authenticate), 403, 413, 422 and
    503; /health, open, documents only 200 and 503; 422 is the list of issues, the rest Problem."""
    app, _, _ = _app_and_tokens(tmp_path)
    spec = app.openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if path == "/api/v1/health":
                assert codes == {"200", "503"}, (method, path, codes)
                continue
            assert {"400", "401", "403", "413", "422", "503"} <= codes, (method, path, codes)
            assert op["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True
            assert op["security"] == [{"HTTPBearer": []}]
            for code in codes - {"200", "201"}:
                ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ValidationProblem" if code == "422" else "/Problem"), (method, path, code)
    plan_id = spec["components"]["schemas"]["PlanResult"]["properties"]["plan_id"]
    assert {"type": "null"} in plan_id["anyOf"]  # POST /plans {"write": false} stores nothing: null


def _app_and_tokens(tmp_path: Path) -> tuple[Any, dict[str, str], Callable[[], None]]:
    """The app over the tiny district, its tokens, and a function putting the district back as
    loaded (the embedded store rereads its file when the file is replaced)."""
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    pristine = tmp_path / "pristine.pickle"
    shutil.copyfile(store.file, pristine)

    def reset() -> None:
        """Put the store's file back as it was after loading."""
        shutil.copyfile(pristine, tmp_path / "restore.pickle")
        os.replace(tmp_path / "restore.pickle", store.file)

    tf, tokens = make_tokens(tmp_path / "tokens.json")
    return create_app(None, tf, store_factory=lambda: Borrowed(store), clock=lambda: NOW), tokens, reset


@pytest.fixture
def district_schema(tmp_path: Path) -> Iterator[Any]:
    """The app's schema over a fresh tiny district, calls made with the district token."""
    app, tokens, _ = _app_and_tokens(tmp_path)
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(tokens["district"]))


@pytest.fixture
def street_schema(tmp_path: Path) -> Iterator[Any]:
    """The app's schema over a fresh tiny district, calls made with the street S1 token."""
    app, tokens, _ = _app_and_tokens(tmp_path)
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(tokens["street_s1"]))


district = schemathesis.pytest.from_fixture("district_schema")
street = schemathesis.pytest.from_fixture("street_schema")


@pytest.mark.slow
@district.parametrize()
@SETTINGS
def test_every_operation_with_a_district_token(case) -> None:
    """Each operation's generated cases with the district token: every check passes."""
    case.call_and_validate()


@pytest.mark.slow
@street.parametrize()
@SETTINGS
def test_every_operation_with_a_street_token(case) -> None:
    """Each operation's generated cases with the street S1 token (403 and 404 reachable)."""
    case.call_and_validate()


@pytest.mark.slow
def test_stateful_links_with_a_district_token(tmp_path: Path) -> None:
    """Scenarios of linked calls, each over the district as loaded (a scenario's writes must not
    change what the next one, or the replay of a failing one, sees)."""
    app, tokens, reset = _app_and_tokens(tmp_path)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config(tokens["district"], KNOWN_PLACE))

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            """Each scenario starts from the district as loaded."""
            reset()

    Scenario.run(settings=settings(SETTINGS, max_examples=60, stateful_step_count=8,
                                   phases=[hypothesis.Phase.generate, hypothesis.Phase.shrink]))
