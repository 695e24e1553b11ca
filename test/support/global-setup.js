/** Jest globalSetup: see processes.js. */
module.exports = require('./processes').globalSetup;
