/** English and French: every UI message and every package.json title/description has its French version, placeholders intact. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT, placeholders, read, tsFiles } from './repoFiles';

/** The literal first argument of every vscode.l10n.t(...) call. */
function messages(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of files) {
    for (const m of read(f).matchAll(/l10n\.t\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) {
      out.set(JSON.parse(m[1].startsWith("'") ? `"${m[1].slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : m[1]), f);
    }
  }
  return out;
}

test('every l10n.t message of the extension has a French translation with the same placeholders', () => {
  const fr: Record<string, string> = JSON.parse(read('l10n/bundle.l10n.fr.json'));
  const used = messages([...tsFiles('src/ui'), 'src/extension.ts']);
  assert.ok(used.size > 60, `found ${used.size} messages`);
  for (const [m, file] of used) {
    assert.ok(m in fr, `${file}: no French for ${JSON.stringify(m)}`);
    assert.deepEqual(placeholders(fr[m]), placeholders(m), `placeholders of ${JSON.stringify(m)}`);
    assert.ok(fr[m].trim().length > 0);
  }
});

test('package.json: every %key% has English and French, and the two nls files have the same keys', () => {
  const pkg = read('package.json');
  const en: Record<string, string> = JSON.parse(read('package.nls.json'));
  const fr: Record<string, string> = JSON.parse(read('package.nls.fr.json'));
  const keys = [...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 40);
  for (const k of keys) assert.ok(k in en && k in fr, `missing nls key ${k}`);
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  // the welcome view keeps its command links in French
  assert.deepEqual([...fr['view.welcome'].matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]), [...en['view.welcome'].matchAll(/\(command:[^)]+\)/g)].map((m) => m[0]));
});

test('the engine\'s long sudo advice (translated by value in the tree) has its French version', async () => {
  const { SUDO_ADVICE } = await import('../../src/core/source-run');
  const { SUDO_ADVICE: SSH_SUDO_ADVICE } = await import('../../src/transport/index');
  const fr: Record<string, string> = JSON.parse(read('l10n/bundle.l10n.fr.json'));
  for (const advice of [SUDO_ADVICE, SSH_SUDO_ADVICE]) {
    assert.ok(advice in fr, `this sudo advice changed: update its French entry: ${advice}`);
    assert.match(fr[advice], /NOPASSWD/);
  }
});

test('one catalogue: every message id of the engine, report and CLI has its translation in every shipped language', async () => {
  const { languages, catalogue } = await import('../../src/core/l10n');
  const { RECOMMENDATIONS } = await import('../../src/core/recommendations');
  // t(lang, 'id', ...) in src/core, src/cli and src/server, plus the runbook's recommendations (their English text is their id)
  const ids = literalIds([...tsFiles('src/core'), ...tsFiles('src/cli'), ...tsFiles('src/server')], /\b(?:t\(\s*lang,|msg\()/);
  for (const r of RECOMMENDATIONS) ids.set(r.en, 'src/core/recommendations.ts');
  assert.ok(ids.size > 25, `found ${ids.size} ids`);
  const langs = languages().filter((l) => l !== 'en');
  assert.ok(langs.includes('fr'), `shipped languages: ${langs.join(', ')}`);
  for (const lang of langs) {
    const c = catalogue(lang);
    for (const [id, file] of ids) {
      assert.ok(id in c && c[id].trim().length > 0, `${file}: no ${lang} translation for ${JSON.stringify(id)} (l10n/bundle.l10n.${lang}.json)`);
      assert.deepEqual(placeholders(c[id]), placeholders(id), `placeholders of ${JSON.stringify(id)} in ${lang}`);
    }
    assert.ok(existsSync(join(ROOT, `package.nls.${lang}.json`)), `package.nls.${lang}.json ships with bundle.l10n.${lang}.json`);
  }
});

/** The literal first argument (single- or double-quoted) of every `call(` in the files. */
function literalIds(files: string[], call: RegExp): Map<string, string> {
  const ids = new Map<string, string>();
  const re = new RegExp(`${call.source}\\s*('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*")`, 'g');
  for (const f of files) for (const m of read(f).matchAll(re)) ids.set(m[1][0] === "'" ? m[1].slice(1, -1).replace(/\\'/g, "'") : (JSON.parse(m[1]) as string), f);
  return ids;
}

test('every msg() id of the engine and the transport (errors, advice) has its translation in every shipped language', async () => {
  const { languages, catalogue } = await import('../../src/core/l10n');
  const ids = literalIds([...tsFiles('src/core'), ...tsFiles('src/transport')], /\bmsg\(/);
  assert.ok(ids.size > 60, `found ${ids.size} msg ids`);
  for (const lang of languages().filter((l) => l !== 'en')) {
    const c = catalogue(lang);
    for (const [id, file] of ids) {
      assert.ok(id in c && c[id].trim().length > 0, `${file}: no ${lang} translation for ${JSON.stringify(id)}`);
      assert.deepEqual(placeholders(c[id]), placeholders(id), `placeholders of ${JSON.stringify(id)} in ${lang}`);
    }
  }
});

test('transport errors in the French UI: an error carries its message, rendered in French, nested parts too; a text no catalogue made stays', async () => {
  const { joined, msg, render, verbatim } = await import('../../src/core/l10n');
  const { classifyError } = await import('../../src/transport/connect');
  const hop = { user: 'deploy', hostname: 'prod.example.org', port: 22 } as Parameters<typeof classifyError>[1];
  const refused = classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), hop);
  assert.equal(render(refused.text, 'fr'), 'connexion refusée par prod.example.org:22');
  assert.equal(render(refused.adviceText!, 'fr'), "Vérifiez le port et que sshd tourne sur l'hôte.");
  const auth = classifyError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), hop, { offered: ['password'], tried: [], skipped: [] } as never);
  assert.equal(render(auth.text, 'fr'), "échec de l'authentification pour deploy@prod.example.org:22 (le serveur propose : password)");
  assert.match(render(auth.adviceText!, 'fr'), /^Le serveur n'accepte pas de clé ici \(il propose password\)/);
  const nested = joined('; ', [msg('{0} is not in known_hosts ({1}); it presented {2}', '[h]:2222', '/k', 'ssh-ed25519 SHA256:x'), msg('a @cert-authority line names this host, but {0}', msg('its certificate expired (valid until {0})', '2020-01-02T00:00:00Z'))]);
  assert.equal(
    render(nested, 'fr'),
    "[h]:2222 n'est pas dans known_hosts (/k) ; il a présenté ssh-ed25519 SHA256:x; une ligne @cert-authority nomme cet hôte, mais son certificat a expiré (valide jusqu'au 2020-01-02T00:00:00Z)",
  );
  // trap: a text no template made (a path, a host's own stderr) is left as it is, even one that looks like an id
  assert.equal(render(verbatim('grep: /var/log/x: Input/output error'), 'fr'), 'grep: /var/log/x: Input/output error');
  assert.equal(render(verbatim('Cancelled.'), 'fr'), 'Cancelled.');
  assert.equal(render(refused.text, 'en'), refused.message);
  assert.equal(refused.message, 'connection refused by prod.example.org:22');
});

/** The arguments of every `new RunnerError(...)` call of a source text (split at top-level commas). */
function runnerErrorArgs(source: string): string[][] {
  const calls: string[][] = [];
  for (const m of source.matchAll(/new RunnerError\(/g)) {
    const args: string[] = [];
    let depth = 0;
    let quote = '';
    let cur = '';
    for (let i = m.index + m[0].length; i < source.length; i++) {
      const c = source[i]!;
      if (quote) {
        if (c === '\\') cur += c + source[++i];
        else {
          if (c === quote) quote = '';
          cur += c;
        }
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c) && depth-- === 0) break;
      else if (c === ',' && depth === 0) {
        args.push(cur.trim());
        cur = '';
        continue;
      }
      cur += c;
    }
    if (cur.trim()) args.push(cur.trim());
    calls.push(args);
  }
  return calls;
}

/** A RunnerError's message or advice given as English text rather than a catalogue message: a string literal, or a constant not made with msg(). */
function bareEnglishRunnerErrors(source: string): string[] {
  const msgConstants = new Set([...source.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=\s*msg\(/g)].map((m) => m[1]));
  return runnerErrorArgs(source).flatMap((args) =>
    args.slice(1).filter((a) => /^['"`]/.test(a) || (/^[A-Z][A-Z0-9_]*$/.test(a) && !msgConstants.has(a))).map((a) => `${args[0]}: ${a.slice(0, 70)}`),
  );
}

test('transport and engine errors carry their catalogue message: no RunnerError is made from bare English text', () => {
  // trap: the check finds a literal message, a literal advice, a template and a string constant; lets messages through
  assert.equal(bareEnglishRunnerErrors("throw new RunnerError('UNREACHABLE', `cannot reach ${h}`);").length, 1);
  assert.equal(bareEnglishRunnerErrors("throw new RunnerError('BAD_TARGET', msg('x {0}', f(a, b)), 'Use ProxyJump instead.');").length, 1);
  assert.equal(bareEnglishRunnerErrors("const ADVICE = 'Do this.'; new RunnerError('BAD_TARGET', msg('x'), ADVICE)").length, 1);
  const ok = "const ADVICE = msg('Do this.'); new RunnerError('BAD_TARGET', msg('x {0}', `${a},${b}`), ADVICE); new RunnerError('AUTH_FAILED', text, advice); new RunnerError('CANCELLED', msg('command cancelled'))";
  assert.deepEqual(bareEnglishRunnerErrors(ok), []);
  const found = [...tsFiles('src/core'), ...tsFiles('src/transport')].flatMap((f) => bareEnglishRunnerErrors(read(f)).map((x) => `${f}: ${x}`));
  assert.deepEqual(found, [], 'give these errors their catalogue message, msg(...), and its French in l10n/bundle.l10n.fr.json');
});

test('a transport error made here reads in French, the target as it was typed', async () => {
  const { parseTarget } = await import('../../src/transport/target');
  const { render } = await import('../../src/core/l10n');
  const e = (() => {
    try {
      parseTarget('a b@@c');
    } catch (err) {
      return err as import('../../src/core/exec').RunnerError;
    }
    throw new Error('parseTarget accepted "a b@@c"');
  })();
  assert.equal(e.message, render(e.text, 'en'));
  assert.match(render(e.text, 'fr'), /^(cible SSH invalide|nom d'utilisateur invalide dans la cible SSH|hôte invalide dans la cible SSH) "a b@@c"$/);
  assert.match(render(e.adviceText!, 'fr'), /^Utilisez utilisateur@hôte/);
});
