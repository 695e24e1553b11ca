/** Jest globalTeardown: see processes.js. */
module.exports = require('./processes').globalTeardown;
