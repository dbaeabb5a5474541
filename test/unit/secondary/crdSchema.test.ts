import { test, describe } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareCrdSchemas, servedVersions, type CrdObject } from '../../../src/core/secondary/crdSchema';

/** An Application CRD shaped like Argo CD's: spec.source, spec.sources[] (multi-source, Argo CD 2.6+), status kept. */
function applicationCrd(opts: { sources?: boolean; extraField?: boolean; version?: string; preserveSpec?: boolean } = {}): CrdObject {
  const source = { type: 'object', properties: { repoURL: { type: 'string' }, helm: { type: 'object', properties: { valueFiles: { type: 'array', items: { type: 'string' } } } } } };
  const spec: Record<string, unknown> = {
    type: 'object',
    ...(opts.preserveSpec ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
    properties: {
      source,
      ...(opts.sources !== false ? { sources: { type: 'array', items: source } } : {}),
      ...(opts.extraField ? { sourceHydrator: { type: 'object', properties: { drySource: { type: 'object' } } } } : {}),
      info: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'applications.argoproj.io' },
    spec: { versions: [{ name: opts.version ?? 'v1alpha1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } as never } }] },
  };
}

describe('Argo CD CRD schema comparison (secondary pre-check "type", Harness-managed)', () => {
  test('the same schema: nothing missing, nothing extra', () => {
    assert.deepEqual(compareCrdSchemas(applicationCrd(), applicationCrd()), { missing: [], extra: [] });
  });

  test('an older CRD without spec.sources: the outermost missing field only (not its children)', () => {
    assert.deepEqual(compareCrdSchemas(applicationCrd(), applicationCrd({ sources: false })), { missing: ['spec.sources'], extra: [] });
  });

  test('a newer CRD: extra fields, nothing missing', () => {
    assert.deepEqual(compareCrdSchemas(applicationCrd(), applicationCrd({ extraField: true })), { missing: [], extra: ['spec.sourceHydrator'] });
  });

  test('a field under x-kubernetes-preserve-unknown-fields on the target is kept, so it is not missing', () => {
    const cmp = compareCrdSchemas(applicationCrd({ extraField: true }), applicationCrd({ sources: false, preserveSpec: true }));
    assert.deepEqual(cmp.missing, []);
  });

  test('no v1alpha1 schema on one side: incomparable, named', () => {
    const cmp = compareCrdSchemas(applicationCrd(), applicationCrd({ version: 'v1beta1' }));
    assert.match(cmp.incomparable ?? '', /the target's CRD has no v1alpha1 schema/);
    assert.deepEqual(servedVersions(applicationCrd({ version: 'v1beta1' })), ['v1beta1']);
  });
});
