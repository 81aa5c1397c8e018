import { sleep } from 'n8n-workflow';

import type { Gate } from '../vocabulary/gate';

/**
 * The pace of a run: how many requests may be in flight now, adapted to how Crego answers
 * (the way TCP finds a connection's speed). It starts modestly, doubles every round of
 * clean, quick answers until the first sign of strain, then grows by one per round; a
 * 429 or 503 halves it at once (a 429 to at most 2), a failure or an answer much slower
 * than the fastest seen takes it down too, and a Retry-After holds every new request —
 * new rows and retries alike — until it has passed. Every attempt waits for its turn
 * (acquire), so the limit bounds what is on the wire at once, retries included.
 * Concurrent Requests is the ceiling.
 * An unknown outcome drops it to one at a time at once; it regrows only by clean answers
 * (and three unknowns in a row stop the writes: unknownBreaker.ts).
 */

/** Where a run starts, at most: enough to learn Crego's speed, few enough not to flood it. */
const START = 4;
/** An answer this much slower than the fastest seen (and by at least SLOW_MARGIN_MS) is strain. */
const SLOW_FACTOR = 3;
const SLOW_MARGIN_MS = 250;

export interface Pace extends Gate {
	/** How many requests may be in flight now (1 to the ceiling). */
	readonly limit: number;
	/** The most requests that were on the wire at once during the run. */
	readonly peak: number;
	readonly ceiling: number;
	/** Whether Crego ever made it slow down (a rate limit, a server error, no answer, a slow answer). */
	readonly slowedDown: boolean;
	/** How long new requests must wait (a Retry-After), in ms; 0 when they may go. */
	pausedForMs(): number;
	/** Down to one request at a time, at once (an unknown outcome: Crego is not answering reliably); it regrows only by clean answers. */
	dropToOne(): void;
	/** n8n's Stop: every waiting turn is given at once (each then sees the stop and sends nothing), and no wait goes on. */
	stop(): void;
}

export function createPace(ceiling: number, now: () => number = Date.now): Pace {
	const configured = Math.max(1, ceiling);
	const top = configured;
	let limit = Math.min(START, top);
	let peak = 0;
	let cleanInRound = 0;
	let slowStart = true;
	let fastest = Infinity;
	let pausedUntil = 0;
	let out = 0;
	const waiting: Array<() => void> = [];
	let wakeUp: Promise<void> | undefined;
	let stopped = false;
	/** Gives turns to those waiting, in order, as the limit and any Retry-After allow. */
	const admit = () => {
		if (stopped) {
			while (waiting.length) {
				out++;
				waiting.shift()!();
			}
			return;
		}
		const paused = pausedUntil - now();
		if (paused > 0) {
			if (waiting.length) {
				wakeUp ??= sleep(paused).then(() => {
					wakeUp = undefined;
					admit();
				});
			}
			return;
		}
		while (waiting.length && out < limit) {
			out++;
			peak = Math.max(peak, out);
			waiting.shift()!();
		}
	};
	/** When the pace was last cut: answers to requests sent before it say nothing about the new pace. */
	let cutAt = -Infinity;
	const setLimit = (value: number) => {
		if (value < limit) cutAt = now();
		limit = Math.max(1, Math.min(top, value));
		cleanInRound = 0;
	};
	return {
		get limit() {
			return limit;
		},
		get peak() {
			return peak;
		},
		get ceiling() {
			return configured;
		},
		get slowedDown() {
			return cutAt > -Infinity;
		},
		pausedForMs: () => Math.max(0, pausedUntil - now()),
		observe({ status, sentAt, ms, retryAfterMs }) {
			if (retryAfterMs !== undefined && retryAfterMs > 0)
				pausedUntil = Math.max(pausedUntil, now() + retryAfterMs);
			if (status === 429 || status === 503) {
				slowStart = false;
				setLimit(status === 429 ? Math.min(2, Math.floor(limit / 2)) : Math.floor(limit / 2));
				return;
			}
			if (status === undefined || status >= 500) {
				slowStart = false;
				setLimit(Math.floor(limit / 2));
				return;
			}
			fastest = Math.min(fastest, ms);
			if (ms > Math.max(fastest * SLOW_FACTOR, fastest + SLOW_MARGIN_MS)) {
				slowStart = false;
				setLimit(limit - 1);
				return;
			}
			// A clean, quick answer to a request sent at the current pace: a whole round of them grows it.
			if (sentAt < cutAt) return;
			cleanInRound++;
			if (slowStart) {
				limit = Math.min(top, limit + 1);
			} else if (cleanInRound >= limit) {
				setLimit(limit + 1);
			}
		},
		acquire() {
			return new Promise<void>((resolve) => {
				waiting.push(resolve);
				admit();
			});
		},
		release() {
			out--;
			admit();
		},
		dropToOne() {
			slowStart = false;
			setLimit(1);
		},
		stop() {
			stopped = true;
			admit();
		},
	};
}
