/**
 * When to send a request again, and after how long. Whether a request may be sent again
 * at all is the outcome table's call (safety/outcomes.ts: reads on passing troubles,
 * writes only when Crego certainly did not process them); this file adds the limits and
 * the waits.
 */

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A Retry-After longer than this is not waited for: the item fails and says so. */
const MAX_RETRY_AFTER_MS = 60_000;

export type Decision = { retry: false } | { retry: true; delayMs: number };

export function decideRetry(
	allowed: boolean,
	attemptNumber: number,
	retryAfterMs?: number,
): Decision {
	if (!allowed || attemptNumber >= MAX_ATTEMPTS) return { retry: false };
	if (retryAfterMs !== undefined) {
		if (retryAfterMs > MAX_RETRY_AFTER_MS) return { retry: false };
		return { retry: true, delayMs: Math.max(retryAfterMs, 0) };
	}
	return { retry: true, delayMs: Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attemptNumber - 1)) };
}

/** Retry-After as whole seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
