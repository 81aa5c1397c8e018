import type { IContextObject } from 'n8n-workflow';

import type { Outcome } from '../vocabulary/outcome';

/**
 * Stops sending writes when Crego stops answering reliably: once UNKNOWN_IN_A_ROW writes
 * in a row have an unknown outcome, no further write is sent for the rest of the
 * execution.
 *
 * "In a row" is in the order the writes were started (row order), not the order their
 * answers came back, so it means the same whatever the concurrency: a write that was
 * already in flight and succeeds later does not hide three failures before it. Writes
 * still in flight do not break a run of unknowns (the safe side). The record lives in
 * the node's context, so it also holds across the batches of a loop; once tripped it
 * stays tripped.
 */

export const UNKNOWN_IN_A_ROW = 3;

const STORE = 'cregoUnknownBreaker';

interface BreakerState {
	/** Each write of this execution in start order: its outcome, or null while in flight. */
	writes: Array<Outcome | null>;
	tripped: boolean;
}

/** `fresh`: start over (a retried run: a person decided to go on). */
export function unknownBreaker(context: IContextObject, { fresh = false } = {}) {
	if (fresh) delete context[STORE];
	const state = (context[STORE] ??= { writes: [], tripped: false }) as BreakerState;
	return {
		get tripped() {
			return state.tripped;
		},
		/** A write is about to be sent: its place in start order. */
		start(): number {
			state.writes.push(null);
			return state.writes.length - 1;
		},
		record(place: number, outcome: Outcome) {
			state.writes[place] = outcome;
			if (unknownsAround(state.writes, place) >= UNKNOWN_IN_A_ROW) state.tripped = true;
		},
	};
}

/** Unknown outcomes in the stretch around `place` that no done or rejected write interrupts. */
function unknownsAround(writes: Array<Outcome | null>, place: number): number {
	const breaks = (outcome: Outcome | null) => outcome === 'done' || outcome === 'rejected';
	if (breaks(writes[place])) return 0;
	let count = 0;
	for (let i = place; i >= 0 && !breaks(writes[i]); i--) if (writes[i] === 'unknown') count++;
	for (let i = place + 1; i < writes.length && !breaks(writes[i]); i++)
		if (writes[i] === 'unknown') count++;
	return count;
}
