"""The Cypher lint as pytest fixtures, shared by ``test_cypher_lint.py`` and ``test_neo4j_backend.py``.

``tools/cypher-lint/lint.mjs`` runs ``lintCypherQuery`` of ``@neo4j-cypher/language-support``
(pinned in ``tools/cypher-lint/package-lock.json``) with the schema from
:func:`orglink.graph.lint_schema.lint_schema`. The ``cypher_lint`` fixture installs the
package with ``npm ci`` when it is missing; node and npm are part of this project's machines,
so their absence fails the run instead of skipping it.

Linting is slow (the package loads in ~1-2 s, its semantic analysis takes ~0.1-4 s a file), so:

* ``cypher_lint_primed`` lints everything the tests look at - ``orglink/queries/*.cypher``,
  ``tests/fixtures/cypher/*.cypher`` and every distinct statement of
  :func:`orglink.graph.cypher_gen.all_statements` - in one node process, once per test run;
* every run passes ``--cache`` :data:`CACHE_DIR`: the linter keeps each file's diagnostics
  under the sha256 of (lint.mjs, package version, package-lock.json, schema, file content) and
  prints a cached file's diagnostics exactly as a fresh lint does, without loading the package.
  The later per-group runs (queries, fixtures, generated statements, exit codes) are therefore
  real CLI runs with real exit codes that take ~0.1 s; a changed file has a new hash and is
  linted again. The cache lives outside the checkout (``$ORGLINK_LINT_CACHE``, default
  ``~/.cache/orglink/cypher-lint``), so fresh clones on one machine (CI) share it;
* the generated statements are linted once per distinct *shape*: statements that differ only
  in the model's labels, relationship types, property keys and schema names (a MERGE per
  label, a relationship MERGE per (type, source, target) …) are one Cypher construction, so
  one of each shape goes through the linter. That every label, type and property of every
  generated statement is in the model is checked for all of them (``test_neo4j_backend``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from orglink.graph import cypher_gen
from orglink.graph.lint_schema import lint_schema
from orglink.graph.model import MODEL
from tests.npm_support import npm_ci

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
CACHE_DIR = Path(os.environ.get("ORGLINK_LINT_CACHE")
                 or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "orglink" / "cypher-lint")
QUERY_DIR = ROOT / "orglink" / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cypher"
QUERY_FILES = sorted(QUERY_DIR.glob("*.cypher")) + sorted((QUERY_DIR / "views").glob("*.cypher"))
"""The named queries and the Browser guide's views (orglink/queries/views/)."""
FIXTURE_FILES = sorted(FIXTURES.glob("*.cypher"))

DIAGNOSTIC = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)$"
)


@dataclass(frozen=True)
class Diagnostic:
    """One ``file:line:col: severity: message`` line of the linter."""

    file: str
    line: int
    col: int
    severity: str
    message: str


@dataclass(frozen=True)
class LintRun:
    """The outcome of one ``lint.mjs`` process."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic line of stdout (each must be in the documented form)."""
        out = []
        for line in self.stdout.splitlines():
            m = DIAGNOSTIC.match(line)
            assert m, f"diagnostic not in file:line:col: severity: message form: {line!r}"
            out.append(Diagnostic(m["file"], int(m["line"]), int(m["col"]), m["severity"], m["message"]))
        return out

    def errors(self) -> list[Diagnostic]:
        """The diagnostics of severity ``error``."""
        return [d for d in self.diagnostics if d.severity == "error"]

    def warnings(self) -> list[Diagnostic]:
        """The diagnostics of severity ``warning``."""
        return [d for d in self.diagnostics if d.severity == "warning"]

    def __str__(self) -> str:
        return f"exit {self.returncode}\n{self.stdout}{self.stderr}"


Lint = Callable[..., LintRun]
"""``lint(*files, schema=SCHEMA, cache=CACHE_DIR)``: one ``lint.mjs`` run (:func:`_linter_for`)."""


def _linter_for(node: str, schema_path: Path) -> Lint:
    """The ``lint`` function that runs ``node tools/cypher-lint/lint.mjs`` with the model's schema."""

    def lint(
        *files: Path | str, schema: Path | None = schema_path, cache: Path | None = CACHE_DIR
    ) -> LintRun:
        """Lint ``files`` in one ``lint.mjs`` process.

        ``schema=None`` leaves ``--schema`` out (a usage error), ``cache=None`` lints without a
        cache.
        """
        args = [node, str(LINT_SCRIPT)]
        if schema is not None:
            args += ["--schema", str(schema)]
        if cache is not None:
            args += ["--cache", str(cache)]
        proc = subprocess.run(
            [*args, *map(str, files)],
            check=False, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=900,
        )
        return LintRun(proc.returncode, proc.stdout, proc.stderr)

    return lint


LINT_PACKAGE = "@neo4j-cypher/language-support"


# The fixtures below are imported into two test modules, which gives each module its own
# session fixture; these module globals make the work happen once per test run all the same.
_linter: Lint | None = None
_generated: dict[Path, tuple[str, ...]] | None = None
_primed: LintRun | None = None


@pytest.fixture(scope="session")
def cypher_lint(tmp_path_factory: pytest.TempPathFactory) -> Lint:
    """Install the linter if needed, write the model's schema, return ``lint(*files)``."""
    global _linter
    if _linter is None:
        node, npm = shutil.which("node"), shutil.which("npm")
        if node is None or npm is None:
            pytest.fail(
                "the Cypher lint tests need Node.js and npm on PATH (node "
                f"{'found' if node else 'missing'}, npm {'found' if npm else 'missing'}); "
                "they are part of this project's machines: install them (e.g. apt-get install nodejs npm)",
                pytrace=False,
            )
        npm_ci(npm, LINT_DIR, LINT_PACKAGE)
        schema_path = tmp_path_factory.mktemp("cypher-lint") / "schema.json"
        schema_path.write_text(json.dumps(lint_schema(), ensure_ascii=False), encoding="utf-8")
        _linter = _linter_for(node, schema_path)
    return _linter


_IDENT = re.compile(r"'[^']*'|\b[A-Za-z_][A-Za-z0-9_]*\b")


def statement_shape(text: str) -> str:
    """``text`` with every model label, relationship type and property key, every schema name
    (``orglink_…``) and every string literal replaced by a placeholder: the Cypher construction
    the statement is an instance of."""
    labels, types, props = set(MODEL.labels), set(MODEL.rel_types), set(MODEL.property_keys)

    def one(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok.startswith("'"):
            return "'S'"
        if tok in labels:
            return "Label"
        if tok in types:
            return "TYPE"
        if tok in props:
            return "prop"
        if tok.startswith(cypher_gen.NAME_PREFIX):
            return "orglink_name"
        return tok

    return _IDENT.sub(one, text)


@pytest.fixture(scope="session")
def generated_statement_files(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, tuple[str, ...]]:
    """One ``.cypher`` file per distinct shape (:func:`statement_shape`) of
    :func:`cypher_gen.all_statements` -> the names of all the statements of that shape.

    The file holds the first statement of the shape and is named after it.
    """
    global _generated
    if _generated is None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for name, text in cypher_gen.all_statements():
            groups.setdefault(statement_shape(text), []).append((name, text))
        out = tmp_path_factory.mktemp("generated-cypher")
        files = {}
        for same in groups.values():
            name, text = same[0]
            path = out / f"{name}.cypher"
            path.write_text(text + "\n", encoding="utf-8")
            files[path] = tuple(n for n, _ in same)
        _generated = files
    return _generated


@pytest.fixture(scope="session")
def cypher_lint_primed(cypher_lint: Lint, generated_statement_files: dict[Path, tuple[str, ...]]) -> Lint:
    """``cypher_lint``, after one node process has linted (or found cached) every file the tests lint.

    The queries, the fixtures and the generated statements go through the linter together, so
    the package is loaded once for all of them; the tests' own runs then
    find every file in the cache.
    """
    global _primed
    if _primed is None:
        _primed = cypher_lint(*QUERY_FILES, *FIXTURE_FILES, *generated_statement_files, )
    # 1 is expected (the fixtures hold errors); anything else means the linter itself failed
    if _primed.returncode not in (0, 1):
        pytest.fail(f"the priming lint run failed:\n{_primed}", pytrace=False)
    return cypher_lint
