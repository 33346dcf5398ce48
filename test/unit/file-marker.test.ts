/**
 * The file marker in force after a slice of a source's output (source-stream.ts fileMarkerAfter): the window reader
 * names each file it reads on a line of its own, and the lines after it belong to that file until the next marker
 * line. Trap: a log line that merely contains the marker's text is no marker and must not hide the marker line
 * before it (the next slice's lines would be credited to the previous file).
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_MARK } from '../../src/core/parse/text';
import { fileMarkerAfter } from '../../src/core/source-stream';

const marker = (file: string) => `${FILE_MARK}${file}\n`;

test('the last marker line of the slice is in force after it; none: the current one stays', () => {
  assert.equal(fileMarkerAfter(`${marker('/var/log/a.log')}x\n${marker('/var/log/b.log')}y\n`, 'cur'), marker('/var/log/b.log'));
  assert.equal(fileMarkerAfter('x\ny\n', 'cur'), 'cur');
  assert.equal(fileMarkerAfter(`x\n${FILE_MARK}/var/log/c.log`, 'cur'), `${FILE_MARK}/var/log/c.log`, 'a marker at the end without its newline');
});

test('trap: the marker text inside a log line is no marker and does not hide the marker line before it', () => {
  const hostile = `2025-01-15 22:20:01 app: user wrote "${FILE_MARK}/etc/passwd" in a form\n`;
  assert.equal(fileMarkerAfter(`${marker('/var/log/app.log')}${hostile}`, 'cur'), marker('/var/log/app.log'));
  assert.equal(fileMarkerAfter(hostile, 'cur'), 'cur');
});
