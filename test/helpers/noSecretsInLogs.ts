/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Runs before every test file: collects everything n8n and the node log (n8n's
 * LoggerProxy, n8n's backend Logger, which n8n-core uses for node errors, and the
 * console), keeps the test output quiet, and fails the file if any token a test used
 * shows up in a log line.
 */
import { Logger } from '@n8n/backend-common';
import { LoggerProxy } from 'n8n-workflow';

import { TOKENS_USED_IN_TESTS } from './sandbox';

const lines: string[] = [];

function text(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value instanceof Error) return `${value.message}\n${value.stack ?? ''}`;
	try {
		return JSON.stringify(value);
	} catch {
		return String(value);
	}
}

const collect = (...args: unknown[]) => {
	lines.push(args.map(text).join(' '));
};

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;
for (const level of LEVELS) jest.spyOn(Logger.prototype, level).mockImplementation(collect);
LoggerProxy.init(
	Object.fromEntries(LEVELS.map((level) => [level, collect])) as unknown as Parameters<
		typeof LoggerProxy.init
	>[0],
);
for (const method of ['log', ...LEVELS] as const)
	jest.spyOn(console, method).mockImplementation(collect);

afterAll(() => {
	const leaks = lines.filter((line) => TOKENS_USED_IN_TESTS.some((token) => line.includes(token)));
	expect(leaks).toEqual([]);
});
