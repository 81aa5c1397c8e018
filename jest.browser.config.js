/**
 * The browser check: the editor in Debian's Chromium on a real n8n 2.41.1, which also
 * writes the pictures README.md shows (docs/*.png).
 */
module.exports = require('./jest.suite')('test/browser', '**/*.browser.test.ts', {
	timeoutMinutes: 10,
});
