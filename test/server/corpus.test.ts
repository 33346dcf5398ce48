// The loop-shape corpus (test/corpus/loop-shapes, sources in its README): analyze finds exactly the marked sends
// (none in the traps); fix --fix try-except and --fix background-task give files that compile, keep the same
// top-level and class definitions, change only the loop region, and leave every send guarded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSends } from '../../src/python/analyze';
import { backgroundForSend, fixFile } from '../../src/python/fixes';
import { backgroundBlocker } from '../../src/python/fixBackground';
import { kids, field } from '../../src/python/nodes';
import { checkPython, parser } from './pyHelpers';
import { bigViews } from './bigViews';

const DIR = join(__dirname, '..', 'corpus', 'loop-shapes', 'club');
const SHAPES = readdirSync(DIR).filter((f) => /^[st]\d\d_.*\.py$/.test(f)).sort();

function expected(text: string): { line: number; protected: boolean; silent: boolean }[] {
  return text.split('\n').flatMap((l, i) => {
    const m = /# expect: send( protected| silent)?\s*$/.exec(l);
    return m ? [{ line: i + 1, protected: m[1] === ' protected', silent: m[1] === ' silent' }] : [];
  });
}

async function definitions(text: string): Promise<string[]> {
  const p = await parser();
  const tree = p.parse(text);
  try {
    const out: string[] = [];
    const visit = (n: ReturnType<typeof kids>[number], prefix: string) => {
      for (const s of kids(n)) {
        const d = s.type === 'decorated_definition' ? field(s, 'definition') : s;
        if (d?.type === 'function_definition') out.push(prefix + field(d, 'name')!.text);
        if (d?.type === 'class_definition') {
          out.push(prefix + field(d, 'name')!.text);
          visit(field(d, 'body')!, `${field(d, 'name')!.text}.`);
        }
      }
    };
    visit(tree.rootNode, '');
    return out;
  } finally {
    tree.delete();
  }
}

async function analyse(text: string, file: string) {
  const p = await parser();
  const tree = p.parse(text);
  try {
    return findSends(p, tree, file).map((f) => f.call);
  } finally {
    tree.delete();
  }
}

/** Every original line outside the loop regions is still there, in order. */
function keepsOutside(before: string, after: string, regions: [number, number][]): string | undefined {
  const out = after.split('\n');
  let j = 0;
  const lines = before.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (regions.some(([a, b]) => i + 1 >= a && i + 1 <= b)) continue;
    while (j < out.length && out[j] !== lines[i]) j++;
    if (j >= out.length) return `line ${i + 1} changed or moved: ${JSON.stringify(lines[i])}`;
    j++;
  }
  return undefined;
}

const counts = { shapes: 0, found: 0, expected: 0, fixed: 0, compiled: 0, background: 0, backgroundCompiled: 0 };

for (const name of SHAPES) {
  test(`corpus ${name}: analyze finds the marked sends, try/except fixes compile and guard them`, async () => {
    const file = join(DIR, name);
    const text = readFileSync(file, 'utf8');
    const want = expected(text);
    const got = await analyse(text, file);
    counts.shapes++;
    counts.expected += want.length;
    counts.found += got.filter((g) => want.some((w) => w.line === g.line)).length;
    assert.deepEqual(got.map((g) => [g.line, g.protected, g.failSilently]), want.map((w) => [w.line, w.protected, w.silent]), JSON.stringify(got.map((g) => [g.line, g.callee, g.loop.kind])));
    if (!want.some((w) => !w.protected)) return;
    const p = await parser();
    const r = fixFile(p, text, file, 'try-except');
    assert.ok(r, 'try-except applies');
    counts.fixed++;
    assert.equal(await checkPython(r.text), '', r.text);
    counts.compiled++;
    assert.deepEqual(await definitions(r.text), await definitions(text), 'same definitions');
    const regions: [number, number][] = got.map((g) => [g.loop.line, g.loop.endLine + 2]);
    assert.equal(keepsOutside(text, r.text, regions), undefined, r.text);
    const after = await analyse(r.text, file);
    assert.ok(after.length >= want.length && after.every((s) => s.protected), JSON.stringify(after.map((s) => [s.line, s.protected])));
  });
}

test('corpus: background-task on every send that runs in a request; the view and the job compile', async () => {
  const p = await parser();
  for (const name of SHAPES) {
    const file = join(DIR, name);
    const text = readFileSync(file, 'utf8');
    const tree = p.parse(text);
    try {
      for (const f of findSends(p, tree, file)) {
        const fix = backgroundForSend(p, text, file, f, { lang: 'en' });
        if (!fix) continue;
        counts.background++;
        for (const c of fix.files.filter((x) => x.path.endsWith('.py'))) assert.equal(await checkPython(c.text), '', `${name} → ${c.path}\n${c.text}`);
        assert.deepEqual(await definitions(fix.files[0].text), await definitions(text), `${name}: same definitions in the view`);
        // the send left the view, and in the job (Celery task or management command) every send is guarded
        const view = await analyse(fix.files[0].text, file);
        assert.ok(!view.some((s) => s.function === f.call.function && s.line >= f.call.loop.line), `${name}: the view still sends: ${JSON.stringify(view.map((s) => s.line))}`);
        const job = fix.files.find((x) => x.path !== file && x.path.endsWith('.py') && !x.path.endsWith('__init__.py'));
        assert.ok(job, `${name}: no job module among ${fix.files.map((x) => x.path).join(', ')}`);
        const jobSends = await analyse(job.text, job.path);
        assert.ok(jobSends.length >= 1 && jobSends.every((s) => s.protected), `${name} → ${job.path}: ${JSON.stringify(jobSends.map((s) => [s.line, s.protected]))}\n${job.text}`);
        counts.backgroundCompiled++;
        break;
      }
    } finally {
      tree.delete();
    }
  }
  assert.ok(counts.background >= 3, `background-task applied to ${counts.background} views`);
  // trap: a loop that calls a method on self cannot move to a module-level job (self would be undefined there)
  const file = join(DIR, 's24_class_method_helper.py');
  const text = readFileSync(file, 'utf8');
  const tree = p.parse(text);
  try {
    const [f] = findSends(p, tree, file);
    assert.match(backgroundBlocker(f, tree, file) ?? '', /uses self/);
    assert.equal(backgroundForSend(p, text, file, f), undefined);
  } finally {
    tree.delete();
  }
});

for (const kind of ['rate-limit', 'reconnect'] as const) {
  test(`corpus: fix --fix ${kind} on every file with an unprotected send: compiles, same definitions, only the loop regions, every send guarded`, async () => {
    const p = await parser();
    let fixed = 0;
    for (const name of SHAPES) {
      const file = join(DIR, name);
      const text = readFileSync(file, 'utf8');
      const got = await analyse(text, file);
      // reconnecting needs the send's own connection: a project helper hides it (the fix does not apply there)
      const eligible = got.filter((g) => !g.protected && (kind !== 'reconnect' || g.kind !== 'helper'));
      const r = fixFile(p, text, file, kind);
      if (!eligible.length) {
        assert.equal(r, undefined, `${name}: ${kind} applied with no eligible send`);
        continue;
      }
      assert.ok(r, `${name}: ${kind} does not apply`);
      fixed++;
      assert.equal(await checkPython(r.text), '', `${name}\n${r.text}`);
      assert.deepEqual(await definitions(r.text), await definitions(text), `${name}: same definitions`);
      // besides the loop regions, the batch size and pause assignments may now read settings (MAIL_BATCH_SIZE, …)
      const lines = text.split('\n');
      const settingsLines = got.flatMap((g) => [g.loop.batchSizeExpr, g.loop.pauseExpr].flatMap((e) => (e && /^\w+$/.test(e) ? lines.flatMap((l, i) => (i + 1 < g.loop.line && new RegExp(`^\\s*${e}\\s*=`).test(l) ? [[i + 1, i + 1] as [number, number]] : [])) : [])));
      assert.equal(keepsOutside(text, r.text, [...got.map((g): [number, number] => [g.loop.line, g.loop.endLine + 2]), ...settingsLines]), undefined, `${name}\n${r.text}`);
      const after = await analyse(r.text, file);
      const open = after.filter((s) => !s.protected && (kind !== 'reconnect' || s.kind !== 'helper'));
      assert.deepEqual(open.map((s) => s.line), [], `${name}: unguarded after ${kind}\n${r.text}`);
      assert.equal(after.length, got.length, `${name}: sends lost or added`);
    }
    assert.ok(fixed >= 20, `${kind} fixed only ${fixed} files`);
  });
}

test('corpus: a 5,000+ line views module built from the shapes; try/except compiles, every send guarded', async () => {
  const p = await parser();
  const big = bigViews(5000, 2870).text;
  const shapes = SHAPES.filter((s) => s.startsWith('s')).map((s) => readFileSync(join(DIR, s), 'utf8').split('\n').filter((l) => !/^(from|import) /.test(l)).join('\n'));
  const text = big + '\n\n' + shapes.join('\n\n');
  assert.ok(text.split('\n').length > 5000);
  const r = fixFile(p, text, 'club/big_views.py', 'try-except');
  assert.ok(r);
  assert.equal(await checkPython(r.text), '');
  assert.deepEqual(await definitions(r.text), await definitions(text));
  const after = await analyse(r.text, 'club/big_views.py');
  assert.ok(after.length > 20 && after.every((s) => s.protected), JSON.stringify(after.filter((s) => !s.protected).map((s) => s.line)));
  console.log(`corpus: ${counts.shapes} files, ${counts.expected} marked sends, ${counts.found} found; try/except fixed ${counts.fixed} files, ${counts.compiled} compiled; background-task ${counts.background} views, ${counts.backgroundCompiled} compiled`);
});
