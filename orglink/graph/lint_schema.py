"""The schema handed to the Cypher linter (``tools/cypher-lint``), built from :data:`MODEL`.

The linter is ``lintCypherQuery`` of the npm package ``@neo4j-cypher/language-support``; its
schema argument is a ``DbSchema`` object (``src/dbSchema.ts`` of that package)::

    {
      "labels":            ["District", "Street", ...],   # every label, secondary ones too
      "relationshipTypes": ["IN", "LEADS", ...],
      "propertyKeys":      ["id", "name", ...],           # node and relationship properties
      "functions":  {"CYPHER 5": {"coalesce": {Neo4jFunction}, ...}},  # tools/cypher-lint/functions.json
      "procedures": {"CYPHER 5": {}},                     # none: any CALL proc() is an error
      "defaultLanguage": "CYPHER 5",                      # Neo4j 5 servers default to Cypher 5
      "graphSchema": [{"from": "Grid", "to": "Community", "relType": "IN"}, ...]
    }

``parameters`` is left out on purpose: the queries take their parameters at run time, and
``lint.mjs`` drops the linter's "Parameter $x is not defined" errors when the schema has none.
``graphSchema`` lists every (label, type, label) triple the model allows, secondary labels
(``PartyOrg``, ``Department``, ``ResidentUnit``) included; the linter warns on pattern
segments the model cannot have (e.g. a relationship drawn the wrong way round).

Run ``python -m orglink.graph.lint_schema OUT.json`` to write it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from orglink.graph.model import MODEL

CYPHER_VERSION = "CYPHER 5"
FUNCTIONS_PATH = Path(__file__).resolve().parents[2] / "tools" / "cypher-lint" / "functions.json"
"""Our catalogue of the Neo4j built-in functions the queries may use (DbSchema ``functions``)."""


def load_functions(path: Path = FUNCTIONS_PATH) -> dict[str, dict[str, Any]]:
    """Read the function catalogue: ``{"CYPHER 5": {name: Neo4jFunction}}``."""
    if not path.is_file():
        raise FileNotFoundError(
            f"function catalogue {path} not found (it lives in the source tree under "
            "tools/cypher-lint/; pass functions_path= when running from an installed copy)"
        )
    functions = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(functions, dict) or CYPHER_VERSION not in functions:
        raise ValueError(f"{path}: expected an object keyed by {CYPHER_VERSION!r}")
    for version, registry in functions.items():
        for name, fn in registry.items():
            if fn.get("name") != name:
                raise ValueError(f"{path}: {version} entry {name!r} has name {fn.get('name')!r}")
    return functions


def graph_schema() -> list[dict[str, str]]:
    """Every (from label, relationship type, to label) the model allows, all labels expanded."""
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for rel in MODEL.rels:
        for src in rel.sources:
            for dst in rel.targets:
                for a in MODEL.node(src).all_labels:
                    for b in MODEL.node(dst).all_labels:
                        key = (a, rel.type, b)
                        if key not in seen:
                            seen.add(key)
                            out.append({"from": a, "to": b, "relType": rel.type})
    return out


def lint_schema(functions_path: Path = FUNCTIONS_PATH) -> dict[str, Any]:
    """The linter's ``DbSchema``: the model's labels, types and properties plus our functions."""
    return {
        "labels": list(MODEL.labels),
        "relationshipTypes": list(MODEL.rel_types),
        "propertyKeys": list(MODEL.property_keys),
        "functions": load_functions(functions_path),
        "procedures": {CYPHER_VERSION: {}},
        "defaultLanguage": CYPHER_VERSION,
        "graphSchema": graph_schema(),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m orglink.graph.lint_schema OUT.json``: write the schema (``-`` for stdout)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in {"-h", "--help"}:
        print("usage: python -m orglink.graph.lint_schema OUT.json", file=sys.stderr)
        return 2
    text = json.dumps(lint_schema(), ensure_ascii=False, indent=1) + "\n"
    if args[0] == "-":
        sys.stdout.write(text)
    else:
        Path(args[0]).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
