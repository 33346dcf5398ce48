// Debian's chromium driven by the project's playwright-core (nothing downloaded), with the flags measured to work
// headless as root in a container.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.INCIDENT_LENS_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(profileDir, viewport = { width: 1400, height: 850 }) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
