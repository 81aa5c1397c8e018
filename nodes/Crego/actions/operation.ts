import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ObjectKind } from '../output/simplify';
import type { CregoRequest } from '../transport/cregoApi';
import type { PageLimit } from '../transport/pagination';
import type { DuplicateKey } from '../safety/duplicateGuard';

/** One item's request, with the keys that identify the money movement it makes. */
export interface PreparedRequest extends CregoRequest {
	duplicateKeys?: DuplicateKey[];
	/**
	 * What a write acts on (loan, payout, UTR…), by normalised ID: writes sharing a lane are
	 * sent one at a time and in row order, whatever Concurrent Requests allows.
	 */
	lanes?: string[];
	/** A list: follow Crego's page envelope, one output item per result. */
	pages?: PageLimit;
}

/**
 * One documented Crego endpoint: the fields the user fills, and how one item's
 * fields become the request. `prepareRequest` reads and checks every field and throws
 * a NodeOperationError naming the field and item; it sends nothing, so the router can
 * check all items before the first request moves money.
 */
export interface CregoOperation {
	properties: INodeProperties[];
	/** What Crego answers with, for Simplify and the schema preview. */
	output: ObjectKind;
	/** Whether the operation changes something in Crego (its output may then be a repeat's marker). */
	write: boolean;
	prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest;
}
