/**
 * When to send a request again, and after how long. A read may be sent again whenever
 * the failure is passing (rate limit, gateway errors, timeouts, resets). A write moves
 * money, so it is sent again only when Crego certainly did not process it: a 429 (Crego
 * turned it away) or a refused connection (it never arrived). Everything else that is
 * not an answer leaves a write's outcome unknown, and it is never resent.
 */

export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A Retry-After longer than this is not waited for: the item fails and says so. */
export const MAX_RETRY_AFTER_MS = 60_000;

const PASSING_STATUSES = [429, 502, 503, 504];
const NOT_ARRIVED = ['ECONNREFUSED'];
const PASSING_NETWORK_FAILURES = ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'];

export type Attempt =
	| { kind: 'answer'; status: number; retryAfterMs?: number }
	| { kind: 'noAnswer'; code?: string };

export type Decision = { retry: false } | { retry: true; delayMs: number };

export function decideRetry(attempt: Attempt, { isWrite, attemptNumber }: { isWrite: boolean; attemptNumber: number }): Decision {
	if (attemptNumber >= MAX_ATTEMPTS) return { retry: false };
	const retryable =
		attempt.kind === 'answer'
			? isWrite
				? attempt.status === 429
				: PASSING_STATUSES.includes(attempt.status)
			: (isWrite ? NOT_ARRIVED : PASSING_NETWORK_FAILURES).includes(attempt.code ?? '');
	if (!retryable) return { retry: false };
	const backoff = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attemptNumber - 1));
	if (attempt.kind === 'answer' && attempt.retryAfterMs !== undefined) {
		if (attempt.retryAfterMs > MAX_RETRY_AFTER_MS) return { retry: false };
		return { retry: true, delayMs: Math.max(attempt.retryAfterMs, 0) };
	}
	return { retry: true, delayMs: backoff };
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header.trim());
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
