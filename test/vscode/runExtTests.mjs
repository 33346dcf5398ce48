// Runs the integration suite inside code-server's extension host — the web equivalent of @vscode/test-electron's
// extensionDevelopmentPath/extensionTestsPath: the workbench URL carries them in its `payload`, Debian's chromium
// (driven by playwright-core) opens it, and the workbench calls window.codeAutomationExit(code) when mocha ends.
//   node test/vscode/runExtTests.mjs --url http://127.0.0.1:PORT --dev REPO --tests out/vscode-test/suite/index.js --folder WS
// Exit code: mocha's (0 = all passed), 3 = the run never reported back (timeout), 2 = runner error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { launchChromium } from './browser.mjs';

const { values: o } = parseArgs({
  options: {
    url: { type: 'string' },
    dev: { type: 'string' },
    tests: { type: 'string' },
    folder: { type: 'string' },
    timeout: { type: 'string', default: process.env.INCIDENT_LENS_VSCODE_TIMEOUT_MS ?? '900000' },
  },
});
if (!o.url || !o.dev || !o.tests || !o.folder) {
  console.error('usage: runExtTests.mjs --url http://127.0.0.1:PORT --dev EXTENSION_DIR --tests INDEX_JS --folder WORKSPACE');
  process.exit(2);
}
const t0 = Date.now();
const log = (...a) => console.log(`[runExtTests ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const base = new URL(o.url);
const remote = (p) => `vscode-remote://${base.host}${resolve(p)}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(o.dev)],
  ['extensionTestsPath', remote(o.tests)],
  ['skipWelcome', 'true'],
]);
const url = `${base.origin}/?folder=${encodeURIComponent(resolve(o.folder))}&payload=${encodeURIComponent(payload)}`;

const profile = mkdtempSync(join(tmpdir(), 'incident-lens-chromium-'));
let ctx;
try {
  ctx = await launchChromium(profile);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  let finish;
  const exited = new Promise((r) => (finish = r));
  // The workbench forwards the extension host's console here while tests run, then reports the exit code.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const parts = (args ?? []).map((a) => (typeof a === 'string' ? a.replace(/%c/g, '').replace(/^\s+/, '') : a)).filter((a) => !(typeof a === 'string' && /^(color|font|background)[-:]/.test(a)));
    console.log(format(...parts));
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  page.on('pageerror', (e) => log('page error:', e.message));
  log('opening the workbench with the test payload');
  // the workbench's first load can take minutes on a loaded 2-core machine: wait for it, not for playwright's 30 s default
  await page.goto(url, { timeout: 180_000 });
  const timer = setTimeout(() => finish('timeout'), Number(o.timeout));
  const code = await exited;
  clearTimeout(timer);
  log('extension tests finished, exit code', code);
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(typeof code === 'number' ? code : 3);
} catch (e) {
  console.error('runExtTests failed:', e);
  await ctx?.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  process.exit(2);
}
