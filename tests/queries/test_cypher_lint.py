"""Every ``.cypher`` file is linted by Neo4j's own Cypher front end.

``tools/cypher-lint/lint.mjs`` runs ``lintCypherQuery`` of ``@neo4j-cypher/language-support``
(pinned in ``tools/cypher-lint/package-lock.json``) with the schema from
:func:`orglink.graph.lint_schema.lint_schema`. The fixtures, shared with
``test_neo4j_backend.py``, live in ``tests/cypher_lint_support.py``: they install the package
with ``npm ci`` when it is missing (node and npm are part of this project's machines, so their
absence fails the run instead of skipping it), lint everything once per test run in one node
process and keep the results in a content-hash cache. Deliberately broken queries live in
``tests/fixtures/cypher/`` (never in ``orglink/queries/``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orglink.graph.lint_schema import FUNCTIONS_PATH, lint_schema
from orglink.graph.lint_schema import main as lint_schema_main
from orglink.graph.model import MODEL
from tests import cypher_lint_support
from tests.cypher_lint_support import (
    FIXTURE_FILES,
    FIXTURES,
    QUERY_FILES,
    Diagnostic,
    Lint,
    LintRun,
)

# the shared session fixtures, visible to this module's tests (their work happens once per run)
cypher_lint = cypher_lint_support.cypher_lint
cypher_lint_primed = cypher_lint_support.cypher_lint_primed
generated_statement_files = cypher_lint_support.generated_statement_files


@pytest.fixture(scope="session")
def queries_lint(cypher_lint_primed: Lint) -> LintRun:
    """One linter run over every ``orglink/queries/*.cypher`` file (served from the cache)."""
    if not QUERY_FILES:
        return LintRun(0, "", "no .cypher file in orglink/queries yet\n")
    return cypher_lint_primed(*QUERY_FILES)


# --- the project's queries ---------------------------------------------------------------


def test_query_directory_lints_clean(queries_lint: LintRun) -> None:
    """All of ``orglink/queries/*.cypher`` and ``views/*.cypher`` together: no error (warnings
    are printed only)."""
    assert queries_lint.returncode == 0, str(queries_lint)
    assert queries_lint.errors() == []


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.relative_to(QUERY_FILES[0].parent).as_posix() for p in QUERY_FILES])
def test_query_file_lints_clean(path: Path, queries_lint: LintRun) -> None:
    errors = [d for d in queries_lint.errors() if Path(d.file) == path]
    assert errors == [], "\n".join(f"{d.file}:{d.line}:{d.col}: {d.message}" for d in errors)


# --- deliberately broken queries fail, for the right reason -------------------------------
# All fixtures are linted in one run (from the cache); exit codes are checked separately.


@pytest.fixture(scope="session")
def fixtures_lint(cypher_lint_primed: Lint) -> LintRun:
    """One linter run over every ``tests/fixtures/cypher/*.cypher`` file (served from the cache)."""
    return cypher_lint_primed(*FIXTURE_FILES)


def _diagnostics(run: LintRun, name: str) -> list[Diagnostic]:
    return [d for d in run.diagnostics if Path(d.file) == FIXTURES / name]


def _errors(run: LintRun, name: str) -> list[Diagnostic]:
    errors = [d for d in _diagnostics(run, name) if d.severity == "error"]
    assert errors, f"{name} should fail:\n{run}"
    return errors


def test_syntax_error_names_file_line_and_column(fixtures_lint: LintRun) -> None:
    path = FIXTURES / "bad_syntax.cypher"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad_line = next(i for i, text in enumerate(lines, 1) if text.startswith("RETRUN"))
    first = _errors(fixtures_lint, path.name)[0]
    assert (first.line, first.col) == (bad_line, 1), str(fixtures_lint)
    assert "Invalid input 'RETRUN'" in first.message
    assert f"{path}:{bad_line}:1: error: Invalid input 'RETRUN'" in fixtures_lint.stdout
    # the file's first statement is fine: nothing is reported above the broken line
    assert all(d.line >= bad_line for d in _diagnostics(fixtures_lint, path.name))


def test_unknown_label_fails(fixtures_lint: LintRun) -> None:
    [err] = _errors(fixtures_lint, "bad_unknown_label.cypher")
    assert (err.line, err.col) == (2, 10)
    assert err.message.startswith("Label Comunity is not present")


def test_unknown_relationship_type_fails(fixtures_lint: LintRun) -> None:
    [err] = _errors(fixtures_lint, "bad_unknown_rel_type.cypher")
    assert (err.line, err.col) == (2, 18)
    assert err.message.startswith("Relationship type OFERS is not present")


def test_unknown_function_fails(fixtures_lint: LintRun) -> None:
    [err] = _errors(fixtures_lint, "bad_unknown_function.cypher")
    assert (err.line, err.col) == (2, 8)
    assert err.message.startswith("Function notAFunction is not present")


def test_undefined_variable_fails(fixtures_lint: LintRun) -> None:
    [err] = _errors(fixtures_lint, "bad_undefined_variable.cypher")
    assert (err.line, err.col) == (3, 29)
    assert err.message == "Variable `s` not defined"


def test_wrong_arity_fails(fixtures_lint: LintRun) -> None:
    [err] = _errors(fixtures_lint, "bad_arity.cypher")
    assert "Too many parameters for function 'size'" in err.message


def test_unknown_property_is_only_a_warning(fixtures_lint: LintRun) -> None:
    diags = _diagnostics(fixtures_lint, "warn_unknown_property.cypher")
    assert [(d.line, d.col, d.severity) for d in diags] == [(3, 10, "warning")]
    assert diags[0].message.startswith("nmae is not present")


# --- correct queries pass -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "good_model.cypher",  # model labels, types, properties; two statements, trailing comment
        "good_shortest_path.cypher",  # shortestPath((a)-[:IN|CO_BUILDS*..8]-(b)) + all(... nodes(p) ...)
        "good_shortest_qpp.cypher",  # SHORTEST 1 / ALL SHORTEST with quantified path patterns
        "good_subqueries.cypher",  # CALL (c) { }, COLLECT { }, COUNT { }, EXISTS { }
    ],
)
def test_correct_query_passes(fixtures_lint: LintRun, name: str) -> None:
    assert _diagnostics(fixtures_lint, name) == [], str(fixtures_lint)


# --- exit codes -----------------------------------------------------------------------------


def test_exit_1_on_error_0_on_warnings_only(cypher_lint: Lint) -> None:
    run = cypher_lint(FIXTURES / "bad_unknown_label.cypher")  # a warning in the package, an error here
    assert run.returncode == 1, str(run)
    assert run.stdout.startswith(f"{FIXTURES / 'bad_unknown_label.cypher'}:2:10: error: Label Comunity")
    run = cypher_lint(FIXTURES / "good_model.cypher", FIXTURES / "warn_unknown_property.cypher")
    assert run.returncode == 0, str(run)
    assert [d.severity for d in run.diagnostics] == ["warning"]


@pytest.mark.slow
def test_cache_is_keyed_by_content_and_replays_the_lint(cypher_lint: Lint, tmp_path: Path) -> None:
    """A cached file prints exactly what the linter printed for its content, whatever its path."""
    cache = tmp_path / "cache"  # empty: this test's first run really lints (one package load)
    good = "MATCH (c:Community)\nRETURN count(c) AS n\n"  # small, so the one real lint is quick
    bad = (FIXTURES / "bad_unknown_label.cypher").read_text(encoding="utf-8")
    a, b = tmp_path / "a.cypher", tmp_path / "b.cypher"
    a.write_text(good, encoding="utf-8")
    b.write_text(bad, encoding="utf-8")
    fresh = cypher_lint(a, b, cache=cache)
    assert fresh.returncode == 1, str(fresh)
    assert [(d.file, d.line, d.col) for d in fresh.errors()] == [(str(b), 2, 10)]
    assert ", 0 of 2 distinct from the cache" in fresh.stderr
    assert len(list(cache.glob("*.json"))) == 2
    # the same paths with swapped contents: both found in the cache by content, not by path
    # (keyed by path, a.cypher would replay clean and the broken b.cypher would pass)
    a.write_text(bad, encoding="utf-8")
    b.write_text(good, encoding="utf-8")
    replay = cypher_lint(a, b, cache=cache)
    assert ", 2 of 2 distinct from the cache" in replay.stderr, str(replay)
    assert replay.returncode == 1, str(replay)
    assert replay.stdout == fresh.stdout.replace(str(b), str(a))


# --- the tool itself ------------------------------------------------------------------------


def test_usage_errors_exit_2(cypher_lint: Lint) -> None:
    assert cypher_lint(FIXTURES / "good_model.cypher", schema=None).returncode == 2
    run = cypher_lint(FIXTURES / "does_not_exist.cypher")
    assert run.returncode == 2, str(run)


def test_lint_schema_comes_from_the_model(tmp_path: Path) -> None:
    schema = lint_schema()
    assert schema["labels"] == list(MODEL.labels)
    assert schema["relationshipTypes"] == list(MODEL.rel_types)
    assert schema["propertyKeys"] == list(MODEL.property_keys)
    assert {"from": "Grid", "to": "Community", "relType": "IN"} in schema["graphSchema"]
    assert {"from": "PartyOrg", "to": "Grid", "relType": "RESPONSIBLE_FOR"} in schema["graphSchema"]
    out = tmp_path / "schema.json"
    assert lint_schema_main([str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_function_catalogue_has_the_neo4j_function_shape() -> None:
    catalogue = json.loads(FUNCTIONS_PATH.read_text(encoding="utf-8"))
    assert set(catalogue) == {"CYPHER 5"}
    functions = catalogue["CYPHER 5"]
    assert {"coalesce", "count", "sum", "collect", "size", "nodes", "length", "round"} <= set(functions)
    for name, fn in functions.items():
        assert fn["name"] == name
        assert fn["isBuiltIn"] is True
        assert isinstance(fn["signature"], str) and fn["signature"].startswith(f"{name}(")
        assert isinstance(fn["aggregating"], bool) and isinstance(fn["isDeprecated"], bool)
        assert isinstance(fn["returnDescription"], str) and isinstance(fn["category"], str)
        for arg in fn["argumentDescription"]:
            assert {"name", "type", "description", "isDeprecated"} <= set(arg)
