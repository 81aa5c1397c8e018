/**
 * The unit layer: pure parts (outcome table, retry decision, value parsers, keys, the lanes
 * scheduler, the pace on an injected clock, the ledger on an in-memory store, each
 * operation's request on a small mocked context), tested from source — no build, no
 * socket, no wall clock. `npm run test:unit`; `npm test` runs it first.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/unit'],
	testMatch: ['**/*.test.ts'],
	// tsconfig's isolatedModules: ts-jest transpiles each file alone (`npm test` type-checks the whole tree with tsc).
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	testTimeout: 10_000,
};
