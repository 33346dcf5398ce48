// Driving code-server's workbench with playwright-core for the end-to-end scripts (e2e.mjs, e2e-hostkey.mjs,
// e2e-french.mjs): their common setup (arguments, browser, TAP steps, screenshots), then open a folder, run a palette
// command, walk the 4 steps of Diagnose Mail Incident, widen the side bar. Every wait polls a condition
// (playwright's auto-waiting locators), none sleeps.
/* global document, Node */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './browser.mjs';
import { TapSteps } from './tapSteps.mjs';

/** Scale of the waits: INCIDENT_LENS_E2E_WAIT_MS (60 s) × s. */
export const T = (s) => Number(process.env.INCIDENT_LENS_E2E_WAIT_MS ?? 60_000) * s;

/**
 * One e2e script's session: `--url --folder [--shots] [--date] [--time]` plus `options`, a chromium page, `shot(name)`,
 * TAP steps named `name` (a failure screenshot `<name>-failure.png`), `close()` for the finally block and `done()`
 * that writes the TAP file and exits with its result.
 */
export async function e2eSession(name, usage, { options = {}, required = [] } = {}) {
  const { values: o } = parseArgs({
    options: {
      url: { type: 'string' },
      folder: { type: 'string' },
      shots: { type: 'string', default: process.env.INCIDENT_LENS_SCREENSHOTS },
      date: { type: 'string', default: '2025-01-15' },
      time: { type: 'string', default: '22:20' },
      ...options,
    },
  });
  if (!o.url || !o.folder || required.some((k) => !o[k])) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const shots = resolve(o.shots ?? join(process.env.INCIDENT_LENS_TAP_DIR ?? tmpdir(), 'screenshots'));
  mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'incident-lens-chromium-'));
  const ctx = await launchChromium(profile, { width: 1600, height: 900 });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.log('[page error]', e.message.slice(0, 300)));
  const shot = async (file) => {
    await page.screenshot({ path: join(shots, file) });
    // palette PNGs (a third of the size) keep the .vsix, which ships the README's pictures, under 1 MB
    spawnSync('pngquant', ['--quality=65-90', '--nofs', '--strip', '--force', '--ext', '.png', join(shots, file)], { stdio: 'ignore' });
  };
  // after a failed step the rest are skipped; keep a picture of the moment
  const tap = new TapSteps(`vscode-${name}`, () => shot(`${name}-failure.png`));
  return {
    o,
    page,
    shot,
    tap,
    async close() {
      await ctx.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
    done() {
      tap.write();
      console.log(`screenshots in ${shots}`);
      process.exit(tap.failed ? 1 : 0);
    },
  };
}

export function workbench(page, { viewName = 'Log Sources' } = {}) {
  const quick = page.locator('.quick-input-widget');
  const quickInput = quick.locator('.quick-input-box input');
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: viewName }) });

  /** Opens FOLDER, waits for the explorer, then shows the Incident Lens container. */
  async function open(url, folder) {
    await page.goto(`${new URL(url).origin}/?folder=${encodeURIComponent(resolve(folder))}`, { timeout: T(3) });
    await page.locator('.monaco-workbench').waitFor({ timeout: T(1) });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'gestion' }).waitFor({ timeout: T(1) });
    const icon = page.locator('.activitybar .action-item a[aria-label^="Incident Lens"]');
    await icon.waitFor({ timeout: T(1) });
    await icon.click();
    await view.waitFor({ state: 'visible', timeout: T(0.5) });
  }

  /** Runs a command from the palette (F1) by (part of) its label. */
  async function runCommand(label) {
    await page.keyboard.press('F1');
    await quickInput.waitFor({ state: 'visible', timeout: T(0.25) });
    await quickInput.fill(`>${label}`);
    await quick.locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout: T(0.25) });
    await page.keyboard.press('Enter');
  }

  /** Waits for step n/4 of the multi-step input (optionally: its first item matching `expectFirst`). */
  async function step(n, expectFirst) {
    await quick.locator('.quick-input-title', { hasText: `${n}/4` }).waitFor({ state: 'visible', timeout: T(0.5) });
    if (expectFirst) await quick.locator('.monaco-list-row').first().filter({ hasText: expectFirst }).waitFor({ timeout: T(0.5) });
  }

  /** The 4 steps with the configured host first: host, date, time, window (default). The host list is built when
   * the command starts, so a settings change not yet applied shows the old host: then Escape and ask again. */
  async function diagnoseSteps(command, { host, date, time }) {
    const until = Date.now() + T(0.5);
    for (;;) {
      await runCommand(command);
      await step(1);
      const first = quick.locator('.monaco-list-row').first();
      await first.waitFor({ timeout: T(0.25) });
      if (host.test(await first.innerText())) break;
      if (Date.now() > until) throw new Error(`the first host offered is "${await first.innerText()}", not ${host}`);
      await page.keyboard.press('Escape');
      await quick.waitFor({ state: 'hidden', timeout: T(0.25) });
    }
    await page.keyboard.press('Enter');
    await step(2);
    await quickInput.fill(date);
    await page.keyboard.press('Enter');
    await step(3);
    await quickInput.fill(time);
    await page.keyboard.press('Enter');
    await step(4);
    await page.keyboard.press('Enter');
    await quick.waitFor({ state: 'hidden', timeout: T(0.25) });
  }

  /** Shows or hides the primary side bar (through the palette). */
  async function sidebarVisible(visible) {
    const sidebar = page.locator('.part.sidebar');
    if ((await sidebar.isVisible()) === visible) return;
    await runCommand('View: Toggle Primary Side Bar Visibility');
    await sidebar.waitFor({ state: visible ? 'visible' : 'hidden', timeout: T(0.25) });
  }

  /** Drags the sash right of the side bar until the side bar is `px` wide (wider or narrower), then moves the mouse off it. */
  async function widenSidebar(px) {
    const box = await page.locator('.part.sidebar').boundingBox();
    const x = box.x + box.width - 1;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (px - box.width), y, { steps: 8 });
    await page.mouse.up();
    await page.mouse.move(x + (px - box.width) + 300, y);
    await page.waitForFunction((w) => Math.abs(document.querySelector('.part.sidebar').getBoundingClientRect().width - w) <= 20, px, { polling: 100, timeout: T(0.1) });
  }

  /** A row of the Log Sources tree whose text matches. */
  const row = (text) => view.locator('.monaco-list-row', { hasText: text }).first();

  /** Is the start of a row's label (its first `chars` characters) inside the visible part of the row? */
  async function labelStartVisible(text, chars) {
    return row(text).evaluate((el, n) => {
      const name = el.querySelector('.label-name');
      const box = el.querySelector('.monaco-icon-label-container') ?? name;
      const node = [...name.childNodes].find((c) => c.nodeType === Node.TEXT_NODE) ?? name.firstChild?.firstChild ?? name.firstChild;
      if (!node || !box) return false;
      const r = document.createRange();
      r.setStart(node, 0);
      r.setEnd(node, Math.min(n, node.textContent.length));
      return r.getBoundingClientRect().right <= box.getBoundingClientRect().right;
    }, chars);
  }

  return { quick, quickInput, view, open, runCommand, step, diagnoseSteps, sidebarVisible, widenSidebar, row, labelStartVisible };
}
