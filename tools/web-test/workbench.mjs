// Drives the orglink workbench in Debian's Chromium (playwright-core, no downloaded browser) as a
// planner would, taking a screenshot of each view. Called by tests/web/test_workbench_browser.py:
//   node workbench.mjs CONFIG.json RESULT.json
// CONFIG: {base, chromium, shots, downloads, district, street, need, withdraw}. Every request to a
// host other than the server is refused and recorded (the page must work offline). RESULT: what
// the page showed, for the test to compare with the API.
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf-8'));
const out = {external: [], consoleErrors: [], pageErrors: [], shots: []};
const base = new URL(cfg.base);

const browser = await chromium.launch({executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu']});
const context = await browser.newContext({viewport: {width: 1400, height: 900}, locale: 'zh-CN', acceptDownloads: true});
await context.route('**/*', (route) => {
  const url = new URL(route.request().url());
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.host === base.host) return route.continue();
  out.external.push(url.href);
  return route.abort();
});
const page = await context.newPage();
page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(`${page.url()} ${m.text()}`); });
page.on('pageerror', (e) => out.pageErrors.push(String(e)));

async function shot(name, fullPage = true) {
  const path = join(cfg.shots, `${name}.png`);
  await page.screenshot({path, fullPage});
  out.shots.push(path);
}

async function login(token) {
  await page.goto(new URL('/', base).href);
  await page.fill('#token', token);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#overview-overdue');
}

async function tab(name) {
  await page.click(`#tabs button[data-tab=${name}]`);
}

try {
  // login page, then the district's overview
  await page.goto(new URL('/', base).href);
  await shot('01-login');
  await page.fill('#token', 'not-a-token');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
  out.badLogin = await page.textContent('#login-error');
  await login(cfg.district);
  out.tokenInUrl = page.url().includes(cfg.district);
  out.tokenInStorage = await page.evaluate(() => sessionStorage.getItem('orglink-token') !== null);
  out.tokenInLocalStorage = await page.evaluate(() => Object.keys(localStorage).length);
  out.who = await page.textContent('#who');
  out.overviewPlaces = await page.$$eval('#place-table tbody tr', (rows) => rows.length);
  await shot('02-overview-district');

  // needs: filter by street, status and a word of the title, then open the need
  await tab('needs');
  await page.waitForSelector('#need-filters');
  await page.selectOption('#need-filters select[name=street]', cfg.need.street);
  await page.waitForSelector('#need-filters');
  await page.waitForFunction((s) => document.querySelector('#need-filters select[name=street]')?.value === s, cfg.need.street);
  await page.selectOption('#need-filters select[name=status]', 'ordered');
  await page.fill('#need-filters input[name=q]', cfg.need.word);
  await page.click('#need-filters button[type=submit]');
  await page.waitForFunction((w) => {
    const rows = [...document.querySelectorAll('#need-table tbody tr[data-need]')];
    return document.querySelector('#need-filters input[name=q]')?.value === w && rows.length > 0;
  }, cfg.need.word);
  out.filteredNeeds = await page.$$eval('#need-table tbody tr[data-need]', (rows) => rows.map((r) => r.dataset.need));
  out.needCount = await page.textContent('#need-count');
  await shot('03-needs-filtered');
  await page.click(`#need-table tr[data-need="${cfg.need.id}"]`);
  await page.waitForSelector('#path-picture svg');
  out.pathBoxes = await page.$$eval('#path-picture svg rect', (r) => r.length);
  out.pathTexts = await page.$$eval('#path-picture svg text', (t) => t.map((x) => x.textContent));
  out.matchRows = await page.$$eval('#match-table tbody tr', (r) => r.length);
  out.actionsBefore = await page.$$eval('#need-actions button', (b) => b.map((x) => x.textContent));
  await shot('04-need-path');

  // 接单, then 派单 to the resource chosen in the list
  await page.click('#do-accept');
  await page.waitForSelector('#need-detail[data-status=accepted]');
  out.dispatchChoice = await page.$eval('#dispatch-resource', (s) => s.value);
  await page.click('#do-dispatch');
  await page.waitForSelector('#need-detail[data-status=dispatched]');
  out.actionsAfter = await page.$$eval('#need-actions button', (b) => b.map((x) => x.textContent));
  await shot('05-need-dispatched');

  // units: search by name, open one
  await tab('units');
  await page.waitForSelector('#unit-search');
  await page.fill('#unit-search input[name=q]', cfg.unitWord);
  await page.click('#unit-search button[type=submit]');
  await page.waitForFunction((w) => document.querySelector('#unit-search input[name=q]')?.value === w
    && document.querySelectorAll('#unit-table tbody tr[data-unit]').length > 0, cfg.unitWord);
  out.units = await page.$$eval('#unit-table tbody tr[data-unit]', (rows) => rows.map((r) => r.dataset.unit));
  await page.click('#unit-table tbody tr[data-unit]');
  await page.waitForSelector('#unit-detail');
  await shot('06-unit');

  // map: points and street areas drawn from the data, no tile server
  await tab('map');
  await page.waitForSelector('#map .leaflet-interactive');
  await page.waitForTimeout(300);
  out.mapShapes = await page.$$eval('#map .leaflet-interactive', (s) => s.length);
  out.mapData = await page.$eval('#map', (m) => ({...m.dataset}));
  await shot('07-map');

  // what-if: withdraw a unit, see the needs it leaves unmet
  await tab('whatif');
  await page.waitForSelector('#whatif-form');
  for (const u of cfg.withdraw) await page.check(`#withdraw-pick input[value="${u}"]`);
  await page.click('#run-whatif');
  await page.waitForSelector('#whatif-result h2');
  out.newlyUnmet = await page.$$eval('#newly-unmet tbody tr[data-need]', (rows) => rows.map((r) => r.dataset.need));
  await shot('08-whatif');

  // the district's report page
  await tab('reports');
  await page.waitForSelector('#report-area');
  out.districtAreas = await page.$$eval('#report-area option', (o) => o.map((x) => x.value));
  await shot('09-reports-district');

  // a street token: its own area only, and its street's report
  await page.click('#logout');
  await login(cfg.street);
  out.streetWho = await page.textContent('#who');
  out.streetTabs = await page.$$eval('#tabs button', (b) => b.filter((x) => !x.hidden).map((x) => x.dataset.tab));
  out.streetPlaces = await page.$$eval('#place-table tbody tr td:first-child', (c) => c.map((x) => x.textContent));
  await shot('10-overview-street');
  await tab('reports');
  await page.waitForSelector('#report-area');
  out.streetAreas = await page.$$eval('#report-area option', (o) => o.map((x) => x.value));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
  out.downloadName = download.suggestedFilename();
  out.downloadPath = join(cfg.downloads, out.downloadName);
  await download.saveAs(out.downloadPath);
  await page.waitForFunction(() => document.querySelector('#report-done').textContent.startsWith('已下载'));
  out.reportError = await page.textContent('#report-error');
  await shot('11-report-street');

  // the API docs, offline
  await page.goto(new URL('/docs', base).href);
  await page.waitForSelector('.swagger-ui .info .title');
  out.docsTitle = await page.textContent('.swagger-ui .info .title');
  await shot('12-docs', false);
  await page.goto(new URL('/redoc', base).href);
  await page.waitForSelector('.api-content h1, [data-role="redoc-summary"], h1');
  out.redocHeading = await page.textContent('h1');
  await shot('13-redoc', false);
} catch (err) {
  out.failure = String(err && err.stack ? err.stack : err);
  try { await shot('99-failure'); } catch (e) { /* the page is gone */ }
} finally {
  await browser.close();
  writeFileSync(process.argv[3], JSON.stringify(out, null, 2));
}
