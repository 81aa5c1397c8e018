/**
 * How an item ended, and the rules that decide it. Only "done" means Crego did it;
 * "rejected" and "notSent" mean it certainly did not (the row can be fixed and sent
 * again); "unknown" means it may have, so the row is never sent again by the node;
 * "failed" is a read that failed (no money is involved).
 *
 * The table below is the node's whole policy for what an HTTP answer means, by status
 * class and by read or write. The README's Reliability section states it in words; the
 * transport applies it and nothing else.
 */

export type Outcome = 'done' | 'rejected' | 'unknown' | 'notSent' | 'failed';

/** What to do with an answer or a failure: the item's outcome if it is final, and whether to send again. */
export interface Verdict {
	outcome: Outcome;
	/** Send the same request again (after a wait): only reads, and writes Crego certainly did not process. */
	retry: boolean;
}

/**
 * Failures that prove the request never reached the Base URL's server: refused, no such
 * host, or blocked by n8n's own SSRF protection before it was sent.
 */
const NEVER_ARRIVED = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'SSRF_BLOCKED'];
/**
 * A TLS certificate the machine does not trust (self-signed, expired, another host's):
 * the handshake failed, so not one byte of the request was sent.
 */
export const isCertificateFailure = (code: string) =>
	/CERT|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/.test(code);
/** Failures another try cannot mend: a name that does not resolve, an execution the user stopped. */
const NOT_WORTH_RETRYING = ['ENOTFOUND', 'CANCELLED', 'ERR_INVALID_CHAR', 'SSRF_BLOCKED'];
/** Passing troubles worth another try for a read. */
const PASSING_STATUSES = [408, 429, 502, 503, 504];

export function verdictForStatus(status: number, write: boolean): Verdict {
	if (status >= 200 && status < 300) return { outcome: 'done', retry: false };
	if (!write) return { outcome: 'failed', retry: PASSING_STATUSES.includes(status) };
	// Crego turned the write away before doing anything (rate limit).
	if (status === 429) return { outcome: 'notSent', retry: true };
	// A 4xx says Crego refused the request: nothing was done (408 is a timeout: the work may have started).
	if (status >= 400 && status < 500 && status !== 408) return { outcome: 'rejected', retry: false };
	// 3xx (never followed for a write), 408, 5xx and anything unexpected: it may have been done.
	return { outcome: 'unknown', retry: false };
}

/**
 * No answer came. Only a connection the Base URL's server refused (or a host name that
 * does not resolve) proves a write never arrived; resets, timeouts and cancellations
 * leave it unknown.
 */
export function verdictForNoAnswer(code: string, write: boolean): Verdict {
	const certificate = isCertificateFailure(code);
	const neverArrived = NEVER_ARRIVED.includes(code) || certificate;
	if (!write)
		return { outcome: 'failed', retry: !certificate && !NOT_WORTH_RETRYING.includes(code) };
	if (neverArrived)
		return { outcome: 'notSent', retry: code === 'ECONNREFUSED' || code === 'EAI_AGAIN' };
	return { outcome: 'unknown', retry: false };
}

const outcomes = new WeakMap<Error, Outcome>();

/** Marks an error with the outcome of its item. */
export function withOutcome<E extends Error>(error: E, outcome: Outcome): E {
	outcomes.set(error, outcome);
	return error;
}

/** The outcome an error stands for; undefined when it was raised before any request (nothing sent). */
export function outcomeOf(error: unknown): Outcome | undefined {
	return error instanceof Error ? outcomes.get(error) : undefined;
}
