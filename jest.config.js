/** Tests run the built package (dist/) through n8n-core's engine; `npm test` builds first. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// test/unit is the unit layer (npm run test:unit, from source). These need a real n8n (and PostgreSQL, Redis, Chromium): npm run test:e2e, test:queue, test:start, test:browser.
	testPathIgnorePatterns: [
		'/node_modules/',
		'/test/unit/',
		'/test/e2e/',
		'/test/queue/',
		'/test/start/',
		'/test/browser/',
	],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/noSecretsInLogs.ts'],
	testTimeout: 30_000,
	maxConcurrency: 24,
};
