/**
 * The end-to-end suite: the packed package in a real n8n (both supported lines). The
 * first run installs n8n into a cache folder, which takes minutes; later runs reuse it.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/noSecretsInLogs.ts'],
	testTimeout: 20 * 60_000,
	maxWorkers: 1,
};
