/** The app's own mail settings decide which relay and sender the rules tie mail lines to. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRelay, parseAppSettings } from '../../src/core/settings';
import { DEFAULT_PROFILE, validateProfile } from '../../src/core/profile';
import type { HostFacts } from '../../src/core/facts';
import { render } from '../../src/core/l10n';

const OUT = `/var/www/app/app/settings.py:EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
/var/www/app/app/settings.py:EMAIL_HOST = os.environ.get('EMAIL_HOST', 'localhost')
/var/www/app/app/settings.py:EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
/var/www/app/app/settings.py:DEFAULT_FROM_EMAIL = 'Aquademie <tresorier@aquademie.example.fr>'
/etc/postfix/main.cf:relayhost = [smtp.example-relay.fr]:587
`;

test('settings.py through os.environ defaults, DEFAULT_FROM_EMAIL with a display name, main.cf relayhost', () => {
  const s = parseAppSettings(OUT);
  assert.deepEqual(s, { backend: 'django.core.mail.backends.smtp.EmailBackend', host: 'localhost', port: 25, sender: 'tresorier@aquademie.example.fr', relayhost: 'smtp.example-relay.fr' });
  const facts: HostFacts = { notes: [] };
  decideRelay(s, DEFAULT_PROFILE, facts);
  assert.equal(facts.relay?.localPostfix, true);
  assert.equal(facts.relay?.host, 'smtp.example-relay.fr');
  assert.match(render(facts.relay!.why, 'en'), /local Postfix.*smtp\.example-relay\.fr \(main\.cf relayhost\)/);
  assert.equal(facts.appSender, 'tresorier@aquademie.example.fr');
});

test('a remote EMAIL_HOST means local Postfix is not the app\'s path; --smtp-host overrides the settings', () => {
  const s = parseAppSettings("x/settings.py:EMAIL_HOST = 'ssl0.ovh.net'\nx/settings.py:EMAIL_PORT = 465\nx/settings.py:EMAIL_USE_SSL = True\n");
  const facts: HostFacts = { notes: [] };
  decideRelay(s, DEFAULT_PROFILE, facts);
  assert.deepEqual([facts.relay?.host, facts.relay?.port, facts.relay?.localPostfix], ['ssl0.ovh.net', 465, false]);
  const given: HostFacts = { notes: [] };
  decideRelay(s, validateProfile({ smtpHost: 'smtp.example.org' }), given);
  assert.equal(given.relay?.host, 'smtp.example.org');
  assert.match(render(given.relay!.why, 'en'), /--smtp-host/);
  const none: HostFacts = { notes: [] };
  decideRelay(parseAppSettings(''), DEFAULT_PROFILE, none);
  assert.match(render(none.relay!.why, 'en'), /default/);
});
