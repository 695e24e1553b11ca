/**
 * Preload (`node -r`) that runs one of this repository's cdktf apps under cdktn: `cdktf` resolves to
 * `cdktn`, and the constructs' sources to the cdktn entry point that `npm run build` makes
 * (dist/cdktn), as an app written for cdktn would import them.
 */
'use strict';
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = path.join(ROOT, 'constructs', 'index.ts');
const ENTRY = path.join(ROOT, 'dist', 'cdktn', 'index.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'cdktf') return resolve.call(this, 'cdktn', parent, ...rest);
  const found = resolve.call(this, request, parent, ...rest);
  return found === SOURCES ? ENTRY : found;
};
