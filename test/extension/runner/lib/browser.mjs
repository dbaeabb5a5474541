// Debian's Chromium driven by playwright-core (no browser download), headless, fresh profile per launch.
import fs from 'node:fs';
import { CHROMIUM } from './setup.mjs';
import { onCleanup, tempDir } from './processes.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Returns { context, page } of a fresh persistent context; closed at cleanup. */
export async function launchChromium(runner, { headless = true, viewport = { width: 1440, height: 900 } } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing (Debian package chromium)`);
  const { chromium } = runner.playwright();
  const profile = tempDir('gitops-dr-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args: CHROMIUM_ARGS,
    viewport,
    timeout: 60_000,
    // Our own handlers close the browser and the server; Playwright's would exit before they run.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup(() => context.close().catch(() => {}));
  const page = context.pages()[0] || (await context.newPage());
  return { context, page };
}
