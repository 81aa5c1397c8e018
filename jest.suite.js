/**
 * The suites that run a real n8n (e2e, queue mode, npm start): one test file at a time,
 * long timeouts, the built package. Each config names its folder and file pattern.
 */
module.exports = (folder, pattern, { timeoutMinutes, secretsCheck = true }) => ({
	testEnvironment: 'node',
	roots: [`<rootDir>/${folder}`],
	testMatch: [pattern],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFilesAfterEnv: secretsCheck ? ['<rootDir>/test/helpers/noSecretsInLogs.ts'] : [],
	testTimeout: timeoutMinutes * 60_000,
	maxWorkers: 1,
});
