/** The command table (src/shared/commands.ts) and package.json's contributions name the same commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Commands, SERVER_COMMANDS } from '../../src/shared/commands';

const read = (f: string) => JSON.parse(readFileSync(resolve(__dirname, '..', '..', f), 'utf8')) as Record<string, string>;
const pkg = read('package.json') as unknown as { contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> } };

test('every command of the table is contributed by package.json (the server\'s own aside), and no other', () => {
  const table = Object.values(Commands).filter((c) => !SERVER_COMMANDS.includes(c)).sort();
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, table);
  assert.equal(new Set(Object.values(Commands)).size, Object.values(Commands).length, 'ids are unique');
});

test('every menu entry and welcome-view link names a command of the table', () => {
  const ids = new Set<string>(Object.values(Commands));
  const used = [
    ...Object.values(pkg.contributes.menus).flatMap((entries) => entries.map((e) => e.command)),
    ...['package.nls.json', 'package.nls.fr.json'].flatMap((f) => [...read(f)['view.welcome'].matchAll(/command:(incidentLens\.\w+)/g)].map((m) => m[1])),
  ];
  assert.ok(used.length > 20, `found ${used.length} menu entries`);
  for (const id of used) assert.ok(ids.has(id), `${id} is not in src/shared/commands.ts`);
});

test('the view and the context keys package.json names come from the id table (src/shared/ids.ts)', async () => {
  const { ContextKeys, Views } = await import('../../src/shared/ids');
  const text = readFileSync(resolve(__dirname, '..', '..', 'package.json'), 'utf8');
  const views = (pkg as unknown as { contributes: { views: Record<string, { id: string }[]> } }).contributes.views;
  assert.deepEqual(Object.values(views).flat().map((v) => v.id), [Views.sources]);
  // every non-setting, non-command `incidentLens.x` a `when` clause reads is a view or a context key of the table
  const whens = [...text.matchAll(/"when": "([^"]*)"/g)].map((m) => m[1]);
  const named = new Set(whens.flatMap((w) => [...w.matchAll(/incidentLens\.\w+/g)].map((m) => m[0])));
  assert.ok(named.size >= 3, `found ${[...named].join(', ')}`);
  const known = new Set<string>([...Object.values(Views), ...Object.values(ContextKeys)]);
  for (const k of named) assert.ok(known.has(k), `${k} (a when clause of package.json) is not in src/shared/ids.ts`);
  for (const k of Object.values(ContextKeys)) assert.ok(named.has(k), `context key ${k} is read by no when clause`);
});
