/** `npm start` itself, as a user meets it: keeps edited examples, stops everything it started. */
module.exports = require('./jest.suite')('test/start', '**/*.start.test.ts', {
	timeoutMinutes: 10,
	secretsCheck: false,
});
