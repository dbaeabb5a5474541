// The pages of one Kubernetes list (limit/continue), each requested before the previous one is parsed.
//
// The next request needs the page's `continue` token. Waiting for the whole page to be parsed would leave the
// connection idle for that long on every page, so the token is read from the list's own metadata in the raw text
// and the next request starts at once. The parsed page then confirms the guess: on a mismatch the guessed request is
// dropped and the right one made, so a wrong guess costs time, never correctness.
import type { KubeObject, ObjectList } from '../objects/kubeObject';
import { parseKubeJson } from './losslessJson';
import { quiet } from '../util/quiet';

/** One page: the list's own fields, and its items. */
export interface ListPage {
  /** kind, apiVersion and metadata of the list (its items are not here). */
  list: ObjectList;
  itemCount: number;
  items(): Generator<KubeObject>;
}

/** Parses one page; each item is let go of once taken, so a page's objects do not all live until its end. */
function readListPage(text: string): ListPage {
  const list = parseKubeJson(text) as ObjectList;
  const items = list.items ?? [];
  list.items = [];
  return {
    list,
    itemCount: items.length,
    *items() {
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        (items as Array<KubeObject | undefined>)[i] = undefined;
        yield item;
      }
    },
  };
}

export type FetchPageText = (continueToken: string | undefined) => Promise<string>;

export class PagedList {
  private first: Promise<string> | undefined;

  constructor(private readonly fetchText: FetchPageText) {}

  /** Requests the first page now (so that it arrives while earlier lists are still being written). */
  start(): this {
    this.first ??= quiet(this.fetchText(undefined));
    return this;
  }

  async *pages(): AsyncGenerator<ListPage> {
    let pending: Promise<string> | undefined = this.start().first;
    while (pending) {
      const text = await pending;
      const guess = peekContinueToken(text);
      const guessed = guess ? quiet(this.fetchText(guess)) : undefined;
      const page = readListPage(text);
      const token = page.list.metadata?.continue || undefined;
      pending = token === undefined ? undefined : token === guess ? guessed : quiet(this.fetchText(token));
      yield page;
    }
  }
}

const METADATA = '"metadata":{';

/**
 * The `continue` token of a list's own metadata, read from the raw JSON without parsing the items: the API server
 * writes a list's metadata (a flat object) first for built-in kinds and last for custom resources (sorted keys).
 * Undefined when it cannot tell; the caller checks the guess against the parsed page anyway.
 */
export function peekContinueToken(text: string): string | undefined {
  const tail = text.trimEnd();
  const last = tail.lastIndexOf(METADATA);
  if (last >= 0) {
    const close = tail.indexOf('}', last);
    // Custom resources: `…,"metadata":{…}}` ends the text.
    if (close === tail.length - 2 && tail.endsWith('}}')) return tokenOf(tail.slice(last + METADATA.length - 1, close + 1));
  }
  const first = text.indexOf(METADATA);
  const items = text.indexOf('"items":');
  if (first >= 0 && (items < 0 || first < items)) {
    // Built-in kinds: `{"kind":…,"apiVersion":…,"metadata":{…},"items":[…]}`.
    const close = text.indexOf('}', first);
    if (close > 0 && (items < 0 || close < items)) return tokenOf(text.slice(first + METADATA.length - 1, close + 1));
  }
  return undefined;
}

function tokenOf(flatObject: string): string | undefined {
  if (flatObject.indexOf('{', 1) >= 0) return undefined; // not flat: not a list's metadata
  try {
    const meta = JSON.parse(flatObject) as { continue?: unknown };
    return typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
  } catch {
    return undefined;
  }
}
