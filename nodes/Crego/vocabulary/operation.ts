import type { IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import type { ObjectKind } from '../model/cregoObjects';
import { isWrite, type PreparedRequest } from './request';

/** The method an operation sends with, or `chosen`: the item's Method field decides (API Request). */
export type OperationMethod = IHttpRequestMethods | 'chosen';

/**
 * One documented Crego endpoint: the fields the user fills, and how one item's
 * fields become the request. `prepareRequest` reads and checks every field and throws
 * a NodeOperationError naming the field and item; it sends nothing, so the run can
 * check all items before the first request moves money.
 */
export interface CregoOperation {
	properties: INodeProperties[];
	/** What Crego answers with, for Simplify and the schema preview. */
	output: ObjectKind;
	/** The method every request of the operation has (a unit test holds prepareRequest to it). */
	method: OperationMethod;
	prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest;
}

/** Reads, writes, or either by the item's Method: from the method alone, through isWrite. */
export function operationKind(method: OperationMethod): 'read' | 'write' | 'readOrWrite' {
	if (method === 'chosen') return 'readOrWrite';
	return isWrite({ method }) ? 'write' : 'read';
}

/** Whether the operation may change something in Crego (its output may then be a repeat's marker). */
export const mayWrite = (operation: Pick<CregoOperation, 'method'>) =>
	operationKind(operation.method) !== 'read';
