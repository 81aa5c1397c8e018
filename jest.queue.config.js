/**
 * The queue-mode suite: n8n 2.41.1 as production runs it at scale — a main process,
 * PostgreSQL, Redis and two workers — with the packed package on every process.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/noSecretsInLogs.ts'],
	testTimeout: 10 * 60_000,
	maxWorkers: 1,
};
