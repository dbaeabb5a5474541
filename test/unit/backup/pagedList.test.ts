import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PagedList, peekContinueToken } from '../../../src/core/backup/pagedList';
import { KubeError } from '../../../src/core/kube/errors';

/** JSON as the API server writes a list: built-in kinds put metadata first, custom resources (sorted keys) last. */
function builtInList(items: unknown[], token?: string): string {
  return JSON.stringify({ kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '7', ...(token ? { continue: token } : {}) }, items });
}
function customList(items: unknown[], token?: string): string {
  return JSON.stringify({ apiVersion: 'argoproj.io/v1alpha1', items, kind: 'ApplicationList', metadata: { ...(token ? { continue: token } : {}), resourceVersion: '7' } });
}

const item = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name, labels: { a: 'b' } }, ...extra });

test('peekContinueToken: reads the token of built-in and custom-resource lists without parsing the items', () => {
  assert.equal(peekContinueToken(builtInList([item('a')], 'tok1')), 'tok1');
  assert.equal(peekContinueToken(customList([item('a')], 'tok2')), 'tok2');
  assert.equal(peekContinueToken(`${customList([item('a')], 'tok3')}\n`), 'tok3');
  assert.equal(peekContinueToken(builtInList([item('a')])), undefined);
  assert.equal(peekContinueToken(customList([item('a')])), undefined);
  assert.equal(peekContinueToken('not json at all'), undefined);
  assert.equal(peekContinueToken('{"metadata":{"continue":'), undefined);
});

/** A fetcher over fixed pages; records every token asked for. */
function pagesSource(pages: Map<string | undefined, string>) {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    fetch: (token: string | undefined): Promise<string> => {
      asked.push(token);
      const text = pages.get(token);
      return text === undefined ? Promise.reject(new KubeError('invalid', `no page for token ${token}`)) : Promise.resolve(text);
    },
  };
}

async function names(list: PagedList): Promise<string[]> {
  const out: string[] = [];
  for await (const page of list.pages()) for (const i of page.items()) out.push(i.metadata?.name ?? '?');
  return out;
}

test('PagedList: follows continue tokens, each next page requested before the current one is parsed', async () => {
  const src = pagesSource(
    new Map([
      [undefined, customList([item('a'), item('b')], 'p2')],
      ['p2', customList([item('c')], 'p3')],
      ['p3', customList([item('d')])],
    ]),
  );
  assert.deepEqual(await names(new PagedList(src.fetch)), ['a', 'b', 'c', 'd']);
  assert.deepEqual(src.asked, [undefined, 'p2', 'p3']);
});

test('PagedList: a wrong guess is dropped and the right page fetched', async () => {
  // A list with its metadata twice: JSON.parse keeps the last (the real token), the peek reads the first.
  const tricky = '{"kind":"SecretList","apiVersion":"v1","metadata":{"continue":"decoy"},"metadata":{"continue":"real"},"items":[{"metadata":{"name":"a"}}]}';
  assert.equal(peekContinueToken(tricky), 'decoy');
  const src = pagesSource(
    new Map([
      [undefined, tricky],
      ['real', builtInList([item('z')])],
      ['decoy', builtInList([item('wrong')])],
    ]),
  );
  assert.deepEqual(await names(new PagedList(src.fetch)), ['a', 'z']);
  assert.deepEqual(src.asked, [undefined, 'decoy', 'real']);
});

test('PagedList: a failed page is reported where it is read; a guessed request that fails is never an unhandled rejection', async () => {
  const src = pagesSource(new Map([[undefined, customList([item('a')], 'missing')]]));
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const page of new PagedList(src.fetch).pages()) for (const i of page.items()) seen.push(i.metadata?.name ?? '?');
    })(),
    /no page for token missing/,
  );
  assert.deepEqual(seen, ['a']);
  // Stopping early leaves the request made ahead unawaited: it must not crash the process.
  const early = pagesSource(new Map([[undefined, customList([item('a')], 'gone')]]));
  for await (const page of new PagedList(early.fetch).pages()) {
    assert.equal(page.itemCount, 1);
    break;
  }
  await new Promise((r) => setImmediate(r));
});

test('PagedList: start() requests the first page at once, and only once', async () => {
  const src = pagesSource(new Map([[undefined, builtInList([item('a')])]]));
  const list = new PagedList(src.fetch).start();
  assert.deepEqual(src.asked, [undefined]);
  list.start();
  assert.deepEqual(await names(list), ['a']);
  assert.deepEqual(src.asked, [undefined]);
});
