import type { INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Outcome } from './outcomes';

/**
 * Ordering: items are started in row order, at most `concurrency` at a time (writes
 * default to one: strictly in row order), and their output keeps the input's order and
 * pairing whatever order the answers come in. When the node is set to stop on an error,
 * no further item is started once one fails; the ones in flight are waited for, so
 * every item's outcome is known when the run ends.
 */

export type NodeError = NodeApiError | NodeOperationError;

export interface ItemResult {
	items: INodeExecutionData[];
	outcome: Outcome;
	/** Crego's reference of what was done (ref_id), for the messages that list done items. */
	refId?: string;
	error?: NodeError;
	/** Done by an earlier run or attempt, not sent again. */
	repeat?: boolean;
}

export interface Sent {
	/** Per item; undefined for an item never started because the run stopped. */
	results: Array<ItemResult | undefined>;
	/** The first error, when the run stopped on it. */
	stoppedBy?: { itemIndex: number; error: NodeError };
}

export async function sendInOrder(
	count: number,
	concurrency: number,
	stopOnError: boolean,
	sendItem: (itemIndex: number) => Promise<ItemResult>,
): Promise<Sent> {
	const results: Sent['results'] = new Array(count).fill(undefined);
	let stoppedBy: Sent['stoppedBy'];
	let next = 0;
	async function worker() {
		while (!stoppedBy && next < count) {
			const itemIndex = next++;
			const result = await sendItem(itemIndex);
			results[itemIndex] = result;
			if (result.error && stopOnError) stoppedBy ??= { itemIndex, error: result.error };
		}
	}
	await Promise.all(Array.from({ length: Math.min(Math.max(concurrency, 1), count) }, worker));
	return { results, stoppedBy };
}
