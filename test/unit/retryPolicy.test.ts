/** Retry-After and the retry decision (transport/retryPolicy.ts), on an injected clock. */
import {
	asksToWait,
	decideRetry,
	describeWait,
	MAX_RETRY_AFTER_MS,
	parseRetryAfter,
} from '../../nodes/Crego/transport/retryPolicy';

const NOW = Date.parse('2026-12-07T18:29:30Z');

describe('Retry-After as Crego may send it', () => {
	test.each([
		['0', 0],
		['1', 1_000],
		['60', 60_000],
		['86400', 86_400_000],
		['  7 ', 7_000],
		[new Date(NOW + 30_000).toUTCString(), 30_000],
		[new Date(NOW - 30_000).toUTCString(), 0],
	])('%j waits %i ms', (header, ms) => {
		expect(parseRetryAfter(header, NOW)).toBe(ms);
	});

	test.each(['-5', 'soon', '', '1.5e400', 'Fri, 31 Dec 9999 23:59:59 GMT'])(
		'%j is read as no wait or an enormous one, never a hang',
		(header) => {
			const ms = parseRetryAfter(header, NOW);
			expect(ms === undefined || (Number.isFinite(ms) && ms >= 0)).toBe(true);
		},
	);

	test('a header that is absent or not text is no wait', () => {
		expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
		expect(parseRetryAfter(42, NOW)).toBeUndefined();
	});
});

describe('the decision to send again', () => {
	test('not allowed: never, whatever the wait', () => {
		for (const wait of [undefined, 0, 5_000, 10 * MAX_RETRY_AFTER_MS])
			expect(decideRetry(false, 1, wait).retry).toBe(false);
	});

	test('a wait within the cap is honoured as the delay; one beyond it is not waited for, and its length is kept for the message', () => {
		expect(decideRetry(true, 1, 30_000)).toEqual({ retry: true, delayMs: 30_000 });
		expect(decideRetry(true, 1, MAX_RETRY_AFTER_MS)).toEqual({
			retry: true,
			delayMs: MAX_RETRY_AFTER_MS,
		});
		expect(decideRetry(true, 1, 86_400_000)).toEqual({ retry: false, askedToWaitMs: 86_400_000 });
	});

	test('attempts are bounded, and every delay is bounded', () => {
		const attempts = Array.from({ length: 20 }, (_, i) => decideRetry(true, i + 1));
		const retried = attempts.filter((decision) => decision.retry);
		expect(retried.length).toBeGreaterThan(0);
		expect(retried.length).toBeLessThan(20);
		for (const decision of retried)
			if (decision.retry) expect(decision.delayMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
	});

	test('only a 429 or a 503 asks to wait', () => {
		const asking = Array.from({ length: 500 }, (_, i) => 100 + i).filter(asksToWait);
		expect(asking).toEqual([429, 503]);
		expect(asksToWait(undefined)).toBe(false);
	});

	test('waits in words', () => {
		expect(describeWait(86_400_000)).toBe('24 hours');
		expect(describeWait(90_000)).toBe('90 s');
	});
});
