import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { AdaptiveLimit } from '../../../src/core/restore/adaptiveLimit';
import { KubeError } from '../../../src/core/kube/errors';
import { sleep } from '../../../src/core/util/sleep';

/** Runs `n` requests through the limit, each taking `ms(inFlight)` and failing with `fail(i)` when it says so. */
async function drive(limit: AdaptiveLimit, n: number, ms: (inFlight: number) => number, fail: (i: number) => KubeError | undefined = () => undefined): Promise<number> {
  let inFlight = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit
        .run(async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await sleep(ms(inFlight));
          inFlight--;
          const e = fail(i);
          if (e) throw e;
        })
        .catch(() => undefined),
    ),
  );
  return most;
}

test('a fixed limit never moves and is never exceeded', async () => {
  const limit = new AdaptiveLimit({ initial: 3, max: 3, adaptive: false });
  const most = await drive(limit, 40, () => 2, (i) => (i % 5 === 0 ? new KubeError('tooManyRequests', '429') : undefined));
  assert.equal(most, 3);
  assert.deepEqual([limit.lowest, limit.highest, limit.current], [3, 3, 3]);
});

test('answers as fast as the best round let more in, up to the ceiling', async () => {
  const limit = new AdaptiveLimit({ initial: 2, max: 6, adaptive: true });
  const most = await drive(limit, 120, () => 15);
  assert.equal(limit.current, 6);
  assert.ok(most <= 6, `in flight ${most}`);
});

test('429 and 5xx halve the limit; a server that slows down as work is added gets less', async () => {
  const overloaded = new AdaptiveLimit({ initial: 16, max: 32, adaptive: true });
  await drive(overloaded, 64, () => 1, (i) => (i < 48 ? new KubeError(i % 2 ? 'server' : 'tooManyRequests', 'busy') : undefined));
  assert.ok(overloaded.lowest <= 4, `lowest ${overloaded.lowest}`);

  // Latency proportional to what is in flight (a saturated server): the limit stops well short of the ceiling.
  const saturated = new AdaptiveLimit({ initial: 4, max: 64, adaptive: true });
  await drive(saturated, 600, (inFlight) => inFlight * 3);
  assert.ok(saturated.highest < 64 && saturated.current < 32, `limit ${saturated.current} (highest ${saturated.highest})`);
  assert.ok(saturated.current >= 1);
});

test('errors that say nothing about load (a 409, a 422) leave the limit alone', async () => {
  const limit = new AdaptiveLimit({ initial: 4, max: 4, adaptive: true });
  await drive(limit, 40, () => 20, () => new KubeError('conflict', '409'));
  assert.equal(limit.lowest, 4);
});
