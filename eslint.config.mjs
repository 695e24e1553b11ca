// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import shortNames from './tools/lint/short-names.cjs';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'release/', 'docs/', '**/cdktf.out/', '.ovirt-cdktf/', 'constructs/generated/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { 'short-names': shortNames } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'local/short-names': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Lazy require() keeps modules an RPC does not need out of the provider's start-up.
      '@typescript-eslint/no-require-imports': 'off',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/naming-convention': [
        'error',
        { selector: 'typeLike', format: ['PascalCase'] },
        { selector: 'variable', format: ['camelCase', 'UPPER_CASE', 'PascalCase'], leadingUnderscore: 'allow' },
        { selector: 'function', format: ['camelCase', 'PascalCase'] },
        {
          selector: ['parameter', 'classProperty', 'classMethod', 'accessor'],
          format: ['camelCase'],
          leadingUnderscore: 'allow',
        },
        // Wire and protocol field names (snake_case) keep their spelling when destructured.
        { selector: ['variable', 'parameter'], modifiers: ['destructured'], format: null },
        // Replaced by the release build's bundler.
        { selector: 'variable', filter: '^__OVIRT_(CDKTF_VERSION|PROVIDER_SCHEMA)__$', format: null },
      ],
    },
  },
  {
    // Lists of definitions of different schemas and clients (resources, plan modifiers) need `any`:
    // their handler parameters are contravariant, so `unknown` would refuse every real definition.
    files: [
      'src/tfplugin/schema/types.ts',
      'src/tfplugin/schema/define.ts',
      'src/tfplugin/schema/describe.ts',
      'src/tfplugin/schema/modifiers.ts',
      'src/tfplugin/grpc/serve.ts',
      'src/tfplugin/testing.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // These tests walk the simulator's JSON documents by path, as a client without models would, or
    // mutate Ignition documents into every invalid shape.
    files: ['test/engine-sim/**', 'test/boot/ignition-gen.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        afterAll: 'readonly',
      },
    },
  },
);
