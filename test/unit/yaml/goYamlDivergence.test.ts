import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { goYamlDivergence } from '../../../src/core/yaml/goYamlDivergence';

test('go-yaml v2 (YAML 1.1) vs YAML 1.2: the plain scalars read otherwise, and those read alike', () => {
  for (const s of ['y', 'Y', 'yes', 'No', 'ON', 'off', '0755', '-017', '0b101', '1_000', '0x_ff', '9007199254740993', '-12345678901234567890']) assert.ok(goYamlDivergence(s), s);
  for (const s of ['', 'true', 'False', 'null', '~', '0', '00', '07', '42', '-7', '0xFF', '0o17', '1.5', '1e3', '.inf', 'nginx', 'yesterday', 'on-call', 'v1.2.3', '2024-01-01', '9007199254740991', 'a_b', '1_a']) assert.equal(goYamlDivergence(s), undefined, s);
});
