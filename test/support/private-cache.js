/**
 * Every test file gets its own XDG_CACHE_HOME, so nothing (e.g. the provider's SSO token cache)
 * is written to the cache folder of the user running the tests.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-cache-'));
process.env.XDG_CACHE_HOME = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
