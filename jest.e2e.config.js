/**
 * The end-to-end suite: the packed package in a real n8n (both supported lines). The
 * first run installs n8n into a cache folder, which takes minutes; later runs reuse it.
 */
module.exports = require('./jest.suite')('test/e2e', '**/*.e2e.test.ts', { timeoutMinutes: 20 });
