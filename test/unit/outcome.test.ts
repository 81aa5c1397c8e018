/**
 * The outcome table (vocabulary/outcome.ts) over every status a server can send and every
 * failure code the transport meets, for a read and a write: the whole policy, generated.
 */
import {
	outcomeOf,
	verdictForNoAnswer,
	verdictForStatus,
	withOutcome,
} from '../../nodes/Crego/vocabulary/outcome';

const STATUSES = Array.from({ length: 500 }, (_, i) => 100 + i);

describe('an answer with a status', () => {
	test.each(STATUSES)('%i', (status) => {
		const read = verdictForStatus(status, false);
		const write = verdictForStatus(status, true);
		const success = status >= 200 && status < 300;
		// A 2xx is done, for either; nothing else is.
		expect(read.outcome === 'done').toBe(success);
		expect(write.outcome === 'done').toBe(success);
		// A read never moves money: it fails, and only passing troubles are asked again.
		if (!success)
			expect(read).toEqual({
				outcome: 'failed',
				retry: [408, 429, 502, 503, 504].includes(status),
			});
		// A write is sent again only when Crego certainly did nothing (a 429 turns it away before any work).
		expect(write.retry).toBe(status === 429);
		if (status === 429) expect(write.outcome).toBe('notSent');
		else if (status >= 400 && status < 500 && status !== 408)
			expect(write.outcome).toBe('rejected');
		else if (!success) expect(write.outcome).toBe('unknown');
	});
});

const CODES = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'SSRF_BLOCKED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'CANCELLED',
	'ERR_INVALID_CHAR',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'CERT_HAS_EXPIRED',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'HOSTNAME_MISMATCH',
	'EHOSTUNREACH',
	'SOMETHING_NEW',
];
const NEVER_ARRIVED = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'SSRF_BLOCKED'];
const CERTIFICATE = [
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'CERT_HAS_EXPIRED',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'HOSTNAME_MISMATCH',
];

describe('no answer', () => {
	test.each(CODES)('%s', (code) => {
		const certificate = CERTIFICATE.includes(code);
		const write = verdictForNoAnswer(code, true);
		// Only a failure that proves the request never arrived makes a write "not sent"; anything else may have been done.
		expect(write.outcome).toBe(NEVER_ARRIVED.includes(code) || certificate ? 'notSent' : 'unknown');
		// Sent again only when it certainly never arrived and trying again can help.
		expect(write.retry).toBe(code === 'ECONNREFUSED' || code === 'EAI_AGAIN');
		const read = verdictForNoAnswer(code, false);
		expect(read.outcome).toBe('failed');
		expect(read.retry).toBe(
			!certificate &&
				!['ENOTFOUND', 'CANCELLED', 'ERR_INVALID_CHAR', 'SSRF_BLOCKED'].includes(code),
		);
	});
});

test('an error carries the outcome it was marked with, and only that error', () => {
	const marked = withOutcome(new Error('marked'), 'unknown');
	expect(outcomeOf(marked)).toBe('unknown');
	expect(outcomeOf(new Error('another'))).toBeUndefined();
	expect(outcomeOf('not an error')).toBeUndefined();
});
