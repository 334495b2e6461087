"""Property-based tests of the API against its own OpenAPI document (schemathesis).

Every operation gets a few generated requests with a valid district token, over the tiny
district; no response may be a server error (5xx) and documented responses must match their
schema. Bounded (``max_examples``) so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from orglink.graph.embedded import EmbeddedStore
from tests.api_support import api_over, load_tiny

MAX_EXAMPLES = 12


@pytest.fixture
def district_api(tmp_path: Path) -> Iterator:
    """The API over a fresh copy of the tiny district, with its tokens."""
    store = EmbeddedStore(tmp_path / "store")
    load_tiny(store, tmp_path)
    with api_over(store, tmp_path) as api:
        yield api


@pytest.fixture
def api_schema(district_api):
    """The app's own OpenAPI document, calls going straight to the ASGI app."""
    return schemathesis.openapi.from_asgi("/openapi.json", district_api.client.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@pytest.mark.slow
def test_no_server_errors(case, district_api) -> None:
    response = case.call_and_validate(headers=district_api.h("district"),
                                      checks=[not_a_server_error, response_schema_conformance])
    assert response.status_code < 500
