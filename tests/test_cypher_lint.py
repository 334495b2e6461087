"""Every ``.cypher`` file is linted by Neo4j's own Cypher front end.

``tools/cypher-lint/lint.mjs`` runs ``lintCypherQuery`` of ``@neo4j-cypher/language-support``
(pinned in ``tools/cypher-lint/package-lock.json``) with the schema from
:func:`orglink.graph.lint_schema.lint_schema`. The session fixture installs the package with
``npm ci`` when it is missing; node and npm are part of this project's machines, so their
absence fails the run instead of skipping it. Deliberately broken queries live in
``tests/fixtures/cypher/`` (never in ``orglink/queries/``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from orglink.graph.lint_schema import FUNCTIONS_PATH, lint_schema, main as lint_schema_main
from orglink.graph.model import MODEL

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
QUERY_DIR = ROOT / "orglink" / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cypher"
QUERY_FILES = sorted(QUERY_DIR.glob("*.cypher"))

DIAGNOSTIC = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)$")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: str
    message: str


@dataclass(frozen=True)
class LintRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for line in self.stdout.splitlines():
            m = DIAGNOSTIC.match(line)
            assert m, f"diagnostic not in file:line:col: severity: message form: {line!r}"
            out.append(Diagnostic(m["file"], int(m["line"]), int(m["col"]), m["severity"], m["message"]))
        return out

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def __str__(self) -> str:
        return f"exit {self.returncode}\n{self.stdout}{self.stderr}"


Lint = Callable[..., LintRun]


def _pinned_version() -> str:
    deps = json.loads((LINT_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    return deps["@neo4j-cypher/language-support"]


def _installed_version() -> str | None:
    manifest = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"
    # npm writes node_modules/.package-lock.json when an install has finished
    if not (manifest.is_file() and (LINT_DIR / "node_modules" / ".package-lock.json").is_file()):
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def _npm_ci(npm: str) -> None:
    """``npm ci`` in tools/cypher-lint, serialised across concurrent test runs on this tree."""
    tag = hashlib.sha1(str(LINT_DIR).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"orglink-cypher-lint-{tag}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed_version() == _pinned_version():  # another run installed it meanwhile
            return
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=LINT_DIR, capture_output=True, text=True, encoding="utf-8", timeout=600,
        )
    if proc.returncode != 0:
        pytest.fail(
            f"npm ci in {LINT_DIR} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}",
            pytrace=False,
        )
    if _installed_version() != _pinned_version():
        pytest.fail(f"npm ci did not install @neo4j-cypher/language-support {_pinned_version()}", pytrace=False)


@pytest.fixture(scope="session")
def cypher_lint(tmp_path_factory: pytest.TempPathFactory) -> Lint:
    """Install the linter if needed, write the model's schema, return ``lint(*files)``."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "the Cypher lint tests need Node.js and npm on PATH (node "
            f"{'found' if node else 'missing'}, npm {'found' if npm else 'missing'}); "
            "they are part of this project's machines: install them (e.g. apt-get install nodejs npm)",
            pytrace=False,
        )
    if _installed_version() != _pinned_version():
        _npm_ci(npm)
    schema_path = tmp_path_factory.mktemp("cypher-lint") / "schema.json"
    schema_path.write_text(json.dumps(lint_schema(), ensure_ascii=False), encoding="utf-8")

    def lint(*files: Path | str, schema: Path | None = schema_path) -> LintRun:
        args = [node, str(LINT_SCRIPT)]
        if schema is not None:
            args += ["--schema", str(schema)]
        proc = subprocess.run(
            [*args, *map(str, files)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300
        )
        return LintRun(proc.returncode, proc.stdout, proc.stderr)

    return lint


@pytest.fixture(scope="session")
def queries_lint(cypher_lint: Lint) -> LintRun:
    """One linter run over every ``orglink/queries/*.cypher`` file (one node process)."""
    if not QUERY_FILES:
        return LintRun(0, "", "no .cypher file in orglink/queries yet\n")
    return cypher_lint(*QUERY_FILES)


# --- the project's queries ---------------------------------------------------------------


def test_query_directory_lints_clean(queries_lint: LintRun) -> None:
    """All of ``orglink/queries/*.cypher`` together: no error (warnings are printed only)."""
    assert queries_lint.returncode == 0, str(queries_lint)
    assert queries_lint.errors() == []


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.name for p in QUERY_FILES])
def test_query_file_lints_clean(path: Path, queries_lint: LintRun) -> None:
    errors = [d for d in queries_lint.errors() if Path(d.file) == path]
    assert errors == [], "\n".join(f"{d.file}:{d.line}:{d.col}: {d.message}" for d in errors)


# --- deliberately broken queries fail, for the right reason -------------------------------
# All fixtures are linted in one node process (fast); exit codes are checked separately.


@pytest.fixture(scope="session")
def fixtures_lint(cypher_lint: Lint) -> LintRun:
    """One linter run over every ``tests/fixtures/cypher/*.cypher`` file."""
    return cypher_lint(*sorted(FIXTURES.glob("*.cypher")))


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
