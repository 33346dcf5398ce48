// End to end, the questions the SSH connection asks, in a real workbench driven by Debian's chromium:
//  - an UNKNOWN host (incidentLens.knownHostsFile is an empty file): Diagnose from the palette shows a modal with the
//    host's SHA256 fingerprint; "Trust and Connect" fills the tree and writes the host's key into that file;
//  - a user whose sudo wants a password (auditor): a password InputBox asks it; Escape skips the root-only sources,
//    which show "permission denied" in the tree while the others are read.
// Writes $INCIDENT_LENS_TAP_DIR/vscode-e2e-hostkey.tap and screenshots. Every wait polls a condition.
//   node test/vscode/e2e-hostkey.mjs --url http://127.0.0.1:PORT --folder WORKSPACE --known-hosts EMPTY_FILE
//   (the test host's details come from $TESTHOST_DIR/run/connection.json)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { e2eSession, T, workbench } from './workbenchPage.mjs';

const usage = 'TESTHOST_DIR=… e2e-hostkey.mjs --url http://127.0.0.1:PORT --folder WORKSPACE --known-hosts EMPTY_FILE';
if (!process.env.TESTHOST_DIR) {
  console.error(`usage: ${usage}`);
  process.exit(2);
}
const session = await e2eSession('e2e-hostkey', usage, { options: { 'known-hosts': { type: 'string' } }, required: ['known-hosts'] });
const { o, page, shot, tap } = session;
const knownHosts = resolve(o['known-hosts']);
const host = JSON.parse(readFileSync(join(process.env.TESTHOST_DIR, 'run', 'connection.json'), 'utf8'));
const wb = workbench(page);
const dialog = page.locator('.monaco-dialog-box');
const progressGone = () => page.locator('.notification-toast', { hasText: 'Incident Lens —' }).waitFor({ state: 'detached', timeout: T(1) });

try {
  await tap.step('a workspace whose incidentLens.knownHostsFile is an empty file opens', async () => {
    if (statSync(knownHosts).size !== 0) throw new Error(`${knownHosts} is not empty`);
    await wb.open(o.url, o.folder);
    await wb.widenSidebar(560);
  });

  await tap.step('Diagnose from the palette: the unknown host key is a modal dialog with its SHA256 fingerprint', async () => {
    await wb.diagnoseSteps('Incident Lens: Diagnose Mail Incident', { host: /deploy@127\.0\.0\.1:\d+/, date: o.date, time: o.time });
    await dialog.waitFor({ state: 'visible', timeout: T(0.5) });
    await dialog.getByText("can't be established").first().waitFor({ timeout: T(0.1) });
    const text = await dialog.innerText();
    if (!text.includes(host.hostKeyFingerprint)) throw new Error(`the dialog does not show ${host.hostKeyFingerprint}:\n${text}`);
    if (!/SHA256:/.test(text) || !text.includes(knownHosts)) throw new Error(`the dialog names the fingerprint and ${knownHosts}:\n${text}`);
    if (readFileSync(knownHosts, 'utf8') !== '') throw new Error('known_hosts was written before the user decided');
    await shot('hostkey-modal.png');
  });

  await tap.step('"Trust and Connect": the tree fills with the verdict and known_hosts now holds the host key', async () => {
    await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: T(0.25) });
    await wb.view.locator('.monaco-list-row').first().filter({ hasText: /^\s*Verdict/ }).waitFor({ timeout: T(2) });
    await wb.row('HTTP timeout').waitFor({ timeout: T(0.25) });
    await wb.row('journald: unit aquademie.service').waitFor({ timeout: T(0.25) });
    await progressGone();
    const lines = readFileSync(knownHosts, 'utf8').trim().split('\n');
    if (lines.length !== 1) throw new Error(`one line expected in known_hosts: ${lines.join(' | ')}`);
    // the entry may be hashed (|1|…): ssh-keygen -F finds [127.0.0.1]:port either way
    execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${host.port}`, '-f', knownHosts], { encoding: 'utf8' });
    const fp = execFileSync('ssh-keygen', ['-lf', knownHosts], { encoding: 'utf8' }).split(' ')[1];
    if (fp !== host.hostKeyFingerprint) throw new Error(`known_hosts has ${fp}, the host presents ${host.hostKeyFingerprint}`);
  });

  await tap.step('as auditor, sudo asks its password in a password InputBox (the run waits on it)', async () => {
    // the same workspace, now as the user whose sudo wants a password (the settings file is watched)
    const settingsFile = join(o.folder, '.vscode', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    const u = host.passwordSudoUser;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'incidentLens.host': `${u.username}@127.0.0.1:${host.port}`, 'incidentLens.identityFile': u.privateKey }, null, 2));
    await wb.diagnoseSteps('Incident Lens: Diagnose Mail Incident', { host: new RegExp(`${u.username}@127\\.0\\.0\\.1:${host.port}`), date: o.date, time: o.time });
    await wb.quick.locator('.quick-input-box input[type="password"]').waitFor({ state: 'visible', timeout: T(0.5) });
    await wb.quick.locator('.quick-input-message', { hasText: `sudo password of ${u.username}@` }).waitFor({ timeout: T(0.1) });
    await wb.quick.getByText('Escape skips them').first().waitFor({ timeout: T(0.1) });
    await shot('sudo-password-prompt.png');
  });

  await tap.step('Escape: the run finishes; root-only sources show "permission denied", the host checks are read', async () => {
    await page.keyboard.press('Escape');
    await wb.quick.waitFor({ state: 'hidden', timeout: T(0.25) });
    await wb.view.locator('.monaco-list-row').first().filter({ hasText: /^\s*Verdict/ }).waitFor({ timeout: T(1) });
    await progressGone();
    await wb.row('journald: unit aquademie.service').filter({ hasText: 'permission denied' }).waitFor({ timeout: T(0.25) });
    await wb.row('nginx access log').filter({ hasText: 'permission denied' }).waitFor({ timeout: T(0.25) });
    await wb.row('Host checks').waitFor({ timeout: T(0.25) });
    const notifications = await page.locator('.notification-toast').count();
    if (notifications > 1) throw new Error(`${notifications} notifications: failures should be statuses in the tree, not pop-ups`);
    await shot('tree-denied.png');
  });
} finally {
  await session.close();
}
session.done();
