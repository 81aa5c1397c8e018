/** `npm start` itself, as a user meets it: keeps edited examples, stops everything it started. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/start'],
	testMatch: ['**/*.start.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 10 * 60_000,
	maxWorkers: 1,
};
