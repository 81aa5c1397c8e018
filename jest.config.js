/** Tests run the built package (dist/) through n8n-core's engine; `npm test` builds first. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json'}] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/noSecretsInLogs.ts'],
	testTimeout: 30_000,
};
