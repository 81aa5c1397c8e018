import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { NodeError } from '../vocabulary/itemResult';

export const isNodeError = (error: unknown): error is NodeError =>
	error instanceof Error && 'node' in error;

/** Any error as n8n's error of one item (a refusal of the whole run is given to each item). */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeError {
	if (isNodeError(error)) {
		if (error.context?.itemIndex === itemIndex) return error;
		// A refusal of the whole run, given to each item.
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: error.description ?? undefined,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}
