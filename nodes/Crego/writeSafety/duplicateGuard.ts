import type { IContextObject } from 'n8n-workflow';

import type { DuplicateKey } from '../vocabulary/request';
import { rowName } from '../vocabulary/rowNames';

/**
 * Refuses an item that would repeat a money movement of this execution: the same refund
 * twice in a sheet, or a batch sent again by a loop. Keys are remembered in the node's
 * context, which lasts for the whole execution across the node's runs.
 */

/** Whether a key held before refuses this one: always, unless both came from rows with References. */
export const refuses = (heldWithReferenceOnly: boolean, key: DuplicateKey) =>
	!(heldWithReferenceOnly && key.withReference);

const STORE = 'cregoSentKeys';

export type DuplicateGuard = ReturnType<typeof createDuplicateGuard>;

/** `run` is the node's run, whose rows are named as everywhere else ("row 4", "item 2": values/rowNames.ts). */
export function createDuplicateGuard(context: IContextObject, run: object) {
	const nameOf = (itemIndex: number) => rowName(run, itemIndex, true);
	const earlier = (context[STORE] ?? {}) as Record<string, string>;
	const thisRun = new Map<string, { itemIndex: number; withReferenceOnly: boolean }>();
	const sharedTag = (key: string) => `withReference|${key}`;

	return {
		/** The earlier item this one repeats, in words; undefined when it is new. Remembers it for this run. */
		check(keys: DuplicateKey[], itemIndex: number): string | undefined {
			for (const duplicateKey of keys) {
				const { key, what, legacyKey } = duplicateKey;
				const sameRun = thisRun.get(key);
				if (sameRun && refuses(sameRun.withReferenceOnly, duplicateKey))
					return `duplicate of ${nameOf(sameRun.itemIndex)} (${what})`;
				const before = earlier[key] ?? (legacyKey ? earlier[legacyKey] : undefined);
				if (before && refuses(earlier[sharedTag(key)] !== undefined, duplicateKey))
					return `duplicate of ${before} (${what})`;
			}
			for (const { key, withReference } of keys) {
				const sameRun = thisRun.get(key);
				thisRun.set(key, {
					itemIndex: sameRun?.itemIndex ?? itemIndex,
					withReferenceOnly: (sameRun?.withReferenceOnly ?? true) && !!withReference,
				});
			}
			return undefined;
		},
		/** Records that an item went to Crego (done, or outcome unknown), for later runs. */
		remember(keys: DuplicateKey[], itemIndex: number) {
			const store = (context[STORE] ?? {}) as Record<string, string>;
			for (const { key, withReference } of keys) {
				// A key first held by a row with a Reference stays shared only while every holder has one.
				if (store[key] === undefined && withReference) store[sharedTag(key)] = '1';
				else if (!withReference) delete store[sharedTag(key)];
				store[key] ??= `${nameOf(itemIndex)} of an earlier run of this node in this execution`;
			}
			context[STORE] = store;
		},
	};
}
