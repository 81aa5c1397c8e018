/**
 * Runs before every test file: collects everything n8n and the node log to the console
 * (n8n-core logs node errors through winston), keeps the test output quiet, and fails
 * the file if any token a test used shows up in a log line.
 */
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

for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
		lines.push(args.map(text).join(' '));
	});
}

afterAll(() => {
	const leaks = lines.filter((line) => TOKENS_USED_IN_TESTS.some((token) => line.includes(token)));
	expect(leaks).toEqual([]);
});
