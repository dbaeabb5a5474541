// Reading Secret fields the way the API server does (data is base64, stringData is plain), without ever
// putting a value into a message.
import type { KubeObject } from '../objects/kubeObject';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's base64.StdEncoding as Kubernetes decodes Secret data: padded, line breaks ignored. */
export function isBase64(value: string): boolean {
  const v = value.includes('\n') || value.includes('\r') ? value.replace(/[\r\n]/g, '') : value;
  return v.length % 4 === 0 && BASE64.test(v);
}

/** A Secret field's decoded text from data (base64) or stringData; undefined when absent or unreadable. */
export function secretField(obj: KubeObject, key: string): string | undefined {
  const stringData = obj.stringData as Record<string, unknown> | undefined;
  if (stringData && typeof stringData === 'object' && typeof stringData[key] === 'string') return stringData[key] as string;
  const data = obj.data as Record<string, unknown> | undefined;
  const raw = data && typeof data === 'object' ? data[key] : undefined;
  if (typeof raw !== 'string' || !isBase64(raw)) return undefined;
  return Buffer.from(raw.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
}
