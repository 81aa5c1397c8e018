import type { INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Outcome } from './outcome';

/** An error the node gives n8n, always with the item it belongs to. */
export type NodeError = NodeApiError | NodeOperationError;

/** How one item ended: its output items and outcome. */
export interface ItemResult {
	items: INodeExecutionData[];
	outcome: Outcome;
	/** Crego's reference of what was done (ref_id), for the messages that list done items. */
	refId?: string;
	error?: NodeError;
	/** Done by an earlier run or attempt, not sent again. */
	repeat?: boolean;
	/** Fields of Crego's answer that Simplify kept as Crego sent them (it could not read them). */
	kept?: string[];
}
