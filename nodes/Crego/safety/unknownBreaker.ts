import type { IContextObject } from 'n8n-workflow';

import type { Outcome } from './outcomes';

/**
 * Stops sending writes when Crego stops answering reliably: after UNKNOWN_IN_A_ROW writes
 * in a row (in the order their outcomes arrive) with an unknown outcome, no further
 * write is sent for the rest of the execution. It counts every write whatever the
 * concurrency, and lives in the node's context so it also holds across the batches of a
 * loop. Once tripped it stays tripped: a write that was already in flight and succeeds
 * does not reopen it.
 */

export const UNKNOWN_IN_A_ROW = 3;

const STORE = 'cregoUnknownBreaker';

interface BreakerState {
	unknownInARow: number;
	tripped: boolean;
}

export type UnknownBreaker = ReturnType<typeof unknownBreaker>;

export function unknownBreaker(context: IContextObject) {
	const state = (context[STORE] ??= { unknownInARow: 0, tripped: false }) as BreakerState;
	return {
		get tripped() {
			return state.tripped;
		},
		record(outcome: Outcome) {
			if (state.tripped) return;
			if (outcome === 'unknown') state.unknownInARow++;
			else if (outcome === 'done' || outcome === 'rejected') state.unknownInARow = 0;
			if (state.unknownInARow >= UNKNOWN_IN_A_ROW) state.tripped = true;
		},
	};
}
