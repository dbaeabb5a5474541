// The second way to back up: run Argo CD's own `argocd admin export` inside a pod of
// sts/argocd-application-controller through the Kubernetes exec API (what the seed document does with
// `kubectl exec`), and stream its standard output. For people who want exactly Argo CD's binary.
import { StringDecoder } from 'node:string_decoder';
import { KubeError } from '../kube/errors';
import type { KubeObject, ObjectList } from '../objects/kubeObject';
import { STATEFUL_SET, resourcePath } from '../objects/resources';
import { parseKubeJson } from './losslessJson';
import { openWebSocket } from './webSocket';
import { emptyCounts, type BackupApi, type BackupCounts, type BackupKind, type BackupOptions, type BackupResult, type BackupSink } from './exportBackup';

const EXEC_STATEFUL_SET = 'argocd-application-controller';
/** Newest first: v5 adds a close channel; v4 carries the exit status as a metav1.Status on channel 3. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const STDERR_KEPT = 4096;

/** What exec mode needs beyond the lists: its own connection to the server. KubeClient provides it. */
export interface ExecApi extends BackupApi {
  connectionOptions(): Promise<{ server: string; headers: Record<string, string>; tls: import('node:https').AgentOptions }>;
  readonly timeoutMs?: number;
}

export interface ExecTarget {
  pod: string;
  container: string;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A metav1.LabelSelector in the query-string form the API accepts. */
export function labelSelectorQuery(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In':
        parts.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(e.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${e.key}`);
        break;
      default:
        throw new KubeError('invalid', `unsupported label selector operator "${e.operator}"`);
    }
  }
  return parts.join(',');
}

function isReady(pod: KubeObject): boolean {
  const conditions = ((pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? []);
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function phaseOf(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? 'Unknown';
}

/** The pod `kubectl exec sts/<name>` would pick (running and ready first, then by name) and its default container. */
export function pickExecTarget(pods: readonly KubeObject[], statefulSet: string): ExecTarget {
  const running = pods.filter((p) => phaseOf(p) === 'Running' && !p.metadata?.['deletionTimestamp']);
  if (running.length === 0) {
    const seen = pods.map((p) => `${p.metadata?.name ?? '?'} (${phaseOf(p)})`).join(', ') || 'none';
    throw new KubeError('notFound', `no running pod of statefulset ${statefulSet} to run argocd admin export in (pods: ${seen})`);
  }
  const ordered = [...running].sort((a, b) => Number(isReady(b)) - Number(isReady(a)) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const pod = ordered[0]!;
  const containers = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? []).map((c) => c.name);
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const container = annotated && containers.includes(annotated) ? annotated : containers[0];
  if (!container) throw new KubeError('invalid', `pod ${pod.metadata?.name} has no containers`);
  return { pod: pod.metadata!.name!, container };
}

/** Finds the pod and container to exec into, from the StatefulSet's selector. */
export async function resolveExecTarget(api: BackupApi, namespace: string, statefulSet = EXEC_STATEFUL_SET, signal?: AbortSignal): Promise<ExecTarget> {
  let sts: KubeObject;
  try {
    sts = parseKubeJson(await api.requestText(resourcePath(STATEFUL_SET, namespace, statefulSet), signal ? { signal } : {})) as KubeObject;
  } catch (e) {
    if (e instanceof KubeError && e.reason === 'notFound') throw new KubeError('notFound', `statefulset ${statefulSet} not found in namespace ${namespace}: exec mode needs Argo CD's application controller there`);
    throw e;
  }
  const selector = (sts.spec as { selector?: LabelSelector } | undefined)?.selector;
  if (!selector) throw new KubeError('invalid', `statefulset ${statefulSet} has no selector`);
  const pods = parseKubeJson(
    await api.requestText(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { query: { labelSelector: labelSelectorQuery(selector) }, ...(signal ? { signal } : {}) }),
  ) as ObjectList;
  return pickExecTarget(pods.items ?? [], statefulSet);
}

/** `argocd admin export` with the namespace flags when given. */
export function exportCommand(options: Pick<BackupOptions, 'applicationNamespaces' | 'applicationSetNamespaces'>): string[] {
  const cmd = ['argocd', 'admin', 'export'];
  if (options.applicationNamespaces?.length) cmd.push('--application-namespaces', options.applicationNamespaces.join(','));
  if (options.applicationSetNamespaces?.length) cmd.push('--applicationset-namespaces', options.applicationSetNamespaces.join(','));
  return cmd;
}

/** The exec API path with its query: one `command` parameter per argument, stdout and stderr, no stdin, no tty. */
export function execPath(namespace: string, target: ExecTarget, command: readonly string[]): string {
  const q = new URLSearchParams();
  q.append('container', target.container);
  for (const arg of command) q.append('command', arg);
  q.append('stdout', 'true');
  q.append('stderr', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(target.pod)}/exec?${q.toString()}`;
}

/** A channel.k8s.io message: the first byte names the stream. */
export function decodeChannelMessage(data: Buffer): { channel: number; data: Buffer } {
  if (data.length === 0) return { channel: -1, data };
  return { channel: data[0]!, data: data.subarray(1) };
}

export interface ExecStatus {
  success: boolean;
  exitCode?: number;
  message: string;
}

/** The metav1.Status the API sends on the error channel when the command ends. */
export function parseExecStatus(text: string): ExecStatus {
  try {
    const s = JSON.parse(text) as { status?: string; message?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
    const exit = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    return { success: s.status === 'Success', ...(exit !== undefined ? { exitCode: Number(exit) } : {}), message: s.message ?? '' };
  } catch {
    return { success: false, message: text.slice(0, 500) };
  }
}

const KINDS: readonly string[] = ['ConfigMap', 'Secret', 'AppProject', 'Application', 'ApplicationSet'];

/** Counts the objects of an export stream as it arrives: the top-level `kind:` of each `---`-terminated document. */
export class ExportStreamCounter {
  readonly counts: BackupCounts = emptyCounts();
  private partial = '';
  private kind: string | undefined;

  /** Returns the kinds of the documents completed by this chunk. */
  push(text: string): BackupKind[] {
    const done: BackupKind[] = [];
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('kind: ')) this.kind = line.slice(6).replace(/^["']|["']$/g, '');
      else if (line === '---') {
        if (this.kind && KINDS.includes(this.kind)) {
          this.counts[this.kind as BackupKind]++;
          done.push(this.kind as BackupKind);
        }
        this.kind = undefined;
      }
    }
    return done;
  }
}

/** Runs `argocd admin export` in the application controller and streams its output to `sink`. */
export async function exportBackupViaExec(api: ExecApi, options: BackupOptions, sink: BackupSink): Promise<BackupResult> {
  const started = Date.now();
  const ns = options.namespace;
  const target = await resolveExecTarget(api, ns, EXEC_STATEFUL_SET, options.signal);
  const conn = await api.connectionOptions();
  const url = new URL(conn.server + execPath(ns, target, exportCommand(options)));
  const ws = await openWebSocket(url, {
    headers: conn.headers,
    tls: conn.tls,
    protocols: EXEC_PROTOCOLS,
    timeoutMs: api.timeoutMs ?? 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const counter = new ExportStreamCounter();
  const stdout = new StringDecoder('utf8');
  let stderr = '';
  let statusText = '';
  let bytes = 0;
  let total = 0;
  // Messages arrive faster than a file may take them: keep their order with one promise chain.
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const emit = (text: string): void => {
    if (!text) return;
    bytes += Buffer.byteLength(text, 'utf8');
    for (const kind of counter.push(text)) {
      total++;
      options.onProgress?.({ kind, counts: counter.counts, total });
    }
    writing = writing.then(() => sink(text)).catch((e: unknown) => {
      writeError ??= e;
      ws.close();
    });
  };
  ws.onMessage((message) => {
    const { channel, data } = decodeChannelMessage(message);
    if (channel === CHANNEL.stdout) emit(stdout.write(data));
    else if (channel === CHANNEL.stderr) stderr = (stderr + data.toString('utf8')).slice(-STDERR_KEPT);
    else if (channel === CHANNEL.error) statusText += data.toString('utf8');
  });
  await ws.closed;
  emit(stdout.end());
  await writing;
  if (writeError) throw writeError;

  const where = `pod ${target.pod} (container ${target.container})`;
  if (!statusText) throw new KubeError('network', `exec in ${where} ended without an exit status; the output may be incomplete${stderr ? `: ${stderr.trim()}` : ''}`);
  const status = parseExecStatus(statusText);
  if (!status.success) {
    const exit = status.exitCode !== undefined ? ` with exit code ${status.exitCode}` : '';
    throw new KubeError('server', `argocd admin export failed in ${where}${exit}: ${(stderr.trim() || status.message).slice(-1000)}`);
  }
  const warnings = stderr.trim() ? [`argocd admin export wrote to stderr: ${stderr.trim().slice(-500)}`] : [];
  return {
    mode: 'exec',
    namespace: ns,
    counts: counter.counts,
    missing: [],
    warnings,
    applicationNamespaces: options.applicationNamespaces ?? [],
    applicationSetNamespaces: options.applicationSetNamespaces ?? [],
    bytes,
    durationMs: Date.now() - started,
  };
}
