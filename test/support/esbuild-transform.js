'use strict';
// Jest transform: TypeScript to CommonJS with esbuild (no type checking; `npm test` runs tsc first).
// esbuild is used because its platform binaries are available from every registry mirror we use.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, esModuleInterop: true } },
    });
    return { code, map };
  },
};
