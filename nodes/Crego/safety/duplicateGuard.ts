import type { IContextObject } from 'n8n-workflow';

import { rowName } from '../values/rowNames';

/**
 * Refuses an item that would repeat a money movement of this execution: the same refund
 * twice in a sheet, or a batch sent again by a loop. Keys are remembered in the node's
 * context, which lasts for the whole execution across the node's runs.
 */

export interface DuplicateKey {
	/** e.g. "refund|<loan>|cashback_refund|1500" */
	key: string;
	/** e.g. "same loan, refund type and amount" */
	what: string;
	/**
	 * How long it is refused: within this execution only, for the business day across
	 * executions (a write's fields, the default), or always (a Reference).
	 */
	lasts?: 'execution' | 'businessDay' | 'always';
	/**
	 * What the row acts on rather than what it does (a payout, a UTR): kept when the row
	 * has a Reference, since a Reference tells two writes apart but never makes one payout
	 * or one UTR two.
	 */
	identity?: boolean;
	/** The same key as an earlier release of the node wrote it: checked, never recorded (a ledger written before the upgrade still holds). */
	legacyKey?: string;
}

const STORE = 'cregoSentKeys';


export type DuplicateGuard = ReturnType<typeof createDuplicateGuard>;

/** `run` is the node's run, whose rows are named as everywhere else ("row 4", "item 2": values/rowNames.ts). */
export function createDuplicateGuard(context: IContextObject, run: object) {
	const nameOf = (itemIndex: number) => rowName(run, itemIndex, true);
	const earlier = (context[STORE] ?? {}) as Record<string, string>;
	const thisRun = new Map<string, number>();

	return {
		/** The earlier item this one repeats, in words; undefined when it is new. Remembers it for this run. */
		check(keys: DuplicateKey[], itemIndex: number): string | undefined {
			for (const { key, what, legacyKey } of keys) {
				const sameRun = thisRun.get(key);
				if (sameRun !== undefined) return `duplicate of ${nameOf(sameRun)} (${what})`;
				const before = earlier[key] ?? (legacyKey ? earlier[legacyKey] : undefined);
				if (before) return `duplicate of ${before} (${what})`;
			}
			for (const { key } of keys) thisRun.set(key, itemIndex);
			return undefined;
		},
		/** Records that an item went to Crego (done, or outcome unknown), for later runs. */
		remember(keys: DuplicateKey[], itemIndex: number) {
			const store = (context[STORE] ?? {}) as Record<string, string>;
			for (const { key } of keys) store[key] = `${nameOf(itemIndex)} of an earlier run of this node in this execution`;
			context[STORE] = store;
		},
	};
}
