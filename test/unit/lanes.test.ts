import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LaneRunner, lanesOf, Splitter } from '../../src/core/lanes';
import { laneCommand, plainCommand } from '../../src/core/catalogue/lane';
import { buildWindow, catalogue, DEFAULT_PROFILE } from '../../src/core/index';
import { RunnerError, type CommandRunner, type RunOptions, type RunResult } from '../../src/core/exec';
import { LocalRunner } from '../../src/transport/local';

/** A LocalRunner that counts the commands it really ran (a lane is one). */
function counting(): { runner: CommandRunner; lines: string[] } {
  const local = new LocalRunner();
  const lines: string[] = [];
  return {
    lines,
    runner: { describe: () => 'local', close: async () => undefined, run: (c: string, o?: RunOptions) => (lines.push(c), local.run(c, o)) },
  };
}

test('lane: several commands in one run, each with its own output, stderr, status and streamed chunks', async () => {
  const { runner, lines } = counting();
  const lanes = new LaneRunner(runner, { sudo: 1, user: 1 });
  const streamed: string[] = [];
  const cmds = ["printf 'a\\nb\\n'", "printf 'no newline'; echo oops >&2; exit 3", "printf '\\n\\n'", 'true', "printf 'caf\\303\\251\\n'"];
  const res = await Promise.all(cmds.map((c, i) => lanes.run(c, i === 0 ? { onStdout: (s) => streamed.push(s) } : {})));
  assert.equal(lines.length, 1, 'one command line for the five');
  assert.deepEqual(res.map((r) => r.stdout), ['a\nb\n', 'no newline', '\n\n', '', 'café\n']);
  assert.deepEqual(res.map((r) => r.code), [0, 3, 0, 0, 0]);
  assert.deepEqual(res.map((r) => r.stderr), ['', 'oops\n', '', '', '']);
  assert.equal(streamed.join(''), 'a\nb\n');
});

test('lane: a command alone runs as itself', async () => {
  const { runner, lines } = counting();
  const r = await new LaneRunner(runner).run('echo hi');
  assert.equal(r.stdout, 'hi\n');
  assert.deepEqual(lines, ['echo hi']);
});

test('lane: a command over its time ends with COMMAND_TIMEOUT, the others of its lane still give their output', async () => {
  const { runner, lines } = counting();
  const lanes = new LaneRunner(runner, { sudo: 1, user: 1 });
  const p = [lanes.run('echo first', { timeoutMs: 5000 }), lanes.run('sleep 30', { timeoutMs: 300 }), lanes.run('echo after', { timeoutMs: 5000 })];
  const [a, b, c] = await Promise.allSettled(p);
  assert.equal(a.status === 'fulfilled' && a.value.stdout, 'first\n');
  assert.ok(b.status === 'rejected' && b.reason instanceof RunnerError && b.reason.code === 'COMMAND_TIMEOUT');
  assert.equal(c.status === 'fulfilled' && c.value.stdout, 'after\n');
  assert.equal(lines.length, 2, 'the lane, then the command it had not reached, alone');
});

test('lane: a byte cap cuts that command only (truncated, status null)', async () => {
  const { runner } = counting();
  const lanes = new LaneRunner(runner, { sudo: 1, user: 1 });
  const [big, next] = await Promise.all([lanes.run('yes | head -c 100000', { maxBytes: 1000 }), lanes.run('echo next')]);
  assert.equal(big.truncated, true);
  assert.equal(big.code, null);
  assert.equal(big.stdout.length, 1000);
  assert.equal(next.stdout, 'next\n');
});

test('lane: cancel rejects CANCELLED', async () => {
  const { runner } = counting();
  const lanes = new LaneRunner(runner, { sudo: 1, user: 1 });
  const ac = new AbortController();
  const p = Promise.allSettled([lanes.run('sleep 30', { signal: ac.signal }), lanes.run('sleep 30', { signal: ac.signal })]);
  setTimeout(() => ac.abort(), 200);
  for (const r of await p) assert.ok(r.status === 'rejected' && (r.reason as RunnerError).code === 'CANCELLED');
});

test('lane: a failure of the whole run (sudo refused, connection lost) reaches every command of the lane', async () => {
  const failing: CommandRunner = { describe: () => 'x', close: async () => undefined, run: async (): Promise<RunResult> => Promise.reject(new RunnerError('SUDO_PASSWORD_REQUIRED', 'sudo needs a password')) };
  const lanes = new LaneRunner(failing, { sudo: 1, user: 1 });
  for (const r of await Promise.allSettled([lanes.run('a', { sudo: true }), lanes.run('b', { sudo: true })])) {
    assert.ok(r.status === 'rejected' && (r.reason as RunnerError).code === 'SUDO_PASSWORD_REQUIRED');
  }
});

test('splitter: markers split across chunks at every byte, text streamed as it comes', () => {
  const nonce = '0123456789abcdef';
  const stream = `\x1eILS${nonce} 0\nhello\n\x1eILX${nonce} 0 0\n\x1eILS${nonce} 1\nx\n\x1eILX${nonce} 1 2\n`;
  for (let cut = 1; cut < stream.length; cut++) {
    const text: string[] = ['', ''];
    const ends: [number, number][] = [];
    const s = new Splitter(nonce, true, (i, t) => (text[i] += t), (i, c) => ends.push([i, c]));
    s.push(stream.slice(0, cut));
    s.push(stream.slice(cut));
    s.end();
    assert.deepEqual(text, ['hello', 'x'], `cut at ${cut}`);
    assert.deepEqual(ends, [[0, 0], [1, 2]]);
  }
});

test('lanes: heavy commands get lanes of their own; a lane stays short enough for one argument', () => {
  const m = (command: string, weight: number) => ({ command, opts: { weight } });
  const lanes = lanesOf([m('a', 1), m('access', 6), m('b', 1), m('syslog', 4), m('c', 3)], 3);
  // heaviest first on the lightest lane; within a lane the light ones first
  assert.deepEqual(lanes.map((l) => l.map((x) => x.command)), [['access'], ['b', 'syslog'], ['a', 'c']]);
  const long = lanesOf(Array.from({ length: 12 }, (_, i) => m(`x${i}`.padEnd(9000, ' '), 1)), 1);
  assert.ok(long.length > 1 && long.every((l) => laneCommand('00ff00ff', l.map((x) => x.command)).length < 64 * 1024));
});

test('transport frame: a lane marker at the end of a chunk passes at once; only what may be the end marker waits', async () => {
  const { StdoutFrame } = await import('../../src/transport/remoteCommand');
  const f = new StdoutFrame('abcd');
  f.push(Buffer.from('\x1eILBabcd\n'));
  assert.equal(f.push(Buffer.from('out\n\x1eILS0011 3\n')).toString(), 'out\n\x1eILS0011 3\n');
  assert.equal(f.push(Buffer.from('x\x1eILEab')).toString(), 'x');
  assert.equal(f.push(Buffer.from('cd 0\n')).toString(), '');
  assert.equal(f.end().toString(), '');
  assert.equal(f.exitStatus, 0);
});

test('lane: the catalogue\'s commands run in the lane\'s shell (no subshell each); one that changes the shell gets its own (trap)', async () => {
  const w = buildWindow({ at: '2025-01-15 22:20', tz: 'Europe/Paris' });
  for (const src of catalogue(DEFAULT_PROFILE, w, {})) assert.ok(plainCommand(src.command), src.id);
  for (const c of ['cd /', 'x=1', 'x=1 ls', 'echo a; exit 3', 'set -e', 'exec ls', 'echo $x', 'echo "a"', '(ls)', '{ ls; }', 'ls &', 'grep a < f', "echo 'open", 'printf x', 'command cd /', 'command set -e', 'if command exec ls; then ls; fi']) {
    assert.equal(plainCommand(c), false, c);
  }
  for (const c of ["echo 'a;b' && ls -d -- '$x' 2>/dev/null 1>&2", 'command -v ss >/dev/null || netstat -tn', "if test -e 'x' || ls | grep -q .; then find . -print0 | xargs -0 -r grep -H -e '' --; else echo 'no' 1>&2; fi"]) {
    assert.equal(plainCommand(c), true, c);
  }
  // state set by one command never reaches the next: cd, an assignment, set -e, exit
  const lanes = new LaneRunner(new LocalRunner(), { sudo: 1, user: 1 });
  const cmds = ['cd / && x=5 && set -e', 'echo "[$x]"; pwd', 'false; echo after', 'exit 4', "echo 'still here'"];
  const res = await Promise.all(cmds.map((c) => lanes.run(c)));
  assert.deepEqual(res.map((r) => r.stdout), ['', `[]\n${process.cwd()}\n`, 'after\n', '', 'still here\n']);
  assert.deepEqual(res.map((r) => r.code), [0, 0, 0, 4, 0]);
});
