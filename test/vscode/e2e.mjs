// End to end in a real VS Code (code-server's workbench) driven by Debian's chromium through playwright-core:
// the palette's "Incident Lens: Diagnose Mail Incident" against the real test host, the 4 steps, the tree filling
// with the verdict and the sources, a highlighted excerpt, a traceback link followed into views.py at line 52, and
// the code lens there. Every wait polls a condition. Writes $INCIDENT_LENS_TAP_DIR/vscode-e2e.tap and screenshots.
//   node test/vscode/e2e.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]
/* global document, getComputedStyle */
import { e2eSession, T, workbench } from './workbenchPage.mjs';
import assert from 'node:assert/strict';

const session = await e2eSession('e2e', 'e2e.mjs --url http://127.0.0.1:PORT --folder WORKSPACE [--shots DIR]');
const { o, page, shot, tap } = session;
const { quick, quickInput, view, open, runCommand, step, sidebarVisible, widenSidebar, row, labelStartVisible } = workbench(page);
let defaultWidth = 0;
const editor = page.locator('.editor-group-container.active .monaco-editor').first();

/** In the page: the first span of the active editor's visible lines whose text matches `re` and whose colour is not
 * the plain text's (editor foreground), or null. */
function colouredToken(re) {
  const lines = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
  if (!lines) return null;
  const plain = getComputedStyle(lines).color;
  const rx = new RegExp(re);
  for (const s of lines.querySelectorAll('.view-line > span > span')) {
    const color = getComputedStyle(s).color;
    if (rx.test(s.textContent) && color !== plain) return { text: s.textContent, cls: s.className, color, plain };
  }
  return null;
}

try {
  await tap.step('the workbench opens the sample workspace with Incident Lens in the activity bar', async () => {
    await open(o.url, o.folder);
    defaultWidth = (await page.locator('.part.sidebar').boundingBox()).width;
    await widenSidebar(560); // room for the tree's labels in the screenshots
  });

  await tap.step('"Incident Lens: Diagnose Mail Incident" from the palette asks host, date, time and window (4 steps)', async () => {
    await runCommand('Incident Lens: Diagnose Mail Incident');
    await step(1, /deploy@127\.0\.0\.1:\d+/); // the configured incidentLens.host comes first
    await page.keyboard.press('Enter');
    await step(2);
    await quickInput.fill(o.date);
    await page.keyboard.press('Enter');
    await step(3);
    await quickInput.fill(o.time);
    await page.keyboard.press('Enter');
    await step(4, /before.*after/);
    await page.keyboard.press('Enter');
    await quick.waitFor({ state: 'hidden', timeout: T(0.25) });
  });

  await tap.step('the tree fills: Verdict first (HTTP timeout), Impact, the log sources, Host checks', async () => {
    const first = view.locator('.monaco-list-row').first();
    await first.filter({ hasText: /^\s*Verdict/ }).waitFor({ timeout: T(2) });
    await view.locator('.monaco-list-row', { hasText: 'HTTP timeout' }).first().waitFor({ timeout: T(0.25) });
    for (const label of ['Impact', 'journald: unit aquademie.service', 'nginx access log', 'Host checks']) {
      await view.locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout: T(0.25) });
    }
    // the run is over when its progress notification has gone
    await page.locator('.notification-toast', { hasText: 'Incident Lens —' }).waitFor({ state: 'detached', timeout: T(1) });
    await shot('tree-verdict.png');
  });

  await tap.step('at the default side bar width, each source row still shows what it found first ("3 lines · nginx access log")', async () => {
    await widenSidebar(defaultWidth);
    for (const [text, lead] of [['nginx access log', /^\d+ lines? · /], ['gunicorn log', /^missing · /], ['Postfix', /^(no line in the window|\d+ lines?) · /]]) {
      const label = (await row(text).locator('.label-name').innerText()).trim();
      const m = lead.exec(label);
      assert.ok(m, `${text}: "${label}" does not lead with its count or status`);
      assert.ok(await labelStartVisible(text, m[0].length), `${text}: "${m[0]}" is cut at ${defaultWidth}px`);
    }
    await shot('tree-default-width.png');
    await widenSidebar(560);
  });

  await tap.step('Open Excerpt (inline action) shows the journal excerpt as an incident-log document', async () => {
    const row = view.locator('.monaco-list-row', { hasText: 'journald: unit aquademie.service' }).first();
    await row.hover();
    const action = row.locator('.action-label[aria-label="Open Excerpt"]');
    await action.waitFor({ state: 'visible', timeout: T(0.25) });
    await action.click();
    await page.locator('.tab.active', { hasText: 'journal.incident-log' }).waitFor({ timeout: T(0.5) });
    await page.locator('.statusbar-item', { hasText: 'Incident Log' }).first().waitFor({ timeout: T(0.5) });
  });

  await tap.step('the excerpt is highlighted: a timestamp or status token is coloured unlike plain text', async () => {
    // a date, a time, a syslog date or an HTTP status: the grammar's themable scopes must colour at least one
    const stamp = /^\s*(\d{4}-\d\d-\d\d|\d\d:\d\d(:\d\d)?|[A-Z][a-z]{2} [ \d]\d)|^\s*[1-5]\d\d\s*$/;
    const found = await (await page.waitForFunction(colouredToken, stamp.source, { polling: 100, timeout: T(0.5) })).jsonValue();
    console.log(`  highlighted token "${found.text.trim()}" class=${found.cls} color=${found.color} (plain ${found.plain})`);
  });

  await tap.step('Ctrl+click on the traceback frame opens gestion/views.py at line 52', async () => {
    await sidebarVisible(false); // the whole width for the long journal lines
    await editor.click();
    await page.keyboard.press('Control+f');
    const find = page.locator('.editor-widget.find-widget textarea, .editor-widget.find-widget input').first();
    await find.waitFor({ state: 'visible', timeout: T(0.25) });
    await find.fill('gestion/views.py", line 52');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home'); // back to the start of the frame's line: timestamps and link both in view
    const link = editor.locator('.view-line span.detected-link', { hasText: 'views.py' }).first();
    await link.waitFor({ state: 'visible', timeout: T(0.5) });
    await shot('excerpt-highlighted.png'); // the highlighted excerpt at the traceback frame into views.py
    // Ctrl+click as a user does; where the workbench keeps the pointer from the line (seen once in ~10 runs under
    // load: "<html> intercepts pointer events" for 30 s), the same document link is opened from the keyboard: the
    // cursor on it, then "Open Link". Either way the link must open views.py at line 52.
    if (!(await link.click({ modifiers: ['Control'], timeout: T(0.25) }).then(() => true, () => false))) {
      console.log('  the pointer could not reach the link: opened with the cursor on it and "Open Link"');
      await page.keyboard.press('Control+f');
      await find.fill('aquademie/gestion/views.py');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
      await runCommand('Open Link');
    }
    await page.locator('.tab.active', { hasText: 'views.py' }).waitFor({ timeout: T(0.5) });
    await sidebarVisible(true);
    await page.locator('.statusbar-item', { hasText: /Ln 52, Col/ }).first().waitFor({ timeout: T(0.5) });
    await editor.locator('.line-numbers', { hasText: /^52$/ }).waitFor({ state: 'visible', timeout: T(0.25) });
  });

  await tap.step('views.py shows the code lens tied to the evidence (worker timeout 22:20)', async () => {
    const lens = editor.locator('.codelens-decoration', { hasText: /worker timeout 22:20/ });
    await lens.first().waitFor({ state: 'visible', timeout: T(1) });
    await shot('views-lens.png');
  });

  await tap.step('the first lens on the send is "Move the send out of the request" (the verdict is an HTTP timeout)', async () => {
    const fix = editor.locator('.codelens-decoration a', { hasText: /Move the send out of the request/ });
    await fix.first().waitFor({ state: 'visible', timeout: T(0.25) });
  });

  await tap.step('a second Diagnose remembers the last answers (host first, date, time) and Back returns a step', async () => {
    await runCommand('Incident Lens: Diagnose Mail Incident');
    await step(1, /deploy@127\.0\.0\.1:\d+/);
    await page.keyboard.press('Enter');
    await step(2);
    if ((await quickInput.inputValue()) !== o.date) throw new Error(`date step shows ${await quickInput.inputValue()}, not the last date ${o.date}`);
    await page.keyboard.press('Enter');
    await step(3);
    if ((await quickInput.inputValue()) !== o.time) throw new Error(`time step shows ${await quickInput.inputValue()}, not the last time ${o.time}`);
    await quick.locator('.quick-input-titlebar .action-label.codicon-quick-input-back').click();
    await step(2);
    await page.keyboard.press('Escape');
    await quick.waitFor({ state: 'hidden', timeout: T(0.25) });
  });

  await tap.step('Show Timeline draws events per minute per source in a webview, the incident moment marked', async () => {
    await runCommand('Incident Lens: Show Timeline');
    await page.locator('.tab.active', { hasText: 'Incident Timeline' }).waitFor({ timeout: T(0.25) });
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('svg line.moment').first().waitFor({ state: 'attached', timeout: T(0.5) });
    await frame.locator('svg').first().waitFor({ state: 'visible', timeout: T(0.25) });
    await shot('timeline.png');
  });
} finally {
  await session.close();
}
session.done();
