"""Synthetic regions of Huinong-shaped districts, written as a dataset directory (CSV lists).

Two kinds, both deterministic (same ``k`` and ``seed`` → byte-identical files):

* ``disconnected`` — ``k`` copies of the bundled Huinong lists with every id prefixed
  ``X<i>-`` and every name suffixed ``·<i>``: ``k`` districts that share nothing, so the
  linkage graph has (at least) ``k`` components.
* ``connected`` — the same copies, linked the way a city or province is: departments'
  cadres also report to communities in other streets and in the next districts (extra
  cadre rows), big resident units co-build with communities in several streets of their own
  and the neighbouring districts (extra agreement rows), and needs carry a realistic mix of
  scopes (about 20 % 街道, 10 % left empty, which loads as the default 社区; the rest keep their
  own 网格 or 社区, and a copy's own 街道 becomes 社区 so the share stays at 20 %). The districts are
  linked in a ring, so the whole linkage graph is one connected component.

Every row a region adds beyond the copies is marked ``来源 = 合成`` (synthetic).

Run:  python benchmarks/region.py connected 10 /tmp/region10
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

from orglink.data import HUINONG

KINDS = ("disconnected", "connected")
EXTRA_CADRES = 0.12  # share of each district's cadre count added as cross-street/district reports
BIG_UNIT_SHARE = 0.25  # share of resident units that co-build beyond their own street
STREET_SCOPE, NO_SCOPE = 0.20, 0.10
SOURCE = "合成"
LIST_SEP = re.compile(r"([;；、,])")
NAME_COLUMNS = ("名称", "单位名称", "需求名称", "资源名称", "项目名称", "班次名称")


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (HUINONG / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _tables() -> dict[str, tuple[list[str], list[list[str]]]]:
    return {p.stem: _read(p.stem) for p in sorted(HUINONG.glob("*.csv"))}


def _ids(tables: dict[str, tuple[list[str], list[list[str]]]]) -> set[str]:
    """Every row id of every list (the values a cell may reference)."""
    out: set[str] = set()
    for header, rows in tables.values():
        if "编号" in header:
            i = header.index("编号")
            out.update(r[i] for r in rows if r[i])
    return out


def _names(tables: dict[str, tuple[list[str], list[list[str]]]]) -> set[str]:
    """Every row name of every list (a reference may be a name)."""
    out: set[str] = set()
    for header, rows in tables.values():
        for c in NAME_COLUMNS:
            if c in header:
                i = header.index(c)
                out.update(r[i] for r in rows if r[i])
    return out


def _copy(tables: dict[str, tuple[list[str], list[list[str]]]], ids: set[str], i: int,
          k: int) -> dict[str, list[list[str]]]:
    """District ``i``'s copy of every list: ids and references prefixed, names suffixed."""
    prefix = f"X{i:03d}-" if k > 1 else ""
    suffix = f"·{i + 1}" if k > 1 else ""
    names = _names(tables)
    out: dict[str, list[list[str]]] = {}
    for name, (_header, rows) in tables.items():
        copied = []
        for r in rows:
            row = []
            for cell in r:
                parts = LIST_SEP.split(cell)  # a list cell: each item on its own, separators kept
                row.append("".join(prefix + x if x in ids else x + suffix if x in names else x
                                   for x in parts))
            copied.append(row)
        out[name] = copied
    return out


def _col(tables: dict[str, tuple[list[str], list[list[str]]]], table: str, column: str) -> int:
    return tables[table][0].index(column)


def build_region(kind: str, k: int, seed: int = 20261202) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The region's lists: table name → (header, rows)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    tables = _tables()
    ids = _ids(tables)
    rng = random.Random(f"{seed}-{kind}-{k}")
    copies = [_copy(tables, ids, i, k) for i in range(k)]
    merged: dict[str, list[list[str]]] = {name: [r for c in copies for r in c[name]] for name in tables}
    if kind == "connected":
        _link(tables, copies, merged, rng, k)
    return {name: (tables[name][0], merged[name]) for name in tables}


def _link(tables: dict[str, tuple[list[str], list[list[str]]]], copies: list[dict[str, list[list[str]]]],
          merged: dict[str, list[list[str]]], rng: random.Random, k: int) -> None:
    """Add the cross-street and cross-district rows and the scope mix (in place)."""
    c_id, c_street = _col(tables, "communities", "编号"), _col(tables, "communities", "所属街道")
    u_id, u_dept = _col(tables, "units", "编号"), _col(tables, "units", "是否区直部门")
    u_res, u_street = _col(tables, "units", "是否驻区单位"), _col(tables, "units", "所在街道")
    communities = [[(r[c_id], r[c_street]) for r in c["communities"]] for c in copies]
    departments = [[r[u_id] for r in c["units"] if r[u_dept] == "是"] for c in copies]
    residents = [[(r[u_id], r[u_street]) for r in c["units"] if r[u_res] == "是"] for c in copies]
    cadre_header = tables["cadres"][0]
    n_cadres = len(tables["cadres"][1])
    for i in range(k):
        near = [i] if k == 1 else [i, (i + 1) % k, (i - 1) % k]
        for n in range(int(EXTRA_CADRES * n_cadres)):
            unit = rng.choice(departments[i])
            j = near[n % len(near)]  # a third each: own district (another street), next, previous
            community = rng.choice(communities[j])[0]
            row = {"编号": f"X{i:03d}-KX{n + 1:04d}", "姓名": f"{rng.choice('王李张刘陈杨赵黄周吴')}*{rng.choice('明华军芳')}",
                   "所在单位": unit, "报到社区": community, "是否党员": "是", "来源": SOURCE}
            merged["cadres"].append([row.get(h, "") for h in cadre_header])
        agreement_header = tables["agreements"][0]
        for n, (unit, street) in enumerate(r for r in residents[i] if rng.random() < BIG_UNIT_SHARE):
            pool = [c for j in near for c, s in communities[j] if s != street]
            for m, community in enumerate(rng.sample(pool, min(3, len(pool)))):
                row = {"编号": f"X{i:03d}-AX{n + 1:03d}{m}", "单位": unit, "社区": community,
                       "签订日期": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "来源": SOURCE}
                merged["agreements"].append([row.get(h, "") for h in agreement_header])
    scope = _col(tables, "needs", "范围")
    for row in merged["needs"]:
        x = rng.random()
        if x < STREET_SCOPE:
            row[scope] = "街道"
        elif x < STREET_SCOPE + NO_SCOPE:
            row[scope] = ""
        elif row[scope] == "街道":  # the copies' own 街道 needs would push the share well past STREET_SCOPE
            row[scope] = "社区"


def write_region(kind: str, k: int, out: Path, seed: int = 20261202) -> Path:
    """Write the region's lists as CSV files (UTF-8) into ``out``; return ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in build_region(kind, k, seed).items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.rsplit("Run:", 1)[1].strip())
    print(write_region(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])))
