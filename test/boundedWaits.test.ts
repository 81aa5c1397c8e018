/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Waits have a bound: a Retry-After on a 429 or 503 is honoured up to 60 s; longer, the
 * row is not sent (a write) or fails (a read) at once, saying how long Crego asked for.
 * Dates in the past, far future, negative, fractional and unreadable values are all
 * handled; a Retry-After on any other answer pauses nobody. Checked from the sandbox's
 * log: how many requests arrived, and when.
 */
import { outcomeOf } from './helpers/outcome';
import { useSandbox } from './helpers/useSandbox';
import { getDocsRecord, RECORD_PATH, REFUND_PATH, refundOfDocsLoan } from './helpers/parameters';

const sandbox = useSandbox();

const { describeWait, parseRetryAfter, MAX_RETRY_AFTER_MS } =
	require('../dist/nodes/Crego/transport/retryPolicy') as typeof import('../nodes/Crego/transport/retryPolicy');

const refund = refundOfDocsLoan;
const getRecord = getDocsRecord;
const throttled = { detail: 'Request was throttled.' };

const pastDate = new Date(Date.now() - 3_600_000).toUTCString();

/** Retry-After values beyond the cap: the row is not sent again, and the message says how long. */
const TOO_LONG: Array<[string, string]> = [
	['86400', '24 hours'],
	['Fri, 31 Dec 9999 23:59:59 GMT', 'about 2,'],
	['99999999999999999999999', 'about '],
	['61', '61 s'],
];
/** Values taken (or ignored: the usual back-off) — the row is sent again and done. */
const TAKEN: Array<[string, number]> = [
	['0', 0],
	['2', 2000],
	[pastDate, 0],
	['-5', 500],
	['1.5', 500],
	['soon', 500],
	['', 500],
];

describe.each(['continueRegularOutput', 'stop'] as const)('with the node set to %s', (mode) => {
	const onError = mode === 'stop' ? {} : { onError: mode };

	test.each(TOO_LONG)(
		'a write turned away with Retry-After: %s is not sent, at once, and says how long',
		async (value, said) => {
			sandbox.injectFault({ path: REFUND_PATH, status: 429, retryAfter: value, body: throttled });
			const result = await sandbox.run(refund, { items: [{ amount: 1 }], ...onError });
			const error = mode === 'stop' ? result.error : undefined;
			const message = error ? error.message : (result.output[0].json.error as string);
			expect(message).toContain(`Item 0: Not processed: Crego asked to wait ${said}`);
			expect(message).toContain('(Retry-After), more than the 60 s the node waits');
			if (!error) expect(outcomeOf(result.output[0])).toBe('notSent');
			else expect((error.context as { itemOutcomes?: string[] }).itemOutcomes).toEqual(['notSent']);
			expect(sandbox.requests).toHaveLength(1);
		},
	);

	test.each(TOO_LONG)(
		'a read answered 429 with Retry-After: %s fails at once and says how long',
		async (value, said) => {
			sandbox.injectFault({ path: RECORD_PATH, status: 429, retryAfter: value, body: throttled });
			const result = await sandbox.run(getRecord, onError);
			const message =
				mode === 'stop' ? result.error?.message : (result.output[0].json.error as string);
			expect(message).toContain(`Item 0: Crego asked to wait ${said}`);
			expect(sandbox.requests).toHaveLength(1);
		},
	);
});

test.each(TAKEN)(
	'a write turned away with Retry-After: "%s" is sent again after the wait (or the usual back-off) and done',
	async (value, waitMs) => {
		sandbox.injectFault({ path: REFUND_PATH, status: 429, retryAfter: value, body: throttled });
		const result = await sandbox.run(refund, { items: [{ amount: 1 }] });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.id).toEqual(expect.any(String));
		const [first, second] = sandbox.requests;
		expect(sandbox.requests).toHaveLength(2);
		// It waited at least what was asked (or the back-off), measured by the server.
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(waitMs - 50);
	},
);

test('a 503 with Retry-After of a day on a read fails at once', async () => {
	sandbox.injectFault({
		path: RECORD_PATH,
		status: 503,
		retryAfter: 86400,
		body: { detail: 'Maintenance.' },
	});
	const result = await sandbox.run(getRecord, { onError: 'continueRegularOutput' });
	expect(result.output[0].json.error).toContain('Crego asked to wait 24 hours');
	expect(sandbox.requests).toHaveLength(1);
});

test.each([200, 201, 400, 404])(
	'a Retry-After of a day on a %i pauses nobody: every row goes on',
	async (status) => {
		sandbox.injectFault({
			path: RECORD_PATH,
			retryAfter: 86400,
			...(status === 200 ? {} : { status, body: { detail: 'x' } }),
		});
		const result = await sandbox.run(getRecord, {
			items: [{}, {}, {}, {}],
			onError: 'continueRegularOutput',
		});
		expect(result.output).toHaveLength(4);
		expect(sandbox.requests).toHaveLength(4);
		const spread = sandbox.requests[3].receivedAt - sandbox.requests[0].receivedAt;
		expect(spread).toBeLessThan(MAX_RETRY_AFTER_MS);
	},
);

test('Retry-After read as seconds or an HTTP date; what cannot be read is absent', () => {
	const now = Date.parse('2026-12-07T10:00:00Z');
	expect(parseRetryAfter('120', now)).toBe(120_000);
	expect(parseRetryAfter('Mon, 07 Dec 2026 10:01:00 GMT', now)).toBe(60_000);
	expect(parseRetryAfter('Sun, 06 Dec 2026 10:00:00 GMT', now)).toBe(0);
	expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBeGreaterThan(MAX_RETRY_AFTER_MS);
	for (const unreadable of ['-5', '1.5', 'soon', '', '  ', undefined, 12])
		expect(parseRetryAfter(unreadable, now)).toBeUndefined();
	expect(describeWait(45_000)).toBe('45 s');
	expect(describeWait(86_400_000)).toBe('24 hours');
	expect(describeWait(Infinity)).toBe('for ever');
});
