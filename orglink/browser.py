"""Neo4j Browser material: the planner's guide (``browser/guide.html``) and the graph style
(``browser/style.grass``), both generated here so they never drift from their sources.

* :func:`build_guide` writes a Browser guide (the HTML form Neo4j Browser 5 loads with
  ``:guide <url>`` or ``:play <url>``: a ``<title>`` and one ``<slide>`` per step; a
  ``<pre class="runnable">`` block fills the editor when clicked). Every query in it is the
  exact text of a named query's ``.cypher`` file, preceded by the ``:param`` lines its
  ``$parameters`` need, with example values from the bundled Huinong data.
* :func:`build_style` writes a GraSS style sheet: one colour, size and caption per label of
  :data:`orglink.graph.model.MODEL`.
* :func:`serve` serves both over HTTP with the CORS headers Browser needs to fetch them.
"""

from __future__ import annotations

import html
import http.server
import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from orglink.graph.model import MODEL

BROWSER_DIR = Path(__file__).resolve().parent.parent / "browser"
"""``browser/`` of a source checkout (absent from an installed wheel: use :func:`serve`)."""

GUIDE_FILE = "guide.html"
STYLE_FILE = "style.grass"


VIEW_DIR = Path(__file__).resolve().parent / "queries" / "views"
"""The guide's queries: ``orglink/queries/views/<name>.cypher``. Each returns nodes and paths
(so Neo4j Browser draws them in the style of :func:`build_style`); its header is two Chinese
comment lines (title, what to look for). They are for Browser only: the named queries of
:mod:`orglink.queries` answer the same questions as tables on both backends."""


@dataclass(frozen=True)
class Step:
    """One slide of the guide: a view (``orglink/queries/views/<view>.cypher``) and the
    mechanism of the document it shows."""

    view: str
    lead: str  # the document's words for the mechanism

    @property
    def text(self) -> str:
        """The view's Cypher, as pasted into Browser."""
        return view_text(self.view)

    @property
    def title(self) -> str:
        """The view's first header line (its Chinese title)."""
        return _header(self.text)[0]

    @property
    def explanation(self) -> str:
        """The view's second header line (what a planner should look for)."""
        lines = _header(self.text)
        return lines[1] if len(lines) > 1 else ""


def view_text(name: str) -> str:
    """The Cypher text of guide view ``name`` (no trailing newline)."""
    return (VIEW_DIR / f"{name}.cypher").read_text(encoding="utf-8").rstrip("\n")


def _header(text: str) -> list[str]:
    return [line[2:].strip() for line in text.splitlines() if line.startswith("//")]


STEPS: tuple[Step, ...] = (
    Step("department_tier", "区委“党建引领基层治理协调机制”，三级纵向联动"),
    Step("community_chain", "街道党工委—社区党委—网格党支部—院落党小组—党员中心户"),
    Step("committee_members", "街道“大工委”、社区“联合党委”"),
    Step("property_linkage", "“四位一体”物业党建联建"),
    Step("unit_lists", "“一书三单”"),
    Step("nearest_units", "将群众需求与共建单位资源有效对接"),
    Step("stations_service", "24个暖“新”驿站、1个司机之家"),
    Step("department_reporting", "“双报到、双报告”"),
    Step("trainings", "主题培训近20期、考前培训4场"),
    Step("work_cycle", "“四点一线”"),
    Step("whistles", "街道吹哨、部门报到"),
    Step("unmet_in_street", "居民点单—网格接单—党组织派单"),
)
"""The guide's steps, in order: one per mechanism of the document."""

EXAMPLES: dict[str, object] = {
    "community_id": "C001",  # 春晖社区
    "unit_id": "U010",  # a district department with 27 reporting cadres
    "need_id": "N0681",  # 春晖社区青少年暑期兴趣班 (待接单, community scope)
    "party_org_id": "PO-WC01",  # 中共南街街道党工委 (大工委)
    "service": "手机充电",
    "street_id": "S01",  # 南街街道
}
"""Example parameter values (Huinong ids) by parameter name; every parameter a guide query
uses must have one (:func:`build_guide` refuses otherwise)."""

_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def query_parameters(text: str) -> list[str]:
    """The ``$parameters`` a Cypher text uses (comments ignored), in order of first use."""
    names: list[str] = []
    for line in text.splitlines():
        code = line.split("//", 1)[0] if not line.lstrip().startswith("//") else ""
        for name in _PARAM_RE.findall(code):
            if name not in names:
                names.append(name)
    return names


def param_command(name: str, value: object) -> str:
    """The Browser command setting one parameter, e.g. ``:param community_id => 'C001'``."""
    literal = "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'" if isinstance(value, str) else json.dumps(value)
    return f":param {name} => {literal}"


def _pre(text: str) -> str:
    return f'<pre class="pre-scrollable code runnable">{html.escape(text, quote=False)}</pre>'


def _slide(left: str, right: str) -> str:
    return ("<slide class=\"row-fluid\">\n"
            f"  <div class=\"col-sm-3\">\n{left}\n  </div>\n"
            f"  <div class=\"col-sm-9\">\n{right}\n  </div>\n"
            "</slide>")


def build_guide() -> str:
    """The Browser guide walking a planner through :data:`STEPS` (deterministic text)."""
    slides = [_slide(
        "    <h3>orglink 规划员导览</h3>\n"
        "    <p class=\"lead\">把社区的每一项需求，配对给能满足它的最近单位。</p>",
        "    <p>本导览共 {n} 步，每一步对应文件中的一项机制，查询返回节点和路径（orglink/queries/views/ 下的 .cypher 文件）。"
        "点击代码块会把它放进编辑器，再按运行。需要参数的查询，先运行它上方的 <code>:param</code> 行。</p>\n"
        "    <p>先加载图样式（颜色与标题）：运行下面的命令（导览服务 orglink browser --serve 默认在 8001 端口；"
        "换了端口就相应修改），或把 style.grass 拖进浏览器窗口。</p>\n"
        "    {style}\n"
        "    <p>数据来自 <code>orglink load --backend neo4j</code>；示例编号取自自带的惠农区数据。</p>"
        .format(n=len(STEPS), style=_pre(":style http://localhost:8001/style.grass")))]
    for i, step in enumerate(STEPS, 1):
        text = step.text
        params = query_parameters(text)
        missing = [p for p in params if p not in EXAMPLES]
        if missing:
            raise KeyError(f"guide step {step.view}: no example value for ${', $'.join(missing)}")
        right = [f"    <p>{html.escape(step.explanation)}</p>"]
        if params:
            right.append("    <p>先设置参数（可改成其他编号）：</p>")
            right += ["    " + _pre(param_command(p, EXAMPLES[p])) for p in params]
        right.append("    <p>运行查询，图中节点按样式着色：</p>")
        right.append("    " + _pre(text))
        slides.append(_slide(
            f"    <h3>{i}. {html.escape(step.title)}</h3>\n"
            f"    <p class=\"lead\">{html.escape(step.lead)}</p>",
            "\n".join(right)))
    body = "\n".join(slides)
    return ("<!DOCTYPE html>\n"
            "<!-- Generated by orglink.browser.build_guide() from orglink/queries/views/*.cypher; "
            "do not edit: run `orglink browser --write browser` -->\n"
            "<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>orglink 规划员导览</title>\n</head>\n<body>\n"
            "<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            f"{body}\n</carousel>\n</article>\n</body>\n</html>\n")


# -- style ---------------------------------------------------------------------------------

LABEL_STYLE: dict[str, tuple[str, str, str]] = {
    # label: (colour, diameter, zh) — territory in greens, party organisations in reds,
    # units in blues, people in orange, lists in purples / yellows, the rest in greys.
    "District": ("#1B5E20", "80px", "区"),
    "Street": ("#2E7D32", "65px", "街道"),
    "Community": ("#43A047", "55px", "社区"),
    "Grid": ("#81C784", "40px", "网格"),
    "Compound": ("#C8E6C9", "30px", "小区"),
    "PartyOrg": ("#C62828", "45px", "党组织"),
    "DistrictCommittee": ("#8E0000", "75px", "区委"),
    "WorkingCommittee": ("#B71C1C", "60px", "街道党工委"),
    "CommunityCommittee": ("#D32F2F", "50px", "社区党委"),
    "GridBranch": ("#E57373", "40px", "网格党支部"),
    "PartyGroup": ("#EF9A9A", "30px", "党小组"),
    "CentralHousehold": ("#FFCDD2", "25px", "党员中心户"),
    "Unit": ("#1565C0", "50px", "单位"),
    "Department": ("#0D47A1", "55px", "区直部门"),
    "ResidentUnit": ("#42A5F5", "50px", "驻区单位"),
    "Cadre": ("#FB8C00", "25px", "报到干部"),
    "Resource": ("#6A1B9A", "40px", "资源"),
    "Need": ("#FDD835", "40px", "需求"),
    "ServiceProject": ("#AB47BC", "40px", "服务项目"),
    "Agreement": ("#8D6E63", "35px", "共驻共建协议"),
    "Station": ("#00838F", "40px", "驿站"),
    "ResidentsCommittee": ("#546E7A", "40px", "居委会"),
    "OwnersCommittee": ("#78909C", "35px", "业委会"),
    "PropertyCompany": ("#90A4AE", "35px", "物业公司"),
    "Plan": ("#BDBDBD", "35px", "配对方案"),
    "Training": ("#F06292", "35px", "培训班"),
    "WorkStage": ("#4DB6AC", "30px", "四点一线"),
}
"""Colour, diameter and Chinese name of every label (a label missing here fails the tests)."""


def _caption(label: str) -> str:
    """``{name}`` where the label has a name, ``{title}`` for lists, else ``{id}``."""
    kinds = [n for n in MODEL.nodes if label in n.all_labels]
    props = {p.name for n in kinds for p in n.props}
    return "{name}" if "name" in props else "{title}" if "title" in props else "{id}"


def _text_colour(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#FFFFFF"


def build_style() -> str:
    """GraSS for Neo4j Browser: one rule per model label (deterministic text).

    Browser's GraSS reader has no comment syntax; the Chinese label name is kept as a
    property-less segment ``/* 社区 */;`` inside each rule, which the reader skips.
    Secondary labels come first so the primary label's rule wins for nodes with both
    (``Department`` and ``ResidentUnit`` come after ``Unit`` so they stand out).
    """
    order = [lab for lab in MODEL.labels if lab in ("PartyOrg",)] + \
            [lab for lab in MODEL.labels if lab not in ("PartyOrg",)]
    unknown = set(MODEL.labels) - set(LABEL_STYLE)
    if unknown:
        raise KeyError(f"no style for label(s) {', '.join(sorted(unknown))}")
    rules = [
        "node {\n  diameter: 40px;\n  color: #A5ABB6;\n  border-color: #9AA1AC;\n"
        "  border-width: 2px;\n  text-color-internal: #FFFFFF;\n  font-size: 10px;\n}",
        "relationship {\n  color: #A5ABB6;\n  shaft-width: 1px;\n  font-size: 8px;\n"
        "  padding: 3px;\n  text-color-external: #000000;\n  text-color-internal: #FFFFFF;\n"
        "  caption: \"<type>\";\n}",
    ]
    for label in order:
        colour, diameter, zh = LABEL_STYLE[label]
        rules.append(
            f"node.{label} {{\n  /* {zh} */;\n  color: {colour};\n  border-color: {colour};\n"
            f"  diameter: {diameter};\n  text-color-internal: {_text_colour(colour)};\n"
            f"  caption: \"{_caption(label)}\";\n}}")
    for rel in MODEL.rels:
        rules.append(f"relationship.{rel.type} {{\n  /* {rel.zh} */;\n  caption: \"<type>\";\n}}")
    return "\n".join(rules) + "\n"


def write_files(directory: Path = BROWSER_DIR) -> list[Path]:
    """Write ``guide.html`` and ``style.grass`` into ``directory``; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in ((GUIDE_FILE, build_guide()), (STYLE_FILE, build_style())):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


# -- serving -------------------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the generated guide and style with the CORS headers Browser's fetch needs
    (it sends ``cache-control``/``pragma`` headers, so a preflight OPTIONS comes first)."""

    files: ClassVar[dict[str, tuple[str, str]]] = {}

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "*")

    def do_OPTIONS(self) -> None:
        """Answer the CORS preflight."""
        self.send_response(204)
        self._cors()
        self.end_headers()

    def do_GET(self) -> None:
        """Serve ``/guide.html`` or ``/style.grass``."""
        hit = self.files.get(self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/"))
        if hit is None:
            self.send_response(404)
            self._cors()
            self.end_headers()
            return
        text, ctype = hit
        data = text.encode("utf-8")
        self.send_response(200)
        self._cors()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the console quiet."""


def make_server(host: str = "localhost", port: int = 8001) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the guide and the style (call ``serve_forever()`` on it)."""
    files = {GUIDE_FILE: (build_guide(), "text/html; charset=utf-8"),
             STYLE_FILE: (build_style(), "text/plain; charset=utf-8")}
    handler = type("GuideHandler", (_Handler,), {"files": files})
    return http.server.ThreadingHTTPServer((host, port), partial(handler))
