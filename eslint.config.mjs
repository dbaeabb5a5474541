// Lint rules. The one that matters most: src/core never imports 'vscode' (it is pure and tested without VS Code).
import tseslint from 'typescript-eslint';

const VSCODE = { name: 'vscode', message: 'src/core is pure: adapt to VS Code in src/extension.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/cluster/**', 'test/extension/runner/**', 'artifacts/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [VSCODE] }],
    },
  },
  // Layering inside src/core: object shapes and the resource table live in objects/, so the linter and the YAML
  // reader never pull in the Kubernetes client, and kube/ and argo/ do not depend on each other.
  layer(['src/core/lint/**/*.ts', 'src/core/yaml/**/*.ts'], ['**/kube/*'], 'lint/ and yaml/ work on plain objects: import them from objects/.'),
  layer(['src/core/kube/**/*.ts'], ['**/argo/*'], 'kube/ knows nothing of Argo CD: shared shapes are in objects/.'),
  layer(['src/core/argo/**/*.ts'], ['**/kube/*'], 'argo/ holds Argo CD facts, not API access: shared shapes are in objects/.'),
);

function layer(files, group, message) {
  return { files, rules: { 'no-restricted-imports': ['error', { paths: [VSCODE], patterns: [{ group, message }] }] } };
}
