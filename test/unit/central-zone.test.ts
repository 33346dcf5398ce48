/** The zone of an app host's syslog lines on a log host, from the same messages in its journal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferTreeOffset, ZONE_TREE_MARK } from '../../src/core/central-zone';
import { zoneForOffset } from '../../src/core/facts';
import { offsetText, zoneOffsetMinutes } from '../../src/core/time';

// 2025-06-12 04:03:02 UTC = 1749700982
const JOURNAL = [
  '1749700982.412000 app3 gunicorn[1093]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Starting gunicorn 21.2.0',
  '1749700982.415000 app3 gunicorn[1093]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Listening at: http://0.0.0.0:8000 (1093)',
  '1749758221.000000 app3 CRON[40211]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)',
];

test('lines written in UTC on a log host: offset 0, from the messages both hold', () => {
  const tree = ['Jun 12 04:03:02 app3 gunicorn[1093]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Starting gunicorn 21.2.0', 'Jun 12 19:57:01 app3 CRON[40211]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)'];
  assert.equal(inferTreeOffset([...JOURNAL, ZONE_TREE_MARK, ...tree].join('\n')), 0);
});

test('lines written in Paris summer time: +120 minutes; a lone line that disagrees does not outvote the rest', () => {
  const tree = [
    'Jun 12 06:03:02 app3 gunicorn[1093]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Starting gunicorn 21.2.0',
    'Jun 12 06:03:02 app3 gunicorn[1093]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Listening at: http://0.0.0.0:8000 (1093)',
    'Jun 12 19:57:01 app3 CRON[40211]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)',
  ];
  assert.equal(inferTreeOffset([...JOURNAL, ZONE_TREE_MARK, ...tree].join('\n')), 120);
});

test('traps: no message in common, another process id, RFC 3339 lines, no mark: no offset is made up', () => {
  const other = ['Jun 12 06:03:02 app3 sshd[777]: Accepted publickey for deploy', 'Jun 12 06:03:02 app3 gunicorn[9999]: [2025-06-12 04:03:02 +0000] [1093] [INFO] Starting gunicorn 21.2.0'];
  assert.equal(inferTreeOffset([...JOURNAL, ZONE_TREE_MARK, ...other].join('\n')), undefined);
  assert.equal(inferTreeOffset([...JOURNAL, ZONE_TREE_MARK, '2025-06-12T06:03:02+02:00 app3 gunicorn[1093]: x'].join('\n')), undefined);
  assert.equal(inferTreeOffset(JOURNAL.join('\n')), undefined);
});

test('zone helpers: Paris is +60 in winter and +120 in summer; whole hours have an Etc name', () => {
  assert.equal(zoneOffsetMinutes('Europe/Paris', new Date('2025-01-15T21:20:00Z')), 60);
  assert.equal(zoneOffsetMinutes('Europe/Paris', new Date('2025-06-12T19:40:00Z')), 120);
  assert.equal(zoneForOffset(offsetText(120, false)), 'Etc/GMT-2');
  assert.equal(zoneForOffset(offsetText(-300, false)), 'Etc/GMT+5');
  assert.equal(zoneForOffset(offsetText(0, false)), 'UTC');
  assert.equal(zoneForOffset(offsetText(330, false)), undefined);
});

// Real lines, from the journalctl output quoted in systemd/systemd#29134 (a fan-controller script on host "tarta",
// +0200): the same messages come back every few seconds, so a message's first journal copy may not be its tree copy's.
test('real lines that repeat (systemd#29134): the offset of the many pairs wins, +120', () => {
  const journal = [
    '1694186430.655028 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 43 Celcius.',
    '1694186447.560211 tarta r710_fan_controller.sh[20911]: Changing to fan level 4.',
    '1694186447.561000 tarta r710_fan_controller.sh[20911]: Highest CPU core temperature: 36 Celcius.',
    '1694186447.562000 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 44 Celcius.',
    '1694186548.100000 tarta r710_fan_controller.sh[20911]: Changing to fan level 3.',
    '1694186548.101000 tarta r710_fan_controller.sh[20911]: Highest CPU core temperature: 35 Celcius.',
    '1694186576.200000 tarta r710_fan_controller.sh[20911]: Changing to fan level 4.',
  ];
  const tree = [
    'Sep  8 17:20:30 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 43 Celcius.',
    'Sep  8 17:20:47 tarta r710_fan_controller.sh[20911]: Changing to fan level 4.',
    'Sep  8 17:20:47 tarta r710_fan_controller.sh[20911]: Highest CPU core temperature: 36 Celcius.',
    'Sep  8 17:22:28 tarta r710_fan_controller.sh[20911]: Changing to fan level 3.',
    'Sep  8 17:22:56 tarta r710_fan_controller.sh[20911]: Changing to fan level 4.',
    'Sep  8 17:22:56 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 44 Celcius.',
  ];
  assert.equal(inferTreeOffset([...journal, ZONE_TREE_MARK, ...tree].join('\n')), 120);
});
