/**
 * When to send a request again, and after how long. Whether a request may be sent again
 * at all is the outcome table's call (vocabulary/outcome.ts: reads on passing troubles,
 * writes only when Crego certainly did not process them); this file adds the limits and
 * the waits.
 */

const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A Retry-After longer than this is not waited for: the item fails and says how long Crego asked for. */
export const MAX_RETRY_AFTER_MS = 60_000;

export type Decision = { retry: false; askedToWaitMs?: number } | { retry: true; delayMs: number };

export function decideRetry(
	allowed: boolean,
	attemptNumber: number,
	retryAfterMs?: number,
): Decision {
	if (!allowed || attemptNumber >= MAX_ATTEMPTS) return { retry: false };
	if (retryAfterMs !== undefined) {
		if (retryAfterMs > MAX_RETRY_AFTER_MS) return { retry: false, askedToWaitMs: retryAfterMs };
		return { retry: true, delayMs: Math.max(retryAfterMs, 0) };
	}
	return { retry: true, delayMs: Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attemptNumber - 1)) };
}

/**
 * Retry-After as whole seconds or an HTTP date, in milliseconds from now (a date in the
 * past is 0; one in year 9999 is very long, and so over the cap). A negative, fractional
 * or unreadable value is as if absent: the usual back-off applies.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const text = header.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Only a 429 or a 503 asks the client to wait: a Retry-After on any other answer pauses nobody. */
export const asksToWait = (status: number | undefined) => status === 429 || status === 503;

/** A wait in words: "45 s", "24 hours", "about 2,914,000 days". */
export function describeWait(ms: number): string {
	if (!Number.isFinite(ms)) return 'for ever';
	const seconds = Math.round(ms / 1000);
	if (seconds < 120) return `${seconds} s`;
	const minutes = Math.round(seconds / 60);
	if (minutes < 120) return `${minutes} minutes`;
	const hours = Math.round(minutes / 60);
	if (hours < 72) return `${hours} hours`;
	return `about ${Math.round(hours / 24).toLocaleString('en-US')} days`;
}
