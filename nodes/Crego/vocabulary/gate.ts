/**
 * What the transport waits at before each attempt, and tells of each answer: the run's
 * pace (run/pace.ts) is one. The transport is given a gate; it knows nothing of pacing.
 */
export interface Gate {
	/**
	 * Waits for a turn on the wire: fewer requests out than the limit, and no Retry-After
	 * running. Every attempt takes one — a retry too, so a burst of 429s cannot come back
	 * as a burst of retries. Give it back with release().
	 */
	acquire(): Promise<void>;
	release(): void;
	observe(answer: Answer): void;
}

export interface Answer {
	/** The HTTP status; undefined when no answer came (reset, timeout, refused). */
	status?: number;
	/** When the request was sent, and how long the exchange took. */
	sentAt: number;
	ms: number;
	retryAfterMs?: number;
}
