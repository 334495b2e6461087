"""Neo4j Browser material: the committed guide and style are the generated ones, the guide's
queries are the ``.cypher`` files verbatim and answer on the Huinong data (both backends),
the style covers every label, and ``orglink browser`` serves both with CORS."""

from __future__ import annotations

import csv
import html
import re
import threading
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orglink import browser, queries
from orglink.cli import app, import_commands
from orglink.data import HUINONG
from orglink.graph.model import MODEL, NEED_STATUSES
from orglink.graph.store import Store
from tests import neo4j_support

ROOT = Path(__file__).resolve().parents[2]
import_commands()


# -- the committed files ----------------------------------------------------------------------

def test_committed_guide_is_the_generated_one() -> None:
    committed = (ROOT / "browser" / browser.GUIDE_FILE).read_text(encoding="utf-8")
    assert committed == browser.build_guide(), "run `orglink browser --write browser` and commit"


def test_committed_style_is_the_generated_one() -> None:
    committed = (ROOT / "browser" / browser.STYLE_FILE).read_text(encoding="utf-8")
    assert committed == browser.build_style(), "run `orglink browser --write browser` and commit"


# -- the guide ----------------------------------------------------------------------------------

class _GuideParser(HTMLParser):
    """Collects the title, the slides, and the text of the runnable blocks of each slide."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.slides: list[list[str]] = []
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "slide":
            self.slides.append([])
        elif tag == "title":
            self._in, self._buf = "title", []
        elif tag == "pre" and "runnable" in classes:
            self._in, self._buf = "pre", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in == "title":
            self.title, self._in = "".join(self._buf), None
        elif tag == "pre" and self._in == "pre":
            self.slides[-1].append("".join(self._buf))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf.append(data)


def _parsed_guide() -> _GuideParser:
    p = _GuideParser()
    p.feed(browser.build_guide())
    return p


def test_guide_has_a_title_and_one_slide_per_step() -> None:
    guide = _parsed_guide()
    assert guide.title == "orglink 规划员导览"
    assert len(guide.slides) == len(browser.STEPS) + 1
    assert guide.slides[0] == [":style http://localhost:8001/style.grass"]


def test_each_step_runs_its_view_verbatim_after_its_parameters() -> None:
    guide = _parsed_guide()
    views = sorted(p.stem for p in browser.VIEW_DIR.glob("*.cypher"))
    assert sorted(s.view for s in browser.STEPS) == views  # one step per view, no view unused
    for step, blocks in zip(browser.STEPS, guide.slides[1:], strict=True):
        text = (browser.VIEW_DIR / f"{step.view}.cypher").read_text(encoding="utf-8").rstrip("\n")
        assert blocks[-1] == text  # the file itself: one source
        params = browser.query_parameters(text)
        assert blocks[:-1] == [browser.param_command(p, browser.EXAMPLES[p]) for p in params]


def test_view_headers_are_chinese_without_english_noise() -> None:
    for step in browser.STEPS:
        header = [line for line in step.text.splitlines() if line.startswith("//")]
        assert len(header) == 2, step.view
        for line in header:
            assert re.search("[\u4e00-\u9fff]", line), (step.view, line)
            assert not re.search("[A-Za-z]{4,}", line.replace("orglink match", "")), (step.view, line)
        assert not re.search(r"\b(CREATE|MERGE|DELETE|SET|REMOVE)\b", step.text), step.view  # reads only


def test_parameters_come_from_code_not_comments() -> None:
    text = "// Parameters: $ignored\nMATCH (c:Community {id: $community_id}) // $also_ignored\n" \
           "RETURN c, $limit, $community_id"
    assert browser.query_parameters(text) == ["community_id", "limit"]
    assert browser.param_command("community_id", "C'1") == ":param community_id => 'C\\'1'"
    assert browser.param_command("limit", 3) == ":param limit => 3"


def test_guide_refuses_a_parameter_without_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "EXAMPLES", {k: v for k, v in browser.EXAMPLES.items() if k != "need_id"})
    with pytest.raises(KeyError, match="nearest_units: no example value for \\$need_id"):
        browser.build_guide()


def test_guide_escapes_cypher_for_html() -> None:
    raw = browser.build_guide()
    assert "(u)<-[:BY]-(s:ServiceProject WHERE s.retired_on IS NULL)" not in raw  # '<' must be escaped in the HTML …
    assert html.escape("(u)<-[:BY]-(s:ServiceProject WHERE s.retired_on IS NULL)", quote=False) in raw  # … and is


# -- the guide's queries on Huinong, both backends ---------------------------------------------

@pytest.mark.neo4j
@pytest.mark.parametrize("step", browser.STEPS, ids=[s.view for s in browser.STEPS])
def test_every_guide_view_draws_nodes_and_paths_on_huinong(step: browser.Step) -> None:
    """Each view, run as Browser runs it (the real Neo4j server, Huinong loaded), answers with
    paths or nodes for the style to draw."""
    import neo4j

    inner = neo4j_support.open_huinong_store()._ready()  # type: ignore[attr-defined]  # Huinong loaded
    params = {p: browser.EXAMPLES[p] for p in browser.query_parameters(step.text)}
    records, _, _ = inner.driver.execute_query(step.text, params, database_=inner.settings.database)
    drawn = [v for r in records for v in r.values() if isinstance(v, neo4j.graph.Path | neo4j.graph.Node)]
    assert drawn, f"{step.view} draws nothing for {params}"
    labels = {lab for v in drawn for n in (v.nodes if isinstance(v, neo4j.graph.Path) else [v]) for lab in n.labels}
    assert labels <= set(browser.LABEL_STYLE), labels - set(browser.LABEL_STYLE)  # every drawn label is styled


def _csv(name: str) -> list[dict[str, str]]:
    with (HUINONG / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


_STATUS = {zh: en for en, zh in NEED_STATUSES.items()} | {en: en for en in NEED_STATUSES}


def _ids(table: str, name_col: str = "名称") -> dict[str, str]:
    """id of a row from its id or its name (the lists may refer either way)."""
    return {r[k]: r["编号"] for r in _csv(table) for k in ("编号", name_col)}


def _need_community() -> dict[str, str]:
    community_id = {c[k]: c["编号"] for c in _csv("communities") for k in ("编号", "名称")}
    grid_community = {g[k]: community_id[g["所属社区"]] for g in _csv("grids") for k in ("编号", "名称")}
    return {n["编号"]: grid_community.get(n["提出网格或社区"]) or community_id[n["提出网格或社区"]]
            for n in _csv("needs")}


def test_unmet_by_street_matches_the_lists(huinong_store: Store) -> None:
    """Counted from the CSV files directly, not through the loader."""
    street_id = {s[k]: s["编号"] for s in _csv("streets") for k in ("编号", "名称")}  # by id or name
    community_street = {c["编号"]: street_id[c["所属街道"]] for c in _csv("communities")}
    need_community = _need_community()
    expected: dict[str, dict[str, Any]] = {
        s["编号"]: {"street_id": s["编号"], "street_name": s["名称"], "unmet_needs": 0,
                    "urgent_needs": 0, "communities": set()} for s in _csv("streets")}
    for n in _csv("needs"):
        if _STATUS[n["状态"]] in ("ordered", "accepted", "escalated"):
            c = need_community[n["编号"]]
            row = expected[community_street[c]]
            row["unmet_needs"] += 1
            row["urgent_needs"] += n["紧急程度"] in ("紧急", "urgent")
            row["communities"].add(c)
    rows = [{**r, "communities": len(r["communities"])} for r in expected.values()]
    rows.sort(key=lambda r: (-r["unmet_needs"], r["street_id"]))
    got = queries.unmet_by_street(huinong_store)
    assert got == rows
    assert sum(r["unmet_needs"] for r in got) > 0


def test_community_cadres_matches_the_lists(huinong_store: Store) -> None:
    units = {u["编号"]: u["单位名称"] for u in _csv("units")}
    unit_id, community_id, cadre_id = _ids("units", "单位名称"), _ids("communities"), _ids("cadres", "姓名")
    handled: dict[str, int] = {}
    for n in _csv("needs"):
        for k in filter(None, (x.strip() for x in n["办理干部"].replace("；", ";").split(";"))):
            handled[cadre_id[k]] = handled.get(cadre_id[k], 0) + 1
    rows = [{"cadre_id": k["编号"], "name": k["姓名"], "party_member": k["是否党员"] == "是",
             "unit_id": unit_id[k["所在单位"]], "unit_name": units[unit_id[k["所在单位"]]],
             "handled": handled.get(k["编号"], 0)}
            for k in _csv("cadres") if community_id.get(k["报到社区"]) == "C001"]
    rows.sort(key=lambda r: (r["unit_id"], r["cadre_id"]))
    got = queries.community_cadres(huinong_store, community_id="C001")
    assert got == rows and len(rows) > 10
    assert any(r["handled"] for r in got)
    assert all("*" in r["name"] for r in got)  # masked names only
    assert queries.community_cadres(huinong_store, community_id="C999") == []


def test_unit_lists_matches_the_lists(huinong_store: Store) -> None:
    unit = "U043"
    community_id, unit_id = _ids("communities"), _ids("units", "单位名称")
    cname = {c[k]: c["名称"] for c in _csv("communities") for k in ("编号", "名称")}
    agreements = [a for a in _csv("agreements") if unit_id[a["单位"]] == unit]
    signed = {community_id[a["社区"]] for a in agreements}
    expected = [{"list": "共驻共建协议书", "id": a["编号"], "title": None, "category": None, "quantity": None,
                 "status": None, "community": cname[a["社区"]], "community_id": community_id[a["社区"]],
                 "signed_on": a["签订日期"]}
                for a in sorted(agreements, key=lambda a: a["编号"])]
    expected += [{"list": "资源清单", "id": r["编号"], "title": r["资源名称"], "category": r["类别"],
                  "quantity": int(r["数量"]), "status": None, "community": None, "community_id": None,
                  "signed_on": None}
                 for r in sorted(_csv("resources"), key=lambda r: r["编号"]) if unit_id[r["提供单位"]] == unit]
    expected += [{"list": "项目清单", "id": p["编号"], "title": p["项目名称"], "category": None,
                  "quantity": None, "status": p["状态"], "community": cname[p["社区"]],
                  "community_id": community_id[p["社区"]], "signed_on": None}
                 for p in sorted(_csv("projects"), key=lambda p: p["编号"]) if unit_id[p["单位"]] == unit]
    need_community = _need_community()
    expected += [{"list": "需求清单", "id": n["编号"], "title": n["需求名称"], "category": n["类别"],
                  "quantity": int(n["数量"]), "status": _STATUS[n["状态"]],
                  "community": cname[need_community[n["编号"]]],
                  "community_id": community_id[need_community[n["编号"]]], "signed_on": None}
                 for n in sorted(_csv("needs"), key=lambda n: n["编号"]) if need_community[n["编号"]] in signed]
    got = queries.unit_lists(huinong_store, unit_id=unit)
    assert got == expected
    assert {r["list"] for r in got} == {"共驻共建协议书", "资源清单", "项目清单", "需求清单"}
    assert queries.unit_lists(huinong_store, unit_id="U999") == []


# -- the style --------------------------------------------------------------------------------

def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Python port of Neo4j Browser's ``parseGrassCSS`` (src/shared/services/grassUtils)."""
    inside_string = inside_props = inside_binding = False
    keyword = props = ""
    rules: dict[str, str] = {}
    for c in text:
        skip = True
        if c == "{":
            if inside_string:
                skip = False
            elif inside_props:
                inside_binding = True
            else:
                inside_props = True
        elif c == "}":
            if inside_string:
                skip = False
            elif inside_binding:
                inside_binding = False
            else:
                inside_props = False
                rules[keyword] = props
                keyword = props = ""
        elif c in "'\"":
            inside_string = not inside_string
        else:
            skip = False
        if skip:
            continue
        if inside_props:
            props += c
        elif not c.isspace():
            keyword += c
    out: dict[str, dict[str, str]] = {}
    for sel, body in rules.items():
        out[sel] = {}
        for part in body.split(";"):
            kv = part.split(":")
            if len(kv) == 2:
                out[sel][kv[0].strip()] = kv[1].strip()
    return out


def test_style_gives_every_label_a_colour_and_a_real_caption() -> None:
    rules = parse_grass(browser.build_style())
    assert set(rules) == {"node", "relationship"} | {f"node.{lab}" for lab in MODEL.labels} | \
        {f"relationship.{t}" for t in MODEL.rel_types}
    colours = []
    for lab in MODEL.labels:
        rule = rules[f"node.{lab}"]
        assert set(rule) == {"color", "border-color", "diameter", "text-color-internal", "caption"}, lab
        assert rule["color"].startswith("#") and len(rule["color"]) == 7
        colours.append(rule["color"])
        prop = rule["caption"].strip("{}")
        kinds = [n for n in MODEL.nodes if lab in n.all_labels]
        assert all(prop in {p.name for p in k.props} for k in kinds), (lab, prop)
    assert len(set(colours)) == len(colours)  # one colour per label
    assert rules["relationship"]["caption"] == "<type>"


def test_style_keeps_chinese_names_as_ignored_segments() -> None:
    text = browser.build_style()
    for kind in MODEL.nodes:
        assert f"node.{kind.label} {{\n  /* {kind.zh} */;\n" in text
    assert all(not any("/*" in k for k in rule) for rule in parse_grass(text).values())


def test_style_refuses_a_label_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "LABEL_STYLE", {k: v for k, v in browser.LABEL_STYLE.items() if k != "Need"})
    with pytest.raises(KeyError, match="no style for label\\(s\\) Need"):
        browser.build_style()


# -- serving and the CLI --------------------------------------------------------------------------

def test_server_serves_guide_and_style_with_cors() -> None:
    server = browser.make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        pre = urllib.request.Request(f"{base}/guide.html", method="OPTIONS", headers={
            "Origin": "http://localhost:7474", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "cache-control,pragma"})
        with urllib.request.urlopen(pre) as r:
            assert r.status == 204
            assert r.headers["Access-Control-Allow-Origin"] == "*"
        for name, builder in ((browser.GUIDE_FILE, browser.build_guide), (browser.STYLE_FILE, browser.build_style)):
            req = urllib.request.Request(f"{base}/{name}", headers={"Origin": "http://localhost:7474",
                                                                     "Cache-Control": "no-cache"})
            with urllib.request.urlopen(req) as r:
                assert r.status == 200
                assert r.headers["Access-Control-Allow-Origin"] == "*"
                assert r.read().decode("utf-8") == builder()
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}/../pyproject.toml")
        assert info.value.code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_cli_prints_how_to_load_guide_and_style() -> None:
    result = CliRunner().invoke(app, ["browser", "--port", "8123"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert ":guide http://localhost:8123/guide.html" in out
    assert ":style http://localhost:8123/style.grass" in out
    assert "orglink browser --serve --port 8123" in out
    assert "browser.remote_content_hostname_allowlist" in out
    assert "style.grass" in out and "拖进" in out


def test_cli_writes_both_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["browser", "--write", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "guide.html").read_text(encoding="utf-8") == browser.build_guide()
    assert (tmp_path / "out" / "style.grass").read_text(encoding="utf-8") == browser.build_style()
