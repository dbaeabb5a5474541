#!/usr/bin/env node
// Feature tour for the README: code-server on the demo clusters (as `npm start`), driven by Playwright + Debian
// Chromium in a 1600x1000 window. Walks the flows a user meets (tree, backup, lint, restore plan, failover view,
// secondary pre-checks, the backup store) and saves one screenshot per flow under artifacts/screenshots/tour/. It
// checks what a person needs on that screen: tree labels not cut at the default sidebar width, the status bar's DR
// role, the restore target picker not offering the backup's source first, the failover view's buttons and its
// confirmation on screen and clickable. Exits non-zero when a check fails or a step's element never appears
// (failure.png shows the state). npm test runs it in the ui tier; --media also copies the README's screenshots to
// media/screenshots/.
//
//   node test/ui/tour.mjs [--kubeconfig PATH] [--url URL (attach to a running server)] [--only tree,backup,...]
//                         [--timeout-minutes 15] [--media] [--headed]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRunner, REPO_ROOT } from '../extension/runner/lib/setup.mjs';
import { clusterUp, prepareWorkspace, startDemoServer } from '../extension/runner/lib/demo.mjs';
import { launchChromium } from '../extension/runner/lib/browser.mjs';
import { exitWith, freePort, installSignalHandlers, tempDir, timeout } from '../extension/runner/lib/processes.mjs';

const { values: opts } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    url: { type: 'string' },
    only: { type: 'string' },
    'timeout-minutes': { type: 'string', default: '15' },
    media: { type: 'boolean', default: false },
    headed: { type: 'boolean', default: false },
  },
});
const VIEWPORT = { width: 1600, height: 1000 };
const STEP_MS = 90_000;
const SHOTS = path.join(REPO_ROOT, 'artifacts', 'screenshots', 'tour');
const say = (m) => process.stderr.write(`[tour] ${m}\n`);
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let page;
/** The user settings file of the tour's own code-server (undefined with --url): flows change settings through it. */
let userSettingsFile;

/**
 * Merges settings into the user settings file, then reloads the window (code-server does not watch the file) and
 * waits for the GitOps DR view to show its tree again.
 */
async function updateUserSettings(settings, tree) {
  if (!userSettingsFile) throw new Error('this flow changes user settings: run it on the tour\'s own server (without --url)');
  const current = fs.existsSync(userSettingsFile) ? JSON.parse(fs.readFileSync(userSettingsFile, 'utf8')) : {};
  fs.writeFileSync(userSettingsFile, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
  await runCommand('Developer: Reload Window');
  await page.waitForTimeout(2000);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 180_000 });
  await tree.getByRole('treeitem').first().waitFor({ timeout: 180_000 });
}

async function until(what, check, ms = STEP_MS) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await page.waitForTimeout(250);
  }
}

async function screenshot(name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot ${path.relative(REPO_ROOT, file)}`);
}

async function step(name, fn) {
  say(`${name}...`);
  try {
    return await fn();
  } catch (e) {
    await page.screenshot({ path: path.join(SHOTS, 'failure.png') }).catch(() => {});
    throw new Error(`step "${name}" failed: ${e.message.split('\n')[0]} (see artifacts/screenshots/tour/failure.png)`);
  }
}

const quickInput = () => page.locator('.quick-input-widget');
const options = () => quickInput().locator('[role="option"]');

/** Runs a palette command by its "Category: Title". */
async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = quickInput().locator('input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const option = options().filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }) }).first();
  await option.waitFor();
  await option.click();
}

/** Picks the quick-pick item whose text matches re; logs what the pick offered. */
async function pick(re) {
  await options().first().waitFor();
  const texts = (await options().allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  say(`  pick offers: ${texts.join(' | ')}`);
  const i = texts.findIndex((t) => re.test(t));
  if (i < 0) throw new Error(`no item matching ${re} among: ${texts.join(' | ')}`);
  await options().nth(i).click();
  return texts[i];
}

async function main() {
  installSignalHandlers();
  fs.mkdirSync(SHOTS, { recursive: true });
  const runner = await ensureRunner();
  let url = opts.url;
  if (!url) {
    const kubeconfig = opts.kubeconfig ? path.resolve(opts.kubeconfig) : await clusterUp('demo');
    const workspace = prepareWorkspace(tempDir('gitops-dr-tour-ws-'));
    const stateDir = tempDir('gitops-dr-tour-');
    userSettingsFile = path.join(stateDir, 'user-data', 'User', 'settings.json');
    const demo = await startDemoServer({ port: await freePort(), kubeconfig, workspace, stateDir });
    url = demo.url;
  }
  ({ page } = await launchChromium(runner, { headless: !opts.headed, viewport: VIEWPORT }));
  page.setDefaultTimeout(STEP_MS);
  await step('open the workbench', async () => {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 180_000 });
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 180_000 });
  });
  const sidebar = page.locator('.part.sidebar');
  const tree = sidebar.getByRole('tree', { name: /DR Agents/i });
  await step('open the GitOps DR view', async () => {
    await page.locator('.part.activitybar').getByRole('tab', { name: /^GitOps DR/ }).click();
    await tree.getByRole('treeitem').first().waitFor();
  });
  const flows = (opts.only ?? '').split(',').filter(Boolean);
  const want = (name) => !flows.length || flows.includes(name);
  for (const [name, fn] of FLOWS) if (want(name)) await fn({ tree, sidebar });
  if (opts.media) copyReadmeShots();
  say('passed');
  return 0;
}

/** The README's screenshots (media/screenshots/NAME.png) that this run took, copied there. */
function copyReadmeShots() {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const names = [...readme.matchAll(/media\/screenshots\/([\w-]+)\.png/g)].map((m) => m[1]);
  for (const name of new Set(names)) {
    const shot = path.join(SHOTS, `${name}.png`);
    if (!fs.existsSync(shot)) throw new Error(`README shows media/screenshots/${name}.png, which this tour run did not take`);
    fs.copyFileSync(shot, path.join(REPO_ROOT, 'media', 'screenshots', `${name}.png`));
    say(`media/screenshots/${name}.png updated`);
  }
}

/** Tree rows of the sidebar whose label (not the description) is cut: the name runs past its container. */
async function cutLabels() {
  const { measured, cut } = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')].filter((row) => !row.querySelector('.actions .action-item')?.offsetParent); // not rows showing their actions
    const out = { measured: 0, cut: [] };
    for (const row of rows) {
      const name = row.querySelector('.label-name');
      const box = row.querySelector('.monaco-icon-label-container');
      if (!name || !box) continue;
      out.measured++;
      if (name.getBoundingClientRect().right > box.getBoundingClientRect().right + 1) out.cut.push(name.textContent);
    }
    return out;
  });
  say(`  ${measured} tree labels measured, ${cut.length} cut`);
  if (measured < 5) throw new Error(`only ${measured} tree labels could be measured: the check would prove nothing`);
  return cut;
}

/** An element's box is inside the window, and a click at its centre reaches it (nothing covers it). */
async function assertOnScreen(locator, what) {
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${what}: not rendered`);
  if (b.x < 0 || b.y < 0 || b.x + b.width > VIEWPORT.width || b.y + b.height > VIEWPORT.height) throw new Error(`${what} is off-screen at ${JSON.stringify(b)} in a ${VIEWPORT.width}x${VIEWPORT.height} window`);
  const reached = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit === el || el.contains(hit);
  });
  if (!reached) throw new Error(`${what} is covered: a click at its centre lands elsewhere`);
}

/** The frame of a webview (code-server nests it in two iframes) that holds selector. */
async function webviewFrame(selector) {
  const deadline = Date.now() + STEP_MS;
  while (Date.now() < deadline) {
    for (const f of page.frames()) if (await f.locator(selector).count().catch(() => 0)) return f;
    await page.waitForTimeout(500);
  }
  throw new Error(`no webview shows ${selector}`);
}

const FLOWS = [
  ['tree', async ({ tree }) => {
    await step('expand the pair\'s members', async () => {
      const row = (name) => tree.locator('[role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
      // Discovery streams in for a few seconds (each answer repaints the tree): click again until a row stays open.
      for (const name of ['east', 'west']) {
        await row(name).waitFor();
        await until(`${name} expanded`, async () => {
          if ((await row(name).getAttribute('aria-expanded')) === 'true') return true;
          await page.mouse.move(1500, 900); // the hover of the row clicked before would cover this one
          await page.waitForTimeout(300);
          await row(name).click();
          await page.waitForTimeout(1500);
          return (await row(name).getAttribute('aria-expanded')) === 'true';
        });
      }
      await page.waitForTimeout(1500);
    });
    await page.waitForTimeout(3000);
    // The secondary as it stands in a DR pair: fenced (our deny window on its AppProjects), its row re-probed at once.
    await step('block syncs on west: the tree shows it fenced without a refresh', async () => {
      await runCommand('GitOps DR: Block Syncs (Deny Sync Window)');
      await pick(/^west/);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Block Syncs' }).click();
      await tree.locator('[role="treeitem"][aria-label^="west, "][aria-label*="· fenced ·"]').waitFor();
      await tree.locator('[role="treeitem"][aria-label^="west, "] .codicon-lock').waitFor();
      // No row selected: a selected row gives room to its action buttons, the screenshot shows the rows as they read.
      await tree.focus();
      await page.keyboard.press('Escape');
      await page.mouse.move(1500, 900);
      await page.waitForTimeout(1000);
    });
    await step('the status bar names the current context\'s DR role', async () => {
      await page.locator('.part.statusbar').getByText(/DR east: primary/).waitFor();
    });
    await step('tree labels fit the default sidebar width', async () => {
      await page.mouse.move(1500, 900);
      await page.waitForTimeout(500);
      const cut = await cutLabels();
      if (cut.length) throw new Error(`labels cut at the default sidebar width: ${cut.join(', ')}`);
    });
    await screenshot('agents-tree');
    await step('allow syncs on west again: the fence leaves the tree', async () => {
      await runCommand('GitOps DR: Allow Syncs (Remove Our Deny Window)');
      await pick(/^west/);
      await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow Syncs' }).click();
      await until('west no longer fenced', async () => !(await tree.locator('[role="treeitem"][aria-label^="west, "]').first().getAttribute('aria-label'))?.includes('· fenced ·'));
    });
  }],
  ['backup', async () => {
    await step('back up east', async () => {
      await runCommand('GitOps DR: Back Up Agent');
      await pick(/east/);
      await page.locator('.editor-group-container .tab').filter({ hasText: /backup/i }).first().waitFor();
      await page.waitForTimeout(2000);
    });
    await screenshot('backup-masked');
  }],
  ['restore', async () => {
    await step('restore into west', async () => {
      await runCommand('GitOps DR: Restore Backup…');
      // The backup taken above (held in memory) when there is one, else the workspace's sample file.
      const first = await pick(/held in memory|Browse/);
      if (/Browse/.test(first)) {
        await page.waitForTimeout(1000);
        await pick(/^sample\.backup\.yaml/);
      }
      await page.waitForTimeout(1000);
      // The backup's source (east) is offered last, never first: Enter must not restore it over itself.
      await options().first().waitFor();
      const firstTarget = (await options().first().innerText()).replace(/\s+/g, ' ').trim();
      if (/^\S*east\b/.test(firstTarget)) throw new Error(`the restore target picker offers the backup's source first: ${firstTarget}`);
      await pick(/^west/);
      await quickInput().getByText('Create namespaces').waitFor();
    });
    await step('plan the restore', async () => {
      // Keyboard, as a user would: filter to the option, toggle it, clear the filter.
      const input = quickInput().locator('input.input');
      await input.fill('Create namespaces');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Space');
      await input.fill('');
      await page.mouse.move(1500, 900);
      await quickInput().getByText('2 Selected').waitFor();
      await screenshot('restore-options');
      await page.keyboard.press('Enter');
      await page.locator('.part.sidebar').getByText(/Restore Plan/i).first().waitFor();
      await page.waitForTimeout(4000);
    });
    await step('plan labels fit the default sidebar width', async () => {
      await page.mouse.move(1500, 900);
      const cut = await cutLabels();
      if (cut.length) throw new Error(`labels cut at the default sidebar width: ${cut.join(', ')}`);
    });
    await screenshot('restore-plan');
  }],
  ['failover', async () => {
    await step('fail over to west', async () => {
      await runCommand('GitOps DR: Fail Over to This Agent');
      await pick(/west/);
      await page.waitForTimeout(6000);
    });
    await step('the failover view\'s buttons are on screen and clickable', async () => {
      const view = await webviewFrame('button[data-action="run"]');
      for (const action of ['run', 'skip', 'stop']) await assertOnScreen(view.locator(`button[data-action="${action}"]`), `the "${action}" button`);
      await screenshot('failover-view');
      // Start asks a short confirmation; it fits the window, and Cancel leaves everything pending.
      await view.locator('button[data-action="run"]').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      await assertOnScreen(dialog.getByRole('button', { name: 'Start' }), 'the confirmation\'s Start button');
      const cancel = dialog.getByRole('button', { name: 'Cancel' });
      await assertOnScreen(cancel, 'the confirmation\'s Cancel button');
      await screenshot('failover-confirm');
      await cancel.click();
      await dialog.waitFor({ state: 'hidden' });
      await view.getByText(/nothing changed yet/i).waitFor();
    });
  }],
  ['secondary', async () => {
    await step('pre-checks for a secondary of lab on west', async () => {
      await runCommand('GitOps DR: Add Secondary DR Agent…');
      await pick(/lab/);
      await page.waitForTimeout(1000);
      await pick(/^west/);
      // The DR identifier proposed for the secondary: keep it.
      await quickInput().locator('input.input').waitFor();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(8000);
    });
    await screenshot('secondary-prechecks');
  }],
  // Last: it configures a backup location, which adds a "Stored backups" row under every agent.
  ['store', async ({ tree }) => {
    const storeDir = tempDir('gitops-dr-tour-store-');
    const rows = tree.locator('[role="treeitem"]');
    const named = (re) => rows.filter({ has: page.locator('.label-name', { hasText: re }) }).first();
    const manifests = () => (fs.readdirSync(storeDir, { recursive: true })).filter((f) => String(f).endsWith('.manifest.json')).length;
    const description = async (row) => (await row.locator('.label-description').first().textContent()) ?? '';
    const expand = async (row) => {
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    };
    await step('configure a backup location (a directory)', async () => {
      await updateUserSettings({ 'gitopsDr.backupLocation': storeDir, 'gitopsDr.rpoMinutes': 1440 }, tree);
      await expand(named(/^dragent$/));
      await expand(named(/^east$/));
      await named(/^Stored backups$/).waitFor();
    });
    await step('widen the side bar', async () => {
      const box = await page.locator('.part.sidebar').boundingBox();
      await page.mouse.move(box.x + box.width + 1, box.y + 300);
      await page.mouse.down();
      await page.mouse.move(820, box.y + 300, { steps: 8 });
      await page.mouse.up();
    });
    let lastBackupAt = 0;
    for (const n of [1, 2]) {
      await step(`Back Up Now to Store on east (${n})`, async () => {
        await named(/^east$/).click({ button: 'right' });
        // The workbench's context menu ignores a click that comes right after it opened (seen after the other
        // flows: the item highlighted, the menu still open); hovering focuses the item and Enter runs it.
        const item = page.getByRole('menuitem', { name: /Back Up Now to Store/ });
        await item.hover();
        await page.waitForTimeout(300);
        await page.keyboard.press('Enter');
        await page.getByRole('menu').waitFor({ state: 'hidden', timeout: 5000 });
        await until('the stored backup', () => manifests() === n);
        lastBackupAt = Date.now();
        if (n === 1) await page.waitForTimeout(8000); // a few seconds apart, so the rows show two ages
      });
    }
    await step('open the stored backups of east', async () => {
      const folder = named(/^Stored backups$/);
      await until('both backups listed', async () => (await description(folder)).trim() === '2');
      await expand(folder);
      await rows.filter({ hasText: /s ago/ }).nth(1).waitFor();
      await page.mouse.move(1500, 900);
      await page.waitForTimeout(1500);
    });
    await screenshot('store-backups');
    await step('an RPO of 1 minute, exceeded', async () => {
      // The objective is whole minutes: wait until the newest backup is over a minute old, then set it.
      await page.waitForTimeout(Math.max(0, lastBackupAt + 62_000 - Date.now()));
      await updateUserSettings({ 'gitopsDr.rpoMinutes': 1 }, tree);
      const pair = named(/^dragent$/);
      await until('the pair shows its RPO exceeded', async () => /RPO 1 min > 1 min$/.test(await description(pair)));
      await pair.hover();
      await page.locator('.monaco-hover').filter({ hasText: /over the objective/ }).first().waitFor();
      await page.waitForTimeout(800);
    });
    await screenshot('store-rpo-exceeded');
  }],
];

const minutes = Number(opts['timeout-minutes']);
Promise.race([main(), timeout(minutes * 60_000, `global timeout (${minutes} min)`)]).then((code) => exitWith(code), (e) => {
  say(`FAILED: ${e.message}`);
  exitWith(1);
});
