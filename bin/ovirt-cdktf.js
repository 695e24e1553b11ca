#!/usr/bin/env node
'use strict';
// The command-line entry point runs compiled JavaScript only (no ts-node at run time).
require('../dist/src/cli/main.js').main(process.argv.slice(2));
