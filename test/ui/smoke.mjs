#!/usr/bin/env node
// UI smoke test: code-server started like `npm start` (demo clusters, KUBECONFIG, extension installed), driven by
// Playwright + Debian Chromium. Opens the GitOps DR view, waits for agents in the tree, expands one, runs a command
// from the palette, and saves screenshots under artifacts/screenshots/. Exits non-zero when a step's element never
// appears (a failure.png shows the state at that moment).
//
//   node test/ui/smoke.mjs [--kubeconfig PATH (skip the demo clusters)] [--url URL (attach to a running server)]
//                          [--extension DIR (default: the repository)]
//                          [--container "GitOps DR"] [--view "DR Agents"] [--command "GitOps DR: Refresh"]
//                          [--step-timeout 60] [--headed]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRunner, REPO_ROOT } from '../extension/runner/lib/setup.mjs';
import { clusterUp, prepareWorkspace, startDemoServer } from '../extension/runner/lib/demo.mjs';
import { launchChromium } from '../extension/runner/lib/browser.mjs';
import { exitWith, freePort, installSignalHandlers, tempDir, timeout } from '../extension/runner/lib/processes.mjs';

// What the smoke test looks for; adjust here (or with the flags) when the extension's labels change.
const LABELS = {
  container: 'GitOps DR', // activity-bar entry: viewsContainers.activitybar[id=gitopsDr].title
  view: 'DR Agents', // views.gitopsDr[id=gitopsDr.agents].name
  command: 'GitOps DR: Refresh', // command palette entry: "<category>: <title>"
};

const { values: opts } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    extension: { type: 'string', default: REPO_ROOT },
    url: { type: 'string' },
    container: { type: 'string', default: LABELS.container },
    view: { type: 'string', default: LABELS.view },
    command: { type: 'string', default: LABELS.command },
    'step-timeout': { type: 'string', default: '60' },
    headed: { type: 'boolean', default: false },
  },
});
const STEP_MS = Number(opts['step-timeout']) * 1000;
const SHOTS = path.join(REPO_ROOT, 'artifacts', 'screenshots');
const say = (m) => process.stderr.write(`[smoke] ${m}\n`);
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let page;
let shot = 0;
async function screenshot(name) {
  const file = path.join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot ${path.relative(REPO_ROOT, file)}`);
}

/** Runs one step; on failure saves failure.png and rethrows with the step's name. */
async function step(name, fn) {
  say(`${name}...`);
  try {
    return await fn();
  } catch (e) {
    await page.screenshot({ path: path.join(SHOTS, 'failure.png') }).catch(() => {});
    throw new Error(`step "${name}" failed: ${e.message.split('\n')[0]} (see artifacts/screenshots/failure.png)`);
  }
}

async function main() {
  installSignalHandlers();
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const runner = await ensureRunner();

  let url = opts.url;
  if (!url) {
    const kubeconfig = opts.kubeconfig ? path.resolve(opts.kubeconfig) : await clusterUp('demo');
    const workspace = prepareWorkspace(tempDir('gitops-dr-smoke-ws-'));
    const demo = await startDemoServer({
      port: await freePort(), kubeconfig, workspace, stateDir: tempDir('gitops-dr-smoke-'), extension: opts.extension,
    });
    url = demo.url;
    say(`code-server ${runner.version} on ${demo.server.base}; extension: ${demo.how}; KUBECONFIG=${kubeconfig}`);
  }
  ({ page } = await launchChromium(runner, { headless: !opts.headed }));
  page.setDefaultTimeout(STEP_MS);

  await step('open the workbench', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 180_000 });
  });
  await screenshot('workbench');

  const activityItem = page.locator('.part.activitybar').getByRole('tab', { name: new RegExp(`^${escapeRe(opts.container)}`) });
  await step(`click the "${opts.container}" activity-bar item`, async () => {
    await activityItem.click();
    await page.locator('.part.sidebar').getByText(opts.container, { exact: false }).first().waitFor();
  });

  const sidebar = page.locator('.part.sidebar');
  const tree = sidebar.getByRole('tree', { name: new RegExp(escapeRe(opts.view), 'i') });
  const items = tree.getByRole('treeitem');
  await step(`wait for items in the "${opts.view}" tree`, async () => {
    try {
      await items.first().waitFor();
    } catch (e) {
      // Say what the view shows instead (its welcome text tells why it is empty).
      const welcome = await sidebar.locator('.welcome-view-content').allInnerTexts().catch(() => []);
      if (welcome.length) e.message = `no tree items; the view shows: ${welcome.join(' ').replace(/\s+/g, ' ').trim()}`;
      throw e;
    }
  });
  await screenshot('view');

  await step('expand a tree item', async () => {
    const collapsed = tree.locator('[role="treeitem"][aria-expanded="false"]').first();
    await collapsed.waitFor();
    const label = await collapsed.getAttribute('aria-label');
    const before = await items.count();
    await collapsed.click();
    await tree.locator(`[role="treeitem"][aria-expanded="true"]`).first().waitFor();
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length > n,
      ['.part.sidebar [role="tree"] [role="treeitem"]', before], { timeout: STEP_MS });
    say(`expanded "${label}": ${before} -> ${await items.count()} items`);
  });
  await screenshot('expanded');

  await step(`run "${opts.command}" from the command palette`, async () => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor();
    await input.fill(`>${opts.command}`);
    const option = page.locator('.quick-input-widget [role="option"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(opts.command)}$`) }) }).first();
    await option.waitFor();
    await screenshot('palette');
    await option.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The command must leave the tree populated.
    await items.first().waitFor();
  });
  await screenshot('after-command');
  say('passed');
  return 0;
}

Promise.race([main(), timeout(10 * 60_000, 'global timeout (10 min)')]).then((code) => exitWith(code), (e) => {
  say(`FAILED: ${e.message}`);
  exitWith(1);
});
