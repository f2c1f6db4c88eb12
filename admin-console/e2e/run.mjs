// Browser end-to-end tests of the admin console against the running fleet, through the gateway
// (deploy/local/platform.sh test runs them after the Java end-to-end suite). playwright-core
// drives Debian's chromium; users ROLE-UID are created by `platform.sh token` like the Java suite's.
// No retries and no fixed sleeps: every wait is for something the page shows, with a deadline.
import { chromium } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const GATEWAY = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080';
const HOME = process.env.MARKETOPS_HOME ?? join(REPO, '.local');
const SHOTS = process.env.CONSOLE_SCREENSHOTS; // a directory: write the docs' screenshots there
// Deadlines, not delays: generous because the fleet shares two cores with whatever else runs.
const WAIT = 60_000;
const password = readFileSync(join(HOME, 'keycloak/secrets.env'), 'utf8').match(/^SAMPLE_USER_PASSWORD=(.*)$/m)[1];

/** A token of user ROLE-UID, created on first use (the same path the Java suite takes). */
function token(role, uid) {
  return execFileSync(join(REPO, 'deploy/local/platform.sh'), ['token', role, String(uid)], { encoding: 'utf8' }).trim();
}

async function apiCall(tok, method, path, body, headers = {}) {
  const res = await fetch(`${GATEWAY}/api${path}`, {
    method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text;
}
// Ids are read as digit strings from the raw text: JSON.parse would round them.
const idIn = (text, field) => text.match(new RegExp(`"${field}":"?(\\d+)`))[1];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

async function loggedIn(role, uid) {
  token(role, uid); // makes sure the user exists
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(`${GATEWAY}/`);
  await page.locator('#username').fill(`${role}-${uid}`);
  await page.locator('#password').fill(password);
  await page.locator('#kc-login').click();
  await page.getByTestId('user-name').filter({ hasText: `${role}-${uid}` }).waitFor();
  return { context, page };
}
const menu = async (page) => (await page.locator('nav[aria-label="menu"] a').allInnerTexts()).map((s) => s.trim());
function check(cond, msg) { if (!cond) throw new Error(msg); }
const shot = async (page, name) => { if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `${name}.png`) }); } };

/** On a failure: a screenshot and the page's address, named in the report. */
async function evidence(page, e) {
  const dir = join(HERE, '../test-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `failure-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => null);
  e.evidence = `page: ${page.url()}\n     screenshot: ${file}`;
  return e;
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
/** A test whose service is not deployed yet on this fleet says so and is counted as skipped, not passed. */
class Skip extends Error {}

/** The rows of an .xlsx's first sheet as text (shared strings, inline strings and numbers), read with fflate. */
function xlsxRows(buffer) {
  const files = unzipSync(new Uint8Array(buffer));
  const xml = (name) => (files[name] ? strFromU8(files[name]) : '');
  const unescape = (t) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const texts = (x) => [...x.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => unescape(m[1])).join('');
  const shared = [...xml('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]));
  const sheet = Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort()[0];
  const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...xml(sheet).matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)].map((r) => {
    const row = [];
    for (const c of r[1].matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const ref = /r="([A-Z]+\d+)"/.exec(c[1])?.[1];
      const type = /t="(\w+)"/.exec(c[1])?.[1];
      const body = c[2] ?? '';
      const v = /<v>([^<]*)<\/v>/.exec(body)?.[1];
      const value = type === 's' ? shared[Number(v)] : type === 'inlineStr' ? texts(body) : v === undefined ? '' : unescape(v);
      row[ref ? col(ref) : row.length] = value;
    }
    return Array.from(row, (x) => x ?? '');
  });
}

const suffix = Date.now().toString(36);
// Users of their own, so the Java suite's users' rate-limit buckets and review claims are not shared.
const OPERATOR = 77, AUDITOR = 88, ADMIN = 66;
let onlineItemId = null; // an item of shop 1001, made online by the operator test

/** An online top-up of SHOP made through the API (operator listings skip audit and go online). */
async function onlineItemOf(shop, key) {
  const op = token('operator', OPERATOR);
  const created = await apiCall(op, 'POST', '/listing/listings', {
    categoryId: 4100, title: `E2E fixture ${shop} ${suffix}`, shopId: shop, sourceType: 'operator_form', sourceUserType: 'operator',
    itemData: { carrier: 'China Mobile', denomination: 50, sale_price: 48 },
  }, { 'Idempotency-Key': `console-e2e-${key}-${suffix}` });
  const taskId = idIn(created, 'taskId');
  await apiCall(op, 'POST', `/listing/listings/${taskId}/actions/submit`, { expectedVersion: 0 });
  const deadline = Date.now() + WAIT;
  for (;;) {
    const raw = await apiCall(op, 'GET', `/listing/listings/${taskId}`);
    if (raw.includes('"statusName":"ONLINE"')) return idIn(raw, 'itemId');
    check(Date.now() < deadline, `fixture listing ${taskId} not ONLINE in time: ${raw.slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 500)); // polling the saga's outcome
  }
}

/** The operator test's online item (shop 1001), or one made through the API when that test was filtered out. */
async function ensureOnlineItem() {
  return (onlineItemId ??= await onlineItemOf(1001, 'fixture'));
}

/** Reloads the page until LOCATOR shows: for what the read side gets from events, a moment later. */
async function untilShown(page, locator, what) {
  const deadline = Date.now() + 2 * WAIT;
  for (;;) {
    try {
      await locator.waitFor({ timeout: 2_000 });
      return;
    } catch {
      check(Date.now() < deadline, `${what} never showed`);
      await page.reload();
    }
  }
}

// Picks a category in a searchable select. The option list is the whole category tree (thousands on a
// test database): while it loads or refreshes, Mantine may close the dropdown and clear the typed text,
// so the pick is tried again until the select shows the choice (bounded).
async function pickCategory(page, text, option) {
  const box = page.getByRole('textbox', { name: 'Category' });
  const deadline = Date.now() + 45_000;
  for (;;) {
    try {
      await box.click();
      await box.fill(text);
      await page.getByRole('option', { name: option }).click({ timeout: 5_000 });
      if ((await box.inputValue()).includes(text)) return;
    } catch (e) {
      check(Date.now() < deadline, `category "${text}" could not be picked: ${e.message.split('\n')[0]}`);
    }
  }
}

test('operator logs in, sees the operator menus, creates and submits a listing through the schema form, sees it ONLINE', async () => {
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    const items = await menu(page);
    check(items.includes('Products') && items.includes('New listing') && items.includes('Batches'), `operator menu: ${items}`);
    check(!items.includes('Review queue'), `operator must not see the review queue: ${items}`);
    await page.getByRole('link', { name: 'New listing' }).click();
    await pickCategory(page, 'Mobile top-up', /Mobile top-up \(4100\)/);
    await page.getByLabel('Title').fill(`E2E top-up ${suffix}`);
    await page.getByLabel('Shop id').fill('1001');
    await page.getByRole('textbox', { name: 'Carrier' }).click();
    await page.getByRole('option', { name: 'China Mobile' }).click();
    await page.getByLabel('Denomination').fill('5000'); // above the rule's max 500: the server says so on the field
    await page.getByLabel('Sale price').fill('48');
    await shot(page, 'listing-form');
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.locator('[data-field="denomination"]').locator('xpath=ancestor::div[contains(@class,"mantine-InputWrapper-root")]')
      .getByText('must be at most 500').waitFor();
    await page.getByLabel('Denomination').fill('50');
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.waitForURL(/\/listings\/\d+$/);
    await page.getByTestId('listing-status').filter({ hasText: 'ONLINE' }).waitFor();
    const taskId = page.url().match(/(\d+)$/)[1];
    // No id precision loss: the id in the page is the id the API wrote, digit for digit.
    const raw = await apiCall(token('operator', OPERATOR), 'GET', `/listing/listings/${taskId}`);
    check(idIn(raw, 'taskId') === taskId, `task id ${taskId} vs API ${idIn(raw, 'taskId')}`);
    onlineItemId = idIn(raw, 'itemId');
    check((await page.getByTestId('item-link').innerText()).trim() === onlineItemId, 'item id differs between page and API');
    await page.getByTestId('history').getByText(/submit/).first().waitFor();
    await page.getByTestId('saga-steps').getByText('create_item').waitFor();
    await shot(page, 'listing-detail');
    // The product list finds it (search is fed by events: wait for it to appear).
    await page.goto(`${GATEWAY}/products?q=${encodeURIComponent(`E2E top-up ${suffix}`)}`);
    await untilShown(page, page.locator(`tr[data-item-id="${onlineItemId}"]`), `item ${onlineItemId} in the product list`);
    // Refresh: an expired access token is renewed with the refresh token, without the login page.
    const key = await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:')));
    const before = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)), key);
    check(before.refresh_token, 'the session holds no refresh token');
    await page.evaluate((k) => {
      const u = JSON.parse(sessionStorage.getItem(k));
      u.expires_at = Math.floor(Date.now() / 1000) - 10;
      sessionStorage.setItem(k, JSON.stringify(u));
    }, key);
    await page.reload();
    await page.locator(`tr[data-item-id="${onlineItemId}"]`).waitFor();
    const after = await page.evaluate((k) => JSON.parse(sessionStorage.getItem(k)), key);
    check(after.access_token !== before.access_token && after.expires_at > Date.now() / 1000, 'access token was not renewed');
    check(page.url().startsWith(GATEWAY), `left the console for ${page.url()}`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#username').waitFor();
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('auditor approves a merchant listing in the review queue', async () => {
  const m = token('merchant', 1001);
  const created = await apiCall(m, 'POST', '/listing/listings', {
    categoryId: 4200, title: `E2E gift card ${suffix}`, sourceType: 'merchant_app', sourceUserType: 'merchant',
    itemData: { face_value: 100, sale_price: 95, card_type: 'generated' },
  }, { 'Idempotency-Key': `console-e2e-${suffix}` });
  const taskId = idIn(created, 'taskId');
  await apiCall(m, 'POST', `/listing/listings/${taskId}/actions/submit`, { expectedVersion: 0 });
  const { context, page } = await loggedIn('auditor', AUDITOR);
  try {
    const items = await menu(page);
    check(items.includes('Review queue') && !items.includes('New listing') && !items.includes('Batches'), `auditor menu: ${items}`);
    await page.getByRole('link', { name: 'Review queue' }).click();
    // The queue holds every open review, oldest first, a page at a time: find this one by its task id.
    await page.getByTestId('review-task-filter').fill(String(taskId));
    const row = page.locator(`tr[data-task-id="${taskId}"]`);
    // The review is queued by the AuditWorker from a Kafka event: reload until it is there.
    await untilShown(page, row, `review of task ${taskId}`);
    await shot(page, 'review-queue');
    await row.getByRole('button', { name: 'Reject' }).click();
    await row.getByText('A rejection needs a comment').waitFor(); // no rejection without a comment
    await row.getByRole('button', { name: 'Claim' }).click();
    await row.getByText(new RegExp(`Claimed by ${AUDITOR}`)).waitFor();
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.waitFor({ state: 'detached' });
    await page.goto(`${GATEWAY}/listings/${taskId}`);
    await page.getByTestId('listing-status').filter({ hasText: /APPROVED|ONLINE/ }).waitFor();
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('operator uploads a price sheet with a bad row and watches the progress to the end, then downloads the result', async () => {
  await ensureOnlineItem();
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    await page.getByRole('link', { name: 'Batches' }).click();
    const template = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download template' }).click();
    const t = await template;
    check(t.suggestedFilename().endsWith('.xlsx') && readFileSync(await t.path()).subarray(0, 2).toString() === 'PK', `template ${t.suggestedFilename()}`);
    const csv = `item_id,mode,value\n${onlineItemId},set,47.5\n999999999999999999,set,10\n`;
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('file').click();
    await (await chooser).setFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/\/batches\/\d+$/);
    const batchUrl = page.url();
    await page.getByTestId('batch-progress').waitFor();
    await page.reload(); // progress survives a refresh: it is the server's state
    await page.getByTestId('batch-status').filter({ hasText: /^(completed|partial_success|failed)$/ }).waitFor({ timeout: 120_000 });
    check(page.url() === batchUrl, 'left the batch page');
    const counts = await page.getByTestId('batch-counts').innerText();
    check(/^100%/.test(counts) && /Succeeded 1/.test(counts) && /Failed 1/.test(counts), `counts: ${counts}`);
    // The bad row is reported with its row number (header is row 1), column and stable code.
    const bad = page.getByTestId('failed-rows').locator('tbody tr');
    await bad.first().waitFor(); // the failed rows load once the batch is finished
    check(await bad.count() === 1, `failed rows: ${await bad.count()}`);
    const cells = (await bad.first().locator('td').allInnerTexts()).map((x) => x.trim());
    check(cells[0] === '3' && cells[1] === 'item_id' && cells[2] === 'NOT_FOUND', `failed row: ${cells}`);
    await shot(page, 'batch-progress');
    const download = page.waitForEvent('download');
    await page.getByTestId('download-result').click();
    const file = await (await download).path();
    check(readFileSync(file).subarray(0, 2).toString() === 'PK', 'result is not an xlsx');
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('operator selects products in the grid and adds a tag to them as a batch', async () => {
  const itemId = await ensureOnlineItem();
  const tag = `bulk-${suffix}`;
  // tags come from the tag table: create this run's tag first (as an admin would)
  await apiCall(token('admin', ADMIN), 'POST', '/config/tags', { code: tag, name: `Bulk ${suffix}`, type: 'recommend', priority: 5 });
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    const row = page.locator(`tr[data-item-id="${itemId}"]`);
    // this run's items only (their titles carry the run's suffix)
    await page.goto(`${GATEWAY}/products?q=${suffix}&shopId=1001`);
    await untilShown(page, row, `item ${itemId} in the product list`);
    await row.getByRole('checkbox', { name: `select ${itemId}` }).check();
    const bar = page.getByTestId('bulk-actions');
    await bar.getByText('1 selected').waitFor();
    await bar.getByRole('textbox', { name: 'Bulk action' }).click();
    await bar.getByRole('option', { name: 'Add tags' }).click();
    await bar.getByRole('textbox', { name: 'Tags' }).fill(tag);
    await bar.getByRole('button', { name: 'Create batch' }).click();
    await page.waitForURL(/\/batches\/\d+$/);
    await page.getByTestId('batch-status').filter({ hasText: /^(completed|partial_success|failed)$/ }).waitFor({ timeout: 120_000 });
    const counts = await page.getByTestId('batch-counts').innerText();
    check(/^100%/.test(counts) && /Succeeded 1/.test(counts), `counts: ${counts}`);
    const batchId = page.url().match(/(\d+)$/)[1];
    const batch = await apiCall(token('operator', OPERATOR), 'GET', `/batch/batches/${batchId}`);
    check(batch.includes('"operationType":"tag_batch_add"'), `batch: ${batch.slice(0, 200)}`);
    // the catalogue carries the tag (the search side follows by event: wait for it there)
    await page.goto(`${GATEWAY}/products?q=${suffix}&shopId=1001&cols=itemId,title,tags`);
    await untilShown(page, row.getByText(tag), `tag ${tag} on item ${itemId}`);
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

/** Polls an API answer until COND holds (the read side follows the catalogue by events), with a deadline. */
async function untilApi(tok, path, cond, what) {
  const deadline = Date.now() + 2 * WAIT;
  for (;;) {
    const raw = await apiCall(tok, 'GET', path);
    if (cond(raw)) return raw;
    check(Date.now() < deadline, `${what}: ${raw.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 500)); // polling the read side, not a timed assert
  }
}

test('operator pastes cells from a spreadsheet into the grid: dry run per cell, confirm, values changed, undo', async () => {
  const itemId = await ensureOnlineItem(); // a top-up: price 48 or what an earlier test set (face value 50), unlimited stock
  const op = token('operator', OPERATOR);
  const before = JSON.parse(await apiCall(op, 'GET', `/search/items/${itemId}`));
  const oldTitle = before.title;
  const cents = before.priceCents, pasted = cents - 250, again = pasted - 100; // within the price guard, below the face value
  const yuan = (c) => (c / 100).toFixed(2);
  const newTitle = `E2E pasted ${suffix}`;
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: GATEWAY });
    const row = page.locator(`tr[data-item-id="${itemId}"]`);
    await page.goto(`${GATEWAY}/products?q=${suffix}&shopId=1001&cols=itemId,title,price,stock`);
    await untilShown(page, row, `item ${itemId} in the product list`);
    // As copied from LibreOffice/Excel: one row of three cells (title, price, stock), tab separated.
    await row.locator('td[data-col="title"]').click();
    await page.evaluate((text) => navigator.clipboard.writeText(text), `${newTitle}\t${yuan(pasted)}\t7\n`);
    await page.keyboard.press('Control+V');
    const panel = page.getByTestId('paste-batch');
    await page.locator('[data-testid="paste-batch"][data-phase="dryRun"][data-done="true"]').waitFor({ timeout: 120_000 });
    const cell = (column) => panel.locator(`tr[data-cell="${itemId}/${column}"]`);
    const texts = async (column) => (await cell(column).locator('td').allInnerTexts()).map((x) => x.trim());
    check(await cell('title').getAttribute('data-outcome') === 'ok', `title cell: ${await texts('title')}`);
    check((await texts('title'))[2] === oldTitle && (await texts('title'))[3] === newTitle, `title before/after: ${await texts('title')}`);
    check(await cell('price').getAttribute('data-outcome') === 'ok', `price cell: ${await texts('price')}`);
    check((await texts('price'))[2] === yuan(cents) && (await texts('price'))[3] === yuan(pasted), `price before/after: ${await texts('price')}`);
    // a top-up's stock is unlimited: the catalogue refuses the cell, marked as failing and not applied
    check(await cell('stock').getAttribute('data-outcome') === 'failed' && /INVALID_FIELD/.test((await texts('stock'))[4]),
      `stock cell: ${await texts('stock')}`);
    await shot(page, 'paste-dry-run');
    // the dry run changed nothing
    check((await apiCall(op, 'GET', `/search/items/${itemId}`)).includes(`"priceCents":${cents}`), 'the dry run changed the price');
    await panel.getByTestId('paste-apply').filter({ hasText: '(2)' }).click();
    await page.locator('[data-testid="paste-batch"][data-phase="applied"][data-done="true"]').waitFor({ timeout: 120_000 });
    const links = await panel.getByTestId('paste-batch-link').allInnerTexts();
    check(links.length === 2 && links.some((l) => /^price_adjust/.test(l)) && links.some((l) => /^item_edit/.test(l))
      && links.every((l) => /completed/i.test(l)), `applied batches: ${links}`);
    for (const id of (await panel.getByTestId('paste-batch-link').evaluateAll((as) => as.map((a) => a.getAttribute('href').split('/').pop())))) {
      const b = await apiCall(op, 'GET', `/batch/batches/${id}`);
      check(b.includes('"dryRun":false') && b.includes('"status":"completed"') && b.includes('"successCount":1'), `batch ${id}: ${b.slice(0, 300)}`);
    }
    await untilApi(op, `/search/items/${itemId}`, (raw) => raw.includes(`"priceCents":${pasted}`) && JSON.parse(raw).title === newTitle,
      `item ${itemId} price ${yuan(pasted)} and the pasted title`);
    // and the grid shows them (the search index follows the catalogue by events)
    await untilShown(page, row.locator('td[data-col="title"]').getByText(newTitle, { exact: true }), `pasted title in the grid`);
    // undo: the applied batches are reverted together (the panel is gone after the reload: paste again to get it back)
    await row.locator('td[data-col="price"]').click();
    await page.evaluate((text) => navigator.clipboard.writeText(text), `${yuan(again)}\n`);
    await page.keyboard.press('Control+V');
    await page.locator('[data-testid="paste-batch"][data-phase="dryRun"][data-done="true"]').waitFor({ timeout: 120_000 });
    check((await texts('price'))[2] === yuan(pasted) && (await texts('price'))[3] === yuan(again), `second paste: ${await texts('price')}`);
    await panel.getByTestId('paste-apply').click();
    await page.locator('[data-testid="paste-batch"][data-phase="applied"][data-done="true"]').waitFor({ timeout: 120_000 });
    await untilApi(op, `/search/items/${itemId}`, (raw) => raw.includes(`"priceCents":${again}`), `item ${itemId} price ${yuan(again)}`);
    await panel.getByTestId('paste-undo').click();
    await page.locator('[data-testid="paste-batch"][data-phase="undone"][data-done="true"]').waitFor({ timeout: 120_000 });
    await untilApi(op, `/search/items/${itemId}`, (raw) => raw.includes(`"priceCents":${pasted}`), `item ${itemId} price back to ${yuan(pasted)} after the undo`);
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

/** Skips a test whose API the running search-service does not serve yet (a fleet started before it was built). */
async function requireApi(path, what) {
  const res = await fetch(`${GATEWAY}/api${path}`, { headers: { Authorization: `Bearer ${token('operator', OPERATOR)}` } });
  if (res.status === 404) throw new Skip(`${what} not served by the running fleet (GET /api${path} answers 404)`);
}

test('operator saves the current filter, columns and sort as a view, picks it again, updates, shares and deletes it', async () => {
  await requireApi('/search/search/views', 'saved views');
  const op = token('operator', OPERATOR);
  const name = `E2E view ${suffix}`;
  const viewsOf = async (tok) => JSON.parse(await apiCall(tok, 'GET', '/search/search/views')).items;
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    await page.goto(`${GATEWAY}/products?q=${suffix}&status=online&sort=price:asc&cols=itemId,title,price`);
    await page.getByTestId('saved-views').waitFor();
    await page.getByRole('button', { name: 'Save view…' }).click();
    const save = page.getByTestId('save-view');
    await save.getByLabel('View name').fill(name);
    await save.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/[?&]view=\d+/);
    const viewId = new URL(page.url()).searchParams.get('view');
    let view = (await viewsOf(op)).find((v) => String(v.viewId) === viewId);
    check(view && view.name === name && view.filter.q === suffix && String(view.filter.status) === 'online' && view.sort === 'price:asc'
      && view.columns.join() === 'itemId,title,price' && !view.shared, `saved view: ${JSON.stringify(view)}`);
    const saved = view;
    // no precision loss: the id in the URL is the API's, digit for digit
    const raw = await apiCall(op, 'GET', '/search/search/views');
    check(raw.includes(`"viewId":"${viewId}"`) || raw.includes(`"viewId":${viewId}`), `view id ${viewId} not in ${raw.slice(0, 300)}`);
    // from a plain products page, picking the view brings back its filter, columns and sort
    await page.goto(`${GATEWAY}/products?cols=itemId,title,shopId,status`);
    const picker = page.getByTestId('saved-views').getByRole('textbox', { name: 'Saved view' });
    await picker.click();
    await page.getByRole('option', { name }).click();
    await page.waitForURL((u) => u.searchParams.get('view') === viewId);
    const url = new URL(page.url()).searchParams;
    check(url.get('q') === suffix && url.get('status') === 'online' && url.get('sort') === 'price:asc' && url.get('cols') === 'itemId,title,price',
      `view applied: ${url}`);
    // the grid follows the URL on its next render: wait for its header row (bounded), then check it
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="products-table"] thead th')]
      .map((th) => th.innerText.trim()).filter(Boolean).join() === 'ID,Title,Price', null, { timeout: WAIT }).catch(() => {});
    const headers = (await page.locator('[data-testid="products-table"] thead th').allInnerTexts()).map((x) => x.trim()).filter(Boolean);
    check(headers.join() === 'ID,Title,Price', `columns of the view: ${headers}`);
    // a change of sort makes the view "modified"; Update saves it with the version read
    await page.goto(page.url().replace('sort=price%3Aasc', 'sort=price%3Adesc').replace('sort=price:asc', 'sort=price:desc'));
    await page.getByTestId('view-modified').waitFor();
    // meanwhile the view changes elsewhere (another tab): the update is refused as stale, then goes through on the new version
    await apiCall(op, 'PUT', `/search/search/views/${viewId}`, { ...view, version: view.version });
    await page.getByRole('button', { name: 'Update view' }).click();
    await page.getByRole('alert').filter({ hasText: 'STALE_VERSION' }).waitFor();
    await page.getByRole('button', { name: 'Update view' }).click();
    await page.getByTestId('view-modified').waitFor({ state: 'detached' });
    view = (await viewsOf(op)).find((v) => String(v.viewId) === viewId);
    check(view.sort === 'price:desc' && Number(view.version) === Number(saved.version) + 2, `updated view: ${JSON.stringify(view)}`);
    // share it: another operator sees it (read only), then it is deleted
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('button', { name: 'Stop sharing' }).waitFor();
    const other = (await viewsOf(token('operator', OPERATOR + 1))).find((v) => String(v.viewId) === viewId);
    check(other && other.shared && other.mine === false, `the shared view for another operator: ${JSON.stringify(other)}`);
    await shot(page, 'saved-views');
    await page.getByRole('button', { name: 'Delete view' }).click();
    await page.waitForURL((u) => !u.searchParams.has('view'));
    check(!(await viewsOf(op)).some((v) => String(v.viewId) === viewId), 'the deleted view is still listed');
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('operator exports the selected rows and the whole filter with the chosen columns to .xlsx', async () => {
  await requireApi('/search/search/exports', 'exports');
  const itemId = await ensureOnlineItem();
  const op = token('operator', OPERATOR);
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    const row = page.locator(`tr[data-item-id="${itemId}"]`);
    const filter = `q=${suffix}&shopId=1001`;
    await page.goto(`${GATEWAY}/products?${filter}&cols=itemId,title,price,stock`);
    await untilShown(page, row, `item ${itemId} in the product list`);
    const exportNow = async (label) => {
      const box = page.getByTestId('export');
      await box.getByRole('button', { name: label }).click();
      await page.locator('[data-testid="export"][data-status="DONE"]').waitFor({ timeout: 120_000 });
      const dl = page.waitForEvent('download');
      await box.getByTestId('export-download').click();
      const file = await (await dl).path();
      return xlsxRows(readFileSync(file));
    };
    // the selection: exactly the ticked row, with the shown columns (the batch templates' headers)
    await row.getByRole('checkbox', { name: `select ${itemId}` }).check();
    const selected = await exportNow('Export selection (1)');
    check(selected[0].join() === 'item_id,title,value,quantity', `header: ${selected[0]}`);
    check(selected.length === 2 && selected[1][0] === itemId, `selection rows: ${JSON.stringify(selected)}`);
    const item = JSON.parse(await apiCall(op, 'GET', `/search/items/${itemId}`));
    check(selected[1][1] === item.title && Number(selected[1][2]) === item.priceCents / 100, `exported row ${selected[1]} vs ${item.title} ${item.priceCents}`);
    await shot(page, 'export');
    // without a selection: every item of the filter, no other. Other tests' items with the same
    // suffix may still be going ONLINE, so the export must hold every match searchable before it
    // and nothing that is not a match after it.
    await row.getByRole('checkbox', { name: `select ${itemId}` }).uncheck();
    const matching = async () => JSON.parse(await apiCall(op, 'GET', `/search/search/items?${filter}&size=200`))
      .items.map((i) => String(i.itemId));
    const before = await matching();
    const all = await exportNow('Export');
    const after = await matching();
    const ids = all.slice(1).map((r) => r[0]);
    check(before.every((id) => ids.includes(id)) && ids.every((id) => after.includes(id)) && new Set(ids).size === ids.length,
      `filter export ${ids} vs search before ${before} and after ${after}`);
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('a merchant cannot see another merchant\'s product', async () => {
  await ensureOnlineItem();
  const own = await onlineItemOf(1002, 'own-1002');
  const { context, page } = await loggedIn('merchant', 1002);
  try {
    const items = await menu(page);
    check(items.includes('Products') && !items.includes('Review queue'), `merchant menu: ${items}`);
    await untilShown(page, page.locator(`tr[data-item-id="${own}"]`), `merchant 1002's own item ${own}`);
    const shops = await page.locator('[data-testid="products-table"] tbody tr td[data-col="shopId"]').allInnerTexts();
    check(shops.length > 0 && shops.every((s) => s.trim() === '1002'), `merchant 1002 sees shops ${shops}`);
    check(!(await page.locator(`tr[data-item-id="${onlineItemId}"]`).count()), 'shop 1001 item listed for merchant 1002');
    await page.goto(`${GATEWAY}/items/${own}`);
    await page.getByTestId('item-status').waitFor(); // its own item opens
    await page.goto(`${GATEWAY}/items/${onlineItemId}`);
    await page.getByTestId('item-not-found').waitFor();
    await page.goto(`${GATEWAY}/products?shopId=1001`);
    await page.getByRole('alert').filter({ hasText: 'FORBIDDEN' }).waitFor();
    // Language switch: the same page in Simplified Chinese.
    await page.getByRole('button', { name: '中文' }).dispatchEvent('click');
    await page.getByRole('link', { name: '商品' }).waitFor();
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('admin onboards a new category from the UI (tree, attributes, audit strategy), then an operator lists it and sees it ONLINE', async () => {
  const code = `E2E_CAT_${suffix.toUpperCase()}`;
  const name = `E2E category ${suffix}`;
  const admin = await loggedIn('admin', ADMIN);
  let categoryId;
  try {
    const { page } = admin;
    const items = await menu(page);
    check(items.includes('Categories') && items.includes('Audit strategies') && items.includes('Dead letters'), `admin menu: ${items}`);
    await page.getByRole('link', { name: 'Categories' }).click();
    await page.getByTestId('new-category-code').fill(code);
    await page.getByTestId('new-category-name').fill(`${name} draft`);
    await page.getByRole('button', { name: 'Create category' }).click();
    await page.waitForURL(/categoryId=\d+/);
    categoryId = new URL(page.url()).searchParams.get('categoryId');
    const editor = page.getByTestId('category-editor');
    await editor.getByText(`${name} draft (${categoryId})`).waitFor();
    // rename, then disable and enable again: the tree row follows each change
    await editor.getByLabel('Name').fill(name);
    await editor.getByRole('button', { name: 'Rename' }).click();
    const row = page.locator(`tr[data-category-id="${categoryId}"]`);
    await row.getByText(name, { exact: true }).waitFor();
    await editor.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await page.getByTestId('category-editor').getByRole('button', { name: 'Enable' }).click();
    await row.getByText('disabled').waitFor({ state: 'detached' });
    // attributes: an enum, an integer with a range rule, the price
    const form = page.getByTestId('attribute-form');
    const addAttribute = async (attrCode, attrName, type, extra) => {
      await form.getByLabel('Code', { exact: true }).fill(attrCode);
      await form.getByLabel('Name', { exact: true }).fill(attrName);
      await form.getByRole('textbox', { name: 'Type' }).click();
      await form.getByRole('option', { name: type, exact: true }).click();
      await extra?.();
      await form.getByRole('button', { name: 'Add attribute' }).click();
      await page.locator(`tr[data-attribute-code="${attrCode}"]`).waitFor();
    };
    await addAttribute('colour', 'Colour', 'enum', () => form.getByLabel('Enum values').fill('red, blue'));
    await addAttribute('weight_g', 'Weight', 'integer', () => form.getByLabel('Rules (JSON)').fill('{"min": 1, "max": 1000}'));
    await addAttribute('sale_price', 'Sale price', 'decimal');
    await page.locator('tr[data-attribute-code="weight_g"]').getByText('"max":1000').waitFor();
    await shot(page, 'categories');
    const schema = await apiCall(token('admin', ADMIN), 'GET', `/config/categories/${categoryId}/schema`);
    check(['colour', 'weight_g', 'sale_price'].every((c) => schema.includes(`"code":"${c}"`)), `schema lacks attributes: ${schema.slice(0, 300)}`);
    // audit strategy: the default for operator_form/operator, then the category's own row (manual, then skip)
    await page.getByRole('link', { name: 'Audit strategies' }).click();
    await pickCategory(page, name, new RegExp(`${name} \\(${categoryId}\\)`));
    const cell = page.locator('td[data-cell="operator_form/operator"]');
    await cell.getByText('default').waitFor();
    const setStrategy = async (strategy) => {
      await cell.getByRole('textbox', { name: 'operator_form operator' }).click();
      await cell.getByRole('option', { name: strategy, exact: true }).click();
      await cell.getByTestId('resolved').filter({ hasText: new RegExp(`^${strategy}$`) }).waitFor();
      await cell.getByText('this category').waitFor();
    };
    await setStrategy('manual');
    await setStrategy('skip');
    await shot(page, 'audit-matrix');
    const decision = await apiCall(token('admin', ADMIN), 'GET',
      `/config/audit-configs/resolve?categoryId=${categoryId}&sourceType=operator_form&sourceUserType=operator`);
    check(decision.includes('"strategy":"skip"') && decision.includes('"configured":true'), `resolved: ${decision}`);
    // dead letters: the page shows what maintenance-service counts
    const dlq = await apiCall(token('admin', ADMIN), 'GET', '/maintenance/dead-letters?status=new&size=1');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByText(`total ${JSON.parse(dlq).total}`, { exact: true }).waitFor();
    // job runs and the supplier registry with its sync state
    const runs = JSON.parse(await apiCall(token('admin', ADMIN), 'GET', '/maintenance/job-runs?limit=50'));
    await page.getByRole('link', { name: 'Job runs' }).click();
    if (runs.length) await page.getByTestId('job-runs').getByText(runs[0].jobName).first().waitFor();
    await page.getByTestId('reconciliations').waitFor();
    const suppliers = JSON.parse(await apiCall(token('admin', ADMIN), 'GET', '/supplier/suppliers?size=100'));
    await page.getByRole('link', { name: 'Suppliers' }).click();
    for (const s of suppliers.items) await page.locator(`tr[data-supplier="${s.supplierCode}"]`).waitFor();
  } catch (e) { throw await evidence(admin.page, e); } finally { await admin.context.close(); }

  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    await page.getByRole('link', { name: 'New listing' }).click();
    await pickCategory(page, name, new RegExp(`${name} \\(${categoryId}\\)`));
    await page.getByLabel('Title').fill(`E2E onboarded ${suffix}`);
    await page.getByLabel('Shop id').fill('1001');
    await page.getByRole('textbox', { name: 'Colour' }).click();
    await page.getByRole('option', { name: 'blue' }).click();
    await page.getByLabel('Weight').fill('5000'); // beyond the rule set in the UI: refused on the field
    await page.getByLabel('Sale price').fill('19.9');
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.locator('[data-field="weight_g"]').locator('xpath=ancestor::div[contains(@class,"mantine-InputWrapper-root")]')
      .getByText('must be at most 1000').waitFor();
    await page.getByLabel('Weight').fill('250');
    await page.getByRole('button', { name: 'Save and submit' }).click();
    await page.waitForURL(/\/listings\/\d+$/);
    await page.getByTestId('listing-status').filter({ hasText: 'ONLINE' }).waitFor();
    const taskId = page.url().match(/(\d+)$/)[1];
    const raw = await apiCall(token('operator', OPERATOR), 'GET', `/listing/listings/${taskId}`);
    check(idIn(raw, 'categoryId') === categoryId && raw.includes('"statusName":"ONLINE"'), `listing ${taskId}: ${raw.slice(0, 300)}`);
    // its change history: the published version, and a rollback dry run to it changes nothing
    const itemId = idIn(raw, 'itemId');
    await page.getByTestId('item-link').click();
    // the item page reads the search side, fed by events: reload until the item is there
    await untilShown(page, page.getByTestId('history-link'), `item ${itemId} page`);
    await page.getByTestId('history-link').click();
    const v1 = page.locator('[data-testid="history-table"] tr[data-version="1"]');
    await v1.waitFor();
    await v1.getByRole('button', { name: 'Roll back to' }).click();
    await page.getByTestId('rollback').getByRole('button', { name: 'Dry run' }).click();
    await page.getByTestId('rollback').getByText('no change').waitFor();
    check(page.url().endsWith(`/items/${itemId}/history`), `history page of ${itemId}: ${page.url()}`);
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

test('admin registers a supplier through the form (violations on their fields), edits it, disables and enables it', async () => {
  const code = `E2E_SUP_${suffix.toUpperCase()}`;
  const { context, page } = await loggedIn('admin', ADMIN);
  try {
    await page.getByRole('link', { name: 'Suppliers' }).click();
    await page.getByRole('button', { name: 'New supplier' }).click();
    const form = page.getByTestId('supplier-form');
    const field = (name) => form.locator(`[data-field="${name}"]`).locator('xpath=ancestor::div[contains(@class,"mantine-InputWrapper-root")]');
    await form.getByLabel('Code', { exact: true }).fill('e2e lower');
    await form.getByLabel('Name', { exact: true }).fill(`E2E supplier ${suffix}`);
    await form.getByLabel('Category code').fill('MOVIE');
    await form.getByLabel('Category ids').fill('3100');
    await form.getByLabel('Shop').fill('1001');
    await form.getByRole('button', { name: 'Create supplier' }).click();
    await field('supplierCode').getByText(/must match/).waitFor(); // the server's rule, on its field
    await form.getByLabel('Code', { exact: true }).fill(code);
    await form.getByRole('textbox', { name: 'Mode' }).click();
    await form.getByRole('option', { name: 'pull', exact: true }).click();
    await form.getByRole('button', { name: 'Create supplier' }).click();
    await field('endpointUrl').getByText('endpointUrl is required').waitFor(); // a pull supplier needs its endpoint
    await form.getByLabel('Endpoint URL (pull)').fill('https://user:pw@supplier.example.com/changes');
    await form.getByLabel('Pull interval (s)').fill('3600');
    await form.getByRole('button', { name: 'Create supplier' }).click();
    await field('endpointUrl').getByText(/may not carry credentials/).waitFor();
    await form.getByLabel('Endpoint URL (pull)').fill('https://supplier.example.com/changes');
    await form.getByLabel('Enable', { exact: true }).uncheck(); // example.com answers nothing: registered disabled
    await form.getByRole('button', { name: 'Create supplier' }).click();
    const row = page.locator(`tr[data-supplier="${code}"]`);
    await row.getByText('disabled').waitFor();
    await form.waitFor({ state: 'detached' });
    let raw = await apiCall(token('admin', ADMIN), 'GET', `/supplier/suppliers/${code}`);
    check(raw.includes('"syncMode":"pull"') && raw.includes('"categoryIds":["3100"]') && raw.includes('"version":0'), `created: ${raw.slice(0, 400)}`);
    // edit: the name, sent with the version read
    await row.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Name', { exact: true }).fill(`E2E supplier ${suffix} renamed`);
    await form.getByLabel('Page size').fill('5000');
    await form.getByRole('button', { name: 'Save' }).click();
    await field('pageSize').getByText('must be between 1 and 1000').waitFor();
    await form.getByLabel('Page size').fill('50');
    await form.getByRole('button', { name: 'Save' }).click();
    await row.getByText(`E2E supplier ${suffix} renamed`).waitFor();
    // a change made elsewhere meanwhile: the form's version is stale, the server says so
    await row.getByRole('button', { name: 'Edit' }).click();
    await apiCall(token('admin', ADMIN), 'PUT', `/supplier/suppliers/${code}`, { pageSize: 60, version: 1 });
    await form.getByLabel('Name', { exact: true }).fill(`E2E supplier ${suffix} again`);
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('STALE_VERSION').waitFor();
    await form.getByText(/v2\)/).waitFor(); // read again: the next save goes with version 2
    await form.getByRole('button', { name: 'Save' }).click();
    await row.getByText(`E2E supplier ${suffix} again`).waitFor();
    // enable and disable again
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('disabled').waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    raw = await apiCall(token('admin', ADMIN), 'GET', `/supplier/suppliers/${code}`);
    check(raw.includes('"enabled":false') && raw.includes('"pageSize":60') && raw.includes('"version":5'), `edited: ${raw.slice(0, 400)}`);
    await shot(page, 'suppliers');
  } catch (e) { throw await evidence(page, e); } finally {
    await context.close();
    // it feeds no item: removed again, also after a failure
    const left = await apiCall(token('admin', ADMIN), 'GET', `/supplier/suppliers/${code}`).catch(() => null);
    if (left) await apiCall(token('admin', ADMIN), 'DELETE', `/supplier/suppliers/${code}?expectedVersion=${JSON.parse(left).version}`);
  }
});

test('operator product list of 50 rows is interactive within 1 s of navigation', async () => {
  // 50 online items of this run to list (a word of their own in the title): created and submitted;
  // operator top-ups skip audit and go online by themselves. Rows of earlier runs are not reused:
  // a fresh search index (a new machine, the same database) would not hold them.
  const op = token('operator', OPERATOR);
  const title = `listrow${suffix}`;
  const tasks = Array.from({ length: 50 }, (_, i) => ({
    categoryId: 4100, title: `E2E ${title} ${i}`, sourceType: 'operator_form', sourceUserType: 'operator', shopId: 1001,
    itemData: { carrier: 'China Unicom', denomination: 10 + i, sale_price: 9 + i }, idempotencyKey: `console-e2e-list-${suffix}-${i}`,
  }));
  const reply = await apiCall(op, 'POST', '/listing/listings/batch', { tasks });
  const ids = [...reply.matchAll(/"taskId":"?(\d+)/g)].map((m) => m[1]);
  check(ids.length === 50, `created ${ids.length} of 50: ${reply.slice(0, 300)}`);
  await Promise.all(ids.map((id) => apiCall(op, 'POST', `/listing/listings/${id}/actions/submit`, { expectedVersion: 0 }).catch(() => null)));
  const search = `/search/search/items?q=${encodeURIComponent(title)}&status=online&size=50`;
  const deadline = Date.now() + 120_000;
  for (let total = 0; total < 50;) {
    check(Date.now() < deadline, `only ${total} of 50 items online after 120 s`);
    total = Number(idIn(await apiCall(op, 'GET', search), 'total'));
    if (total < 50) await new Promise((r) => setTimeout(r, 500)); // polling the read side, not a timed assert
  }
  const { context, page } = await loggedIn('operator', OPERATOR);
  try {
    const interactive = async () => {
      await page.locator('tbody tr').nth(49).waitFor();
      await page.getByRole('button', { name: 'Columns' }).click();
      await page.getByRole('menuitem').first().waitFor();
    };
    // Cold: a full page load (HTML, scripts, session restore, API call, 50 rows rendered).
    let t0 = Date.now();
    await page.goto(`${GATEWAY}/products?size=50&status=online&q=${encodeURIComponent(title)}`);
    await interactive();
    const cold = Date.now() - t0;
    await page.keyboard.press('Escape');
    await shot(page, 'products');
    // In-app: from another page through the menu, as a user moves around the console. Timed
    // inside the page (no driver round trips): from the click to 50 rows rendered and the main
    // thread free again to handle input (a task queued after the next frame has run).
    await page.getByRole('link', { name: 'Listings' }).click();
    await page.waitForURL(/\/listings$/);
    await page.locator('tbody').first().waitFor();
    const warm = await page.evaluate(() => new Promise((done) => {
      const link = [...document.querySelectorAll('nav a')].find((a) => a.textContent.trim() === 'Products');
      const t0 = performance.now();
      const ready = () => document.querySelectorAll('[data-testid="products-table"] tbody tr').length >= 50;
      const finish = () => requestAnimationFrame(() => setTimeout(() => done(Math.round(performance.now() - t0)), 0));
      const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); finish(); } });
      observer.observe(document.body, { childList: true, subtree: true });
      link.click();
    }));
    await interactive(); // and it does answer: the column menu opens
    const rows = await page.locator('tbody tr').count();
    console.log(`  product list: ${rows} rows interactive ${warm} ms after in-app navigation, ${cold} ms after a full page load`);
    check(rows === 50, `expected 50 rows, got ${rows}`);
    // The budget is 1 s; the assertion allows 5x so a machine busy with other builds does not fail
    // the suite, while a real regression (a second round trip, a slow render) still does.
    console.log(`  budget 1000 ms: ${warm < 1000 ? 'met' : 'NOT met'}`);
    check(warm < 5000, `product list took ${warm} ms after navigation (budget 1000 ms)`);
  } catch (e) { throw await evidence(page, e); } finally { await context.close(); }
});

let passed = 0, failed = 0, skipped = 0;
const only = process.env.CONSOLE_E2E_ONLY; // a substring of test names, for a developer's rerun
for (const t of tests.filter((x) => !only || x.name.includes(only))) {
  const start = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
  } catch (e) {
    if (e instanceof Skip) {
      skipped++;
      console.log(`skip ${t.name}: ${e.message}`);
      continue;
    }
    failed++;
    console.log(`FAIL ${t.name} (${Date.now() - start} ms)\n     ${String(e?.stack ?? e).split('\n').slice(0, 12).join('\n     ')}${e?.evidence ? `\n     ${e.evidence}` : ''}`);
  }
}
await browser.close();
console.log(`console: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
