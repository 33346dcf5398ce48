// Steps of a scripted end-to-end run, reported as TAP ($INCIDENT_LENS_TAP_DIR/<name>.tap, the `# pass N` /
// `# fail N` lines scripts/test-all.sh adds up). After a failed step the following ones are skipped, not run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class TapSteps {
  constructor(name, onFail = async () => undefined) {
    this.name = name;
    this.onFail = onFail;
    this.results = [];
    this.t0 = Date.now();
  }

  get failed() {
    return this.results.some((r) => r.ok === false);
  }

  async step(title, fn) {
    if (this.failed) {
      this.results.push({ title, ok: true, skip: 'an earlier step failed' });
      console.log(`- ${title} (skipped)`);
      return;
    }
    const t = Date.now();
    try {
      await fn();
      this.results.push({ title, ok: true, ms: Date.now() - t });
      console.log(`✔ ${title} (${Date.now() - t} ms)`);
    } catch (e) {
      this.results.push({ title, ok: false, ms: Date.now() - t, error: String(e?.stack ?? e) });
      console.log(`✘ ${title}\n${String(e?.message ?? e)}`);
      await this.onFail(e).catch(() => undefined);
    }
  }

  text() {
    const out = ['TAP version 13'];
    this.results.forEach((r, i) => {
      out.push(`${r.ok ? 'ok' : 'not ok'} ${i + 1} - ${r.title.replace(/#/g, '\\#')}${r.skip ? ` # SKIP ${r.skip}` : ''}`);
      if (r.ms !== undefined) {
        out.push('  ---', `  duration_ms: ${r.ms}`);
        if (r.error) out.push('  error: |', ...r.error.split('\n').map((l) => `    ${l}`));
        out.push('  ...');
      }
    });
    const pass = this.results.filter((r) => r.ok && !r.skip).length;
    const fail = this.results.filter((r) => !r.ok).length;
    const skip = this.results.filter((r) => r.skip).length;
    out.push(`1..${this.results.length}`, `# tests ${this.results.length}`, `# pass ${pass}`, `# fail ${fail}`, `# skip ${skip}`, `# duration_ms ${Date.now() - this.t0}`);
    return out.join('\n') + '\n';
  }

  write(dir = process.env.INCIDENT_LENS_TAP_DIR) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.name}.tap`), this.text());
  }
}
