// orglink workbench: one page over /api/v1. Every text from the server is put into the page as
// text (textContent / SVG text nodes), never as HTML. The token lives in sessionStorage only and
// is sent as an Authorization header, never in a URL.
'use strict';

const TOKEN_KEY = 'orglink-token';
const REASONS = {no_resource: '无单位提供', shortage: '供需缺口', capacity_used: '容量已分配',
  out_of_scope: '须街道吹哨', plan_outdated: '方案已过期'};
const ACTION_ZH = {accept: '接单', dispatch: '派单', escalate: '吹哨', answer: '报到', complete: '办结'};
const PALETTE = ['#8b1a1a', '#1f5fa8', '#2e7d32', '#b26a00', '#6a1b9a', '#00838f', '#ad1457', '#4e342e',
  '#37474f', '#9e9d24', '#5d4037', '#283593'];
const state = {me: null, streets: [], communities: [], needFilters: {}, needPage: 1, map: null};

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// -- small DOM helpers ---------------------------------------------------------------------
function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return node;
}
const $ = (sel) => document.querySelector(sel);
const dash = (v) => (v === null || v === undefined || v === '' ? '—' : v);
const pct = (a, b) => (b ? `${(100 * a / b).toFixed(1)}%` : '—');

function table(headings, rows, opts = {}) {
  const head = el('tr', {}, headings.map((h) => el('th', {}, h)));
  const body = rows.length ? rows.map((r) => {
    const tr = el('tr', {class: opts.onRow ? 'clickable' : null, ...(opts.rowAttrs ? opts.rowAttrs(r) : {})},
      opts.cells(r).map((c) => (c instanceof Node && c.tagName === 'TD') ? c
        : el('td', {class: typeof c === 'number' ? 'num' : null}, c instanceof Node ? c : dash(c))));
    if (opts.onRow) tr.addEventListener('click', () => opts.onRow(r));
    return tr;
  }) : [el('tr', {}, el('td', {colspan: headings.length, class: 'note'}, opts.empty || '（无）'))];
  return el('table', {id: opts.id || null}, el('thead', {}, head), el('tbody', {}, body));
}

function select(name, options, value, attrs = {}) {
  return el('select', {name, ...attrs}, options.map(([v, label]) =>
    el('option', {value: v, selected: v === value}, label)));
}

function say(text) {
  const s = $('#status');
  s.textContent = text;
  clearTimeout(say.timer);
  if (text) say.timer = setTimeout(() => { s.textContent = ''; }, 4000);
}

function view(...kids) {
  const v = $('#view');
  v.replaceChildren(...kids.flat());
  return v;
}

function failure(err) {
  return el('p', {class: 'error', role: 'alert'}, err instanceof ApiError ? err.message : `出错了：${err}`);
}

// -- the API -------------------------------------------------------------------------------
async function detailText(r) {
  try {
    const j = await r.json();
    if (typeof j.detail === 'string') return j.detail;
    if (Array.isArray(j.detail)) {
      return j.detail.map((d) => `${(d.loc || []).slice(1).join('.')}：${d.msg}`).join('；');
    }
  } catch (e) { /* not JSON */ }
  return `请求失败（HTTP ${r.status}）`;
}

function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function api(path, {method = 'GET', body, raw = false} = {}) {
  const headers = {Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ''}`};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`/api/v1${path}`, {method, headers,
    body: body === undefined ? undefined : JSON.stringify(body)});
  if (r.status === 401 && state.me) {
    const text = await detailText(r);
    logout(`登录已失效：${text}`);
    throw new ApiError(401, text);
  }
  if (!r.ok) throw new ApiError(r.status, await detailText(r));
  return raw ? r : r.json();
}

// -- login ---------------------------------------------------------------------------------
async function login(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    state.me = await api('/me');
  } catch (err) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.me = null;
    throw err;
  }
  [state.streets, state.communities] = await Promise.all([api('/streets'), api('/communities')]);
  const me = state.me;
  $('#who').textContent = `${me.name} · ${me.role_zh}令牌${me.scope ? `（${me.scope}）` : '（全区）'}`;
  $('#login').hidden = true;
  $('#logout').hidden = false;
  $('#tabs').hidden = false;
  for (const b of document.querySelectorAll('#tabs button')) {
    const t = b.dataset.tab;
    b.hidden = (t === 'whatif' && !me.may_whatif) || (t === 'reports' && !me.may_report);
  }
  show('overview');
}

function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.me = null;
  if (state.map) { state.map.remove(); state.map = null; }
  $('#who').textContent = '';
  $('#logout').hidden = true;
  $('#tabs').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
  view();
}

function show(tab, arg) {
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  if (state.map) { state.map.remove(); state.map = null; }
  const pages = {overview: showOverview, needs: showNeeds, need: showNeed, units: showUnits, unit: showUnit,
    map: showMap, whatif: showWhatIf, reports: showReports};
  view(el('p', {class: 'note'}, '正在读取……'));
  pages[tab](arg).catch((err) => view(failure(err)));
}

const streetName = (id) => (state.streets.find((s) => s.id === id) || {}).name || id;
const communityName = (id) => (state.communities.find((c) => c.id === id) || {}).name || id;
const statusZh = (s) => (state.me.statuses[s] || s);
const urgencyZh = (u) => (state.me.urgencies[u] || u);

// -- 总览 -------------------------------------------------------------------------------------
async function showOverview() {
  const me = state.me;
  const [ov, figures] = await Promise.all([api('/overview'), me.whole ? api('/figures') : Promise.resolve(null)]);
  const parts = [];
  if (figures) {
    parts.push(el('section', {class: 'card'}, el('h2', {}, '文件数字（核对）'),
      el('div', {class: 'figures'}, figures.map((f) => el('div', {class: 'figure'},
        el('b', {}, `${f.value}${f.unit || ''}`), f.label)))));
  }
  if (ov.plan) {
    const p = ov.plan;
    const placeHead = me.whole ? '街道' : '社区';
    const bar = (r) => el('td', {}, el('span', {class: 'bar', style: `width:${Math.round(120 * r.met / (r.needs || 1))}px`}),
      el('span', {class: 'bar rest', style: `width:${Math.round(120 * r.unmet / (r.needs || 1))}px`}));
    parts.push(el('section', {class: 'card', id: 'overview-plan'}, el('h2', {}, '当前配对方案（即时规划，未写入）'),
      el('div', {class: 'figures'},
        el('div', {class: 'figure'}, el('b', {}, p.needs), '待配对需求'),
        el('div', {class: 'figure'}, el('b', {}, p.met), '全部满足'),
        el('div', {class: 'figure'}, el('b', {}, p.unmet), '未满足（含部分满足）'),
        el('div', {class: 'figure'}, el('b', {}, pct(p.met, p.needs)), '满足率')),
      el('div', {class: 'cols'},
        el('div', {}, el('h3', {}, `各${placeHead}满足情况`),
          table([placeHead, '需求', '满足', '未满足', '缺口（数量）', ''], p.by_place,
            {id: 'place-table', cells: (r) => [r.name, r.needs, r.met, r.unmet, r.short, bar(r)]})),
        el('div', {}, el('h3', {}, '各类别供需缺口'),
          table(['类别', '需求', '满足', '未满足', '缺口（数量）'], p.by_category,
            {id: 'category-table', cells: (r) => [r.name, r.needs, r.met, r.unmet, r.short]}),
          el('h3', {}, '未满足原因'),
          table(['原因', '需求数'], Object.entries(p.unmet_reasons), {cells: ([k, n]) => [REASONS[k] || k, n]})))));
  }
  parts.push(el('section', {class: 'card', id: 'overview-overdue'}, el('h2', {}, `逾期未办结（督办）：${ov.overdue_total} 项`),
    ov.overdue_total > ov.overdue.length ? el('p', {class: 'note'}, `只列前 ${ov.overdue.length} 项，全部请到「需求」勾选“只看逾期”。`) : null,
    needTable(ov.overdue)));
  view(parts);
}

function needTable(items) {
  return table(['编号', '名称', '类别', '数量', '紧急程度', '状态', '社区', '办理期限', '逾期'], items, {
    id: 'need-table',
    rowAttrs: (n) => ({'data-need': n.id}),
    onRow: (n) => show('need', n.id),
    cells: (n) => [n.id, n.title, n.category, n.quantity, urgencyZh(n.urgency), statusZh(n.status),
      communityName(n.community), n.due_on, n.overdue ? '是' : ''],
  });
}

// -- 需求 -------------------------------------------------------------------------------------
async function showNeeds() {
  const me = state.me;
  const f = state.needFilters;
  const community = select('community', [['', '全部社区'], ...state.communities
    .filter((c) => !f.street || c.street === f.street).map((c) => [c.id, c.name])], f.community || '');
  const street = select('street', [['', '全部街道'], ...state.streets.map((s) => [s.id, s.name])], f.street || '',
    {onchange: () => {  // the communities offered follow the street chosen
      community.replaceChildren(...[['', '全部社区'], ...state.communities
        .filter((c) => !street.value || c.street === street.value).map((c) => [c.id, c.name])]
        .map(([v, label]) => el('option', {value: v}, label)));
    }});
  const status = select('status', [['', '全部状态'], ...Object.entries(me.statuses)], f.status || '');
  const category = select('category', [['', '全部类别'], ...me.categories.map((c) => [c, c])], f.category || '');
  const urgency = select('urgency', [['', '全部'], ...Object.entries(me.urgencies)], f.urgency || '');
  const q = el('input', {name: 'q', type: 'search', value: f.q || '', placeholder: '如：托育、助餐', maxlength: 40});
  const overdue = el('input', {name: 'overdue', type: 'checkbox', checked: !!f.overdue});
  const read = () => ({street: street.value, community: community.value, status: status.value,
    category: category.value, urgency: urgency.value, q: q.value.trim(), overdue: overdue.checked});
  const form = el('form', {class: 'filters', id: 'need-filters', onsubmit: (e) => {
    e.preventDefault(); state.needFilters = read(); state.needPage = 1; show('needs');
  }},
  el('label', {}, '街道', street), el('label', {}, '社区', community), el('label', {}, '状态', status),
  el('label', {}, '类别', category), el('label', {}, '紧急程度', urgency), el('label', {}, '名称包含', q),
  el('label', {}, '只看逾期', overdue), el('button', {type: 'submit'}, '查询'));
  const pageSize = 50;
  const res = await api(`/needs${qs({...f, page: state.needPage, page_size: pageSize})}`);
  const pages = Math.max(1, Math.ceil(res.total / pageSize));
  const pager = el('div', {class: 'pager'},
    el('button', {type: 'button', disabled: state.needPage <= 1, onclick: () => { state.needPage -= 1; show('needs'); }}, '上一页'),
    `第 ${state.needPage} / ${pages} 页，共 ${res.total} 项`,
    el('button', {type: 'button', disabled: state.needPage >= pages, onclick: () => { state.needPage += 1; show('needs'); }}, '下一页'));
  view(el('section', {class: 'card'}, el('h2', {}, '需求'), form),
    el('section', {class: 'card'}, el('p', {id: 'need-count'}, `符合条件的需求：${res.total} 项`), needTable(res.items), pager));
}

// the path as a picture: one box per node, the relationship on the arrow between two boxes
function pathPicture(steps) {
  const NS = 'http://www.w3.org/2000/svg';
  const me = state.me;
  const textWidth = (t) => [...t].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 14 : 8), 0);
  const boxes = steps.map((s) => {
    const kind = me.labels[s.label] || s.label;
    const name = s.name || s.id;
    return {kind, name, w: Math.max(textWidth(kind), textWidth(name)) + 24};
  });
  const gap = 110;
  const width = boxes.reduce((w, b) => w + b.w, 0) + gap * Math.max(0, boxes.length - 1) + 20;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', '96');
  svg.setAttribute('viewBox', `0 0 ${width} 96`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'path-svg');
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    svg.append(n);
    return n;
  };
  const title = document.createElementNS(NS, 'title');
  title.textContent = steps.map((s) => s.name || s.id).join(' — ');
  svg.append(title);
  let x = 10;
  boxes.forEach((b, i) => {
    const first = i === 0;
    const last = i === boxes.length - 1;
    add('rect', {x, y: 24, width: b.w, height: 52, rx: 8,
      fill: first ? '#fdecea' : last ? '#e8f1fb' : '#fff', stroke: first ? '#8b1a1a' : last ? '#1f5fa8' : '#999'});
    add('text', {x: x + b.w / 2, y: 44, 'text-anchor': 'middle', 'font-size': 12, fill: '#666'}, b.kind);
    add('text', {x: x + b.w / 2, y: 64, 'text-anchor': 'middle', 'font-size': 14, fill: '#222'}, b.name);
    if (!last) {
      const s = steps[i];
      const x1 = x + b.w + 4;
      const x2 = x + b.w + gap - 4;
      add('line', {x1, y1: 50, x2, y2: 50, stroke: '#8b1a1a', 'stroke-width': 2});
      const tip = s.forward === false ? x1 : x2;
      const dir = s.forward === false ? 1 : -1;
      add('path', {d: `M${tip},50 l${8 * dir},-5 l0,10 z`, fill: '#8b1a1a'});
      add('text', {x: (x1 + x2) / 2, y: 42, 'text-anchor': 'middle', 'font-size': 12, fill: '#8b1a1a'},
        me.relationships[s.rel] || s.rel || '');
    }
    x += b.w + gap;
  });
  return svg;
}

async function showNeed(id) {
  const me = state.me;
  const [n, m] = await Promise.all([api(`/needs/${encodeURIComponent(id)}`),
    api(`/needs/${encodeURIComponent(id)}/matches${qs({top: 5})}`)]);
  const info = table(['项目', '内容'], [
    ['类别', `${dash(n.category)}${n.subtype ? ` · ${n.subtype}` : ''}`], ['数量', n.quantity],
    ['紧急程度', urgencyZh(n.urgency)], ['状态', statusZh(n.status)],
    ['提出于', `${dash(n.raised_at_name)}（${dash(n.community_name)}，${dash(n.street_name)}）`],
    ['提出日期', n.raised_on], ['办理期限', `${dash(n.due_on)}${n.overdue ? '（已逾期）' : ''}`],
    ['办结报告', n.report]], {cells: (r) => r});
  const picture = el('div', {class: 'path-picture', id: 'path-picture'});
  const pathText = el('p', {class: 'note', id: 'path-text'});
  const draw = (c) => {
    picture.replaceChildren(pathPicture(c.path));
    pathText.textContent = `${c.unit_name}「${c.resource_title}」，相距 ${c.hops} 跳${c.distance_km != null ? `、约 ${c.distance_km} 公里` : ''}；${c.fit ? c.fit.basis : ''}`;
  };
  const candidates = m.candidates || [];
  const cands = candidates.length ? table(['单位', '资源', '类别', '跳数', '距离（公里）', '余量', '相符依据'], candidates, {
    id: 'match-table',
    onRow: (c) => { draw(c); resSel.value = c.resource_id; },
    cells: (c) => [c.unit_name, c.resource_title, c.category, c.hops, c.distance_km, c.remaining, c.fit ? c.fit.basis : ''],
  }) : el('p', {class: 'note', id: 'no-match'}, m.reason || (m.report ? `已办结：${m.report}` : '没有可办单位'));
  if (candidates.length) draw(candidates[0]);
  const resSel = select('resource_id', candidates.map((c) => [c.resource_id, `${c.unit_name} · ${c.resource_title}（余 ${c.remaining}）`]),
    candidates.length ? candidates[0].resource_id : '', {id: 'dispatch-resource'});
  const allowed = n.actions.filter((a) => me.actions.includes(a));
  const act = async (action, body, done) => {
    try {
      await api(`/needs/${encodeURIComponent(id)}/${action}`, {method: 'POST', body});
      say(`${ACTION_ZH[action]}成功：${id} ${done || ''}`);
      show('need', id);
    } catch (err) { $('#action-error').textContent = err.message; }
  };
  const actions = [];
  if (allowed.includes('accept')) actions.push(el('button', {type: 'button', class: 'primary', id: 'do-accept', onclick: () => act('accept', {})}, '接单'));
  if (allowed.includes('dispatch') && candidates.length) {
    const qty = el('input', {type: 'number', min: 1, value: n.quantity || 1, id: 'dispatch-quantity', style: 'width:5em'});
    actions.push(el('span', {}, '派给 ', resSel, ' 数量 ', qty, ' ',
      el('button', {type: 'button', class: 'primary', id: 'do-dispatch', onclick: () =>
        act('dispatch', {resource_id: resSel.value, quantity: Number(qty.value)}, `→ ${resSel.selectedOptions[0].textContent}`)}, '派单')));
  }
  if (allowed.includes('escalate')) {
    const note = el('input', {type: 'text', placeholder: '吹哨说明（可不填）', maxlength: 500, id: 'escalate-note'});
    actions.push(el('span', {}, note, ' ', el('button', {type: 'button', id: 'do-escalate', onclick: () =>
      act('escalate', note.value.trim() ? {note: note.value.trim()} : {})}, '吹哨')));
  }
  if (allowed.includes('answer')) {
    const note = el('input', {type: 'text', placeholder: '报到说明（可不填）', maxlength: 500});
    const unit = me.department ? null : select('unit_id', (n.called || []).map((u) => [u, u]), (n.called || [])[0] || '');
    const unitInput = me.department || (n.called || []).length ? null : el('input', {type: 'text', placeholder: '报到部门编号', size: 8});
    actions.push(el('span', {}, unit, unitInput, note, ' ', el('button', {type: 'button', id: 'do-answer', onclick: () => {
      const body = note.value.trim() ? {note: note.value.trim()} : {};
      const u = unit ? unit.value : unitInput ? unitInput.value.trim() : '';
      act('answer', u ? {...body, unit_id: u} : body);
    }}, '报到')));
  }
  if (allowed.includes('complete')) {
    const report = el('input', {type: 'text', placeholder: '办结报告（必填）', size: 40, maxlength: 4000, id: 'complete-report'});
    const ev = select('evaluation', [['', '评价（可不填）'], ...Object.values(me.evaluations).map((e) => [e, e])], '');
    actions.push(el('span', {}, report, ' ', ev, ' ', el('button', {type: 'button', class: 'primary', id: 'do-complete', onclick: () => {
      if (!report.value.trim()) { $('#action-error').textContent = '请填写办结报告'; return; }
      act('complete', ev.value ? {report: report.value.trim(), evaluation: ev.value} : {report: report.value.trim()});
    }}, '办结')));
  }
  const history = table(['时间', '操作', '办理人', '状态'], n.history || [], {
    cells: (h) => [h.at, ACTION_ZH[h.action] || h.action, h.by, `${statusZh(h.from || '') || ''} → ${statusZh(h.to || '')}`]});
  view(el('p', {}, el('button', {type: 'button', onclick: () => show('needs')}, '← 返回需求列表')),
    el('section', {class: 'card', id: 'need-detail', 'data-status': n.status},
      el('h2', {}, `${n.id} ${dash(n.title)}`), info,
      el('h3', {}, '可办操作'),
      allowed.length ? el('div', {class: 'actions', id: 'need-actions'}, actions)
        : el('p', {class: 'note'}, `当前状态（${statusZh(n.status)}）下，本令牌没有可办的操作。`),
      el('p', {class: 'error', id: 'action-error', role: 'alert'})),
    el('section', {class: 'card'}, el('h2', {}, '最近的可办单位'), cands,
      candidates.length ? el('div', {}, el('h3', {}, '配对路径'), picture, pathText) : null),
    el('section', {class: 'card'}, el('h2', {}, '流转记录'), history));
}

// -- 单位 -------------------------------------------------------------------------------------
async function showUnits(text) {
  const q = el('input', {type: 'search', name: 'q', value: text || '', placeholder: '单位名称，如：医院', maxlength: 40});
  const form = el('form', {class: 'filters', id: 'unit-search', onsubmit: (e) => { e.preventDefault(); show('units', q.value.trim()); }},
    el('label', {}, '单位名称', q), el('button', {type: 'submit'}, '检索'));
  const rows = await api(`/units${qs({q: text})}`);
  view(el('section', {class: 'card'}, el('h2', {}, '单位'), form),
    el('section', {class: 'card'}, el('p', {}, `共 ${rows.length} 个单位`),
      table(['编号', '名称', '类型', '区直部门', '驻区单位', '所在街道', '资源数', '资源总量'], rows, {
        id: 'unit-table', rowAttrs: (u) => ({'data-unit': u.id}), onRow: (u) => show('unit', u.id),
        cells: (u) => [u.id, u.name, u.kind, u.department ? '是' : '', u.resident ? '是' : '', streetName(u.street), u.resources, u.capacity],
      })));
}

async function showUnit(id) {
  const [u, reach] = await Promise.all([api(`/units/${encodeURIComponent(id)}`),
    api(`/units/${encodeURIComponent(id)}/needs${qs({top: 10})}`)]);
  const loadBar = (r) => el('td', {}, el('span', {class: 'bar', style: `width:${Math.round(120 * r.used / (r.capacity || 1))}px`}),
    el('span', {class: 'bar rest', style: `width:${Math.round(120 * r.remaining / (r.capacity || 1))}px`}));
  const list = (title, rows, heads, cells) => el('div', {}, el('h3', {}, `${title}（${rows.length}）`), table(heads, rows, {cells}));
  view(el('p', {}, el('button', {type: 'button', onclick: () => show('units')}, '← 返回单位列表')),
    el('section', {class: 'card', id: 'unit-detail'}, el('h2', {}, `${u.id} ${dash(u.name)}`),
      el('p', {}, `${dash(u.kind)}${u.department ? ' · 区直部门' : ''}${u.resident ? ' · 驻区单位' : ''}`),
      el('h3', {}, '资源负荷（已派单 / 余量）'),
      table(['资源', '类别', '数量', '已派单', '余量', ''], u.load, {cells: (r) => [r.title, r.category, r.capacity, r.used, r.remaining, loadBar(r)]}),
      el('div', {class: 'cols'},
        list('共驻共建协议书', u.agreements, ['编号', '签约社区', '签订日期'], (r) => [r.id, r.community, r.signed_on]),
        list('资源清单', u.resources, ['编号', '名称', '类别', '数量'], (r) => [r.id, r.title, r.category, r.quantity]),
        list('项目清单', u.projects, ['编号', '名称', '状态', '社区'], (r) => [r.id, r.title, r.status, r.community]),
        list('需求清单', u.needs, ['编号', '名称', '类别', '状态', '社区'], (r) => [r.id, r.title, r.category, statusZh(r.status), r.community]))),
    el('section', {class: 'card'}, el('h2', {}, `本单位可满足的待办需求（共 ${reach.total} 项，最近的 ${reach.needs.length} 项）`),
      table(['需求', '名称', '社区', '紧急程度', '使用资源', '跳数'], reach.needs, {
        onRow: (r) => show('need', r.need_id),
        cells: (r) => [r.need_id, r.need_title, communityName(r.community), urgencyZh(r.urgency), r.resource_title, r.hops]})));
}

// -- 地图 -------------------------------------------------------------------------------------
function hull(points) {  // convex hull (monotone chain) of [lat, lon] points
  const pts = [...points].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  if (pts.length < 3) return pts;
  const cross = (o, a, b) => (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1]);
  const lower = [];
  for (const p of pts) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop(); lower.push(p); }
  const upper = [];
  for (const p of pts.reverse()) { while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop(); upper.push(p); }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

async function showMap() {
  const [grids, units, stations] = await Promise.all([api('/grids'), api('/units'), api('/stations')]);
  const color = Object.fromEntries(state.streets.map((s, i) => [s.id, PALETTE[i % PALETTE.length]]));
  const commStreet = Object.fromEntries(state.communities.map((c) => [c.id, c.street]));
  const box = el('div', {id: 'map'});
  const legend = el('p', {class: 'legend'}, state.streets.map((s) => el('span', {}, el('span', {class: 'dot', style: `background:${color[s.id]}`}), s.name)),
    el('span', {}, '小圆点：网格（按街道着色）'),
    el('span', {}, el('span', {class: 'dot', style: 'background:#1a237e'}), '区直部门'),
    el('span', {}, el('span', {class: 'dot', style: 'background:#ef6c00'}), '驻区单位'),
    el('span', {}, el('span', {class: 'dot', style: 'background:#fff;border:3px solid #2e7d32;width:8px;height:8px'}), '驿站（画在所在社区网格的中心）'));
  view(el('section', {class: 'card'}, el('h2', {}, '地图：网格、单位与驿站'),
    el('p', {class: 'note'}, '按清单中的经纬度绘制，不需要地图服务；街道范围为其网格的外包多边形。'), legend, box));
  const map = L.map(box, {attributionControl: false, zoomSnap: 0.25, preferCanvas: false});
  state.map = map;
  const placed = grids.filter((g) => g.lat != null && g.lon != null);
  const byStreet = {};
  const byCommunity = {};
  for (const g of placed) {
    (byStreet[commStreet[g.community]] ||= []).push([g.lat, g.lon]);
    (byCommunity[g.community] ||= []).push([g.lat, g.lon]);
  }
  const areas = L.layerGroup(Object.entries(byStreet).map(([sid, pts]) =>
    L.polygon(hull(pts), {color: color[sid] || '#999', weight: 1, fillOpacity: 0.08})
      .bindTooltip(streetName(sid), {sticky: true}))).addTo(map);
  const gridLayer = L.layerGroup(placed.map((g) => L.circleMarker([g.lat, g.lon],
    {radius: 4, color: color[commStreet[g.community]] || '#999', weight: 1, fillOpacity: 0.5})
    .bindTooltip(`${g.name}（${communityName(g.community)}）`))).addTo(map);
  // the units: small squares (~40 m), dark for district departments
  const unitLayer = L.layerGroup().addTo(map);
  for (const u of units.filter((x) => x.lat != null && x.lon != null)) {
    L.circleMarker([u.lat, u.lon], {radius: 5, color: '#fff', weight: 1.5, fillColor: u.department ? '#1a237e' : '#ef6c00', fillOpacity: 1})
      .bindTooltip(`${u.name}${u.department ? '（区直部门）' : '（驻区单位）'}：${u.resources} 项资源`).addTo(unitLayer);
  }
  const stationLayer = L.layerGroup();
  stations.forEach((s, i) => {
    const pts = byCommunity[s.community];
    if (!pts) return;
    const lat = pts.reduce((a, p) => a + p[0], 0) / pts.length + 0.0006 * ((i % 3) - 1);
    const lon = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    L.circleMarker([lat, lon], {radius: 7, color: '#2e7d32', weight: 3, fillColor: '#fff', fillOpacity: 1})
      .bindTooltip(`${s.name}（${s.kind}）：${(s.services || []).join('、')}`).addTo(stationLayer);
  });
  stationLayer.addTo(map);
  L.control.layers(null, {'街道范围': areas, '网格': gridLayer, '单位': unitLayer, '驿站': stationLayer}, {collapsed: false}).addTo(map);
  L.control.scale({imperial: false}).addTo(map);
  const all = placed.map((g) => [g.lat, g.lon]).concat(units.filter((u) => u.lat != null).map((u) => [u.lat, u.lon]));
  if (all.length) map.fitBounds(L.latLngBounds(all).pad(0.05));
  else map.setView([39.2, 106.8], 12);
  box.dataset.grids = String(placed.length);
  box.dataset.units = String(units.length);
  box.dataset.stations = String(stations.length);
}

// -- 推演 -------------------------------------------------------------------------------------
async function showWhatIf() {
  const me = state.me;
  const units = await api('/units');
  const filter = el('input', {type: 'search', placeholder: '筛选单位名称', id: 'withdraw-filter'});
  const pick = el('div', {class: 'pick', id: 'withdraw-pick'}, units.map((u) =>
    el('label', {'data-name': u.name || ''}, el('input', {type: 'checkbox', value: u.id, name: 'withdraw'}), ` ${u.id} ${dash(u.name)}`)));
  filter.addEventListener('input', () => {
    for (const l of pick.querySelectorAll('label')) l.hidden = !l.dataset.name.includes(filter.value.trim());
  });
  const capRows = el('div', {id: 'capacity-rows'});
  const surgeRows = el('div', {id: 'surge-rows'});
  const addCap = () => capRows.append(el('div', {}, el('input', {type: 'text', placeholder: '资源编号，如 R0027', class: 'cap-id', size: 12}),
    ' 容量改为 ', el('input', {type: 'number', min: 0, class: 'cap-n', style: 'width:6em'})));
  const addSurge = () => surgeRows.append(el('div', {}, select('surge-category', me.categories.map((c) => [c, c]), me.categories[0], {class: 'surge-cat'}),
    ' 需求乘以 ', el('input', {type: 'number', min: 0.1, step: 0.1, value: 2, class: 'surge-f', style: 'width:6em'})));
  const out = el('div', {id: 'whatif-result'});
  const run = async (e) => {
    e.preventDefault();
    const body = {withdraw: [...pick.querySelectorAll('input:checked')].map((i) => i.value), capacity: {}, surge: {}};
    for (const r of capRows.children) {
      const rid = r.querySelector('.cap-id').value.trim();
      const n = r.querySelector('.cap-n').value;
      if (rid && n !== '') body.capacity[rid] = Number(n);
    }
    for (const r of surgeRows.children) body.surge[r.querySelector('.surge-cat').value] = Number(r.querySelector('.surge-f').value);
    out.replaceChildren(el('p', {class: 'note'}, '正在推演……'));
    try {
      out.replaceChildren(...whatIfResult(await api('/whatif', {method: 'POST', body})));
    } catch (err) { out.replaceChildren(failure(err)); }
  };
  view(el('section', {class: 'card'}, el('h2', {}, '推演：如果……会怎样'),
    el('p', {class: 'note'}, '在当前数据上重新规划，不写入任何数据，并与当前方案比较。'),
    el('form', {id: 'whatif-form', onsubmit: run},
      el('h3', {}, '撤出的单位'), filter, pick,
      el('h3', {}, '调整资源容量'), capRows, el('button', {type: 'button', onclick: addCap}, '＋ 资源'),
      el('h3', {}, '需求激增'), surgeRows, el('button', {type: 'button', onclick: addSurge}, '＋ 类别'),
      el('p', {}, el('button', {type: 'submit', id: 'run-whatif'}, '开始推演')))),
  el('section', {class: 'card'}, out));
}

function whatIfResult(w) {
  const totals = (rows, head) => table([head, '需求量（前）', '满足（前）', '需求量（后）', '满足（后）', '满足变化'], rows,
    {cells: (t) => [t.key, t.asked_before, t.met_before, t.asked_after, t.met_after, t.met_after - t.met_before]});
  return [el('h2', {}, '推演结果'),
    el('div', {class: 'figures'},
      el('div', {class: 'figure'}, el('b', {}, w.newly_unmet.length), '新增未满足'),
      el('div', {class: 'figure'}, el('b', {}, w.newly_met.length), '新增满足'),
      el('div', {class: 'figure'}, el('b', {}, w.reassigned.length), '改由其他资源满足')),
    el('h3', {}, '新增未满足的需求'),
    table(['需求', '名称', '未满足数量', '原因'], w.newly_unmet, {id: 'newly-unmet', onRow: (u) => show('need', u.need_id),
      rowAttrs: (u) => ({'data-need': u.need_id}),
      cells: (u) => [u.need_id, u.title, u.quantity, u.reason || REASONS[u.reason_code] || '']}),
    el('h3', {}, '新增满足的需求'), el('p', {id: 'newly-met'}, w.newly_met.length ? w.newly_met.join('、') : '（无）'),
    el('h3', {}, '改派的需求'),
    table(['需求', '原资源', '推演后资源'], w.reassigned, {cells: (r) => [r.need_id, r.before.join('、'), r.after.join('、')]}),
    el('div', {class: 'cols'}, el('div', {}, el('h3', {}, '各街道'), totals(w.by_street, '街道')),
      el('div', {}, el('h3', {}, '各类别'), totals(w.by_category, '类别')))];
}

// -- 报告 -------------------------------------------------------------------------------------
async function showReports() {
  const me = state.me;
  const options = [];
  if (me.whole) options.push(['', '全区']);
  const streetWide = me.whole || (me.scope || '').startsWith('street:');
  if (streetWide) for (const s of state.streets) options.push([`street:${s.id}`, s.name]);
  for (const c of state.communities) options.push([`community:${c.id}`, `${streetName(c.street)} · ${c.name}`]);
  const area = select('area', options, options.length ? options[0][0] : '', {id: 'report-area'});
  const msg = el('p', {class: 'error', id: 'report-error', role: 'alert'});
  const done = el('p', {class: 'note', id: 'report-done'});
  const download = async (kind) => {
    msg.textContent = '';
    done.textContent = '正在生成报告……';
    const [k, v] = area.value ? area.value.split(':') : [null, null];
    try {
      const r = await api(`/reports/pairing.${kind}${qs(k ? {[k]: v} : {})}`, {raw: true});
      const blob = await r.blob();
      const cd = r.headers.get('Content-Disposition') || '';
      const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
      const plain = /filename="?([^";]+)"?/i.exec(cd);
      const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : `pairing-report.${kind}`;
      const url = URL.createObjectURL(blob);
      const a = el('a', {href: url, download: name});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      done.textContent = `已下载：${name}`;
    } catch (err) { done.textContent = ''; msg.textContent = err.message; }
  };
  view(el('section', {class: 'card'}, el('h2', {}, '配对报告'),
    el('p', {class: 'note'}, '按当前数据即时规划全区，报告只列所选范围的需求。'),
    el('div', {class: 'actions'}, el('label', {}, '范围 ', area),
      el('button', {type: 'button', class: 'primary', id: 'download-xlsx', onclick: () => download('xlsx')}, '下载 Excel'),
      el('button', {type: 'button', id: 'download-html', onclick: () => download('html')}, '下载网页版')),
    msg, done));
}

// -- start -----------------------------------------------------------------------------------
document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('#login-error').textContent = '';
    const token = $('#token').value.trim();
    $('#token').value = '';
    try { await login(token); } catch (err) { $('#login-error').textContent = `登录失败：${err.message}`; }
  });
  $('#logout').addEventListener('click', () => logout('已退出登录。'));
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => show(b.dataset.tab));
  const kept = sessionStorage.getItem(TOKEN_KEY);
  if (kept) login(kept).catch((err) => logout(`登录失败：${err.message}`));
});
