import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { sendToCrego, type CregoRequest } from '../transport/cregoApi';
import * as loan from './loan/Loan.resource';
import type { CregoOperation } from './operation';
import * as payout from './payout/Payout.resource';
import * as record from './record/Record.resource';

const resources: Record<string, Record<string, CregoOperation>> = {
	loan: loan.operations,
	payout: payout.operations,
	record: record.operations,
};

type NodeError = NodeApiError | NodeOperationError;

/**
 * Runs the chosen operation over all items, in two passes. First every item's fields
 * are read and checked, sending nothing: with the node set to stop on error, a bad
 * row 300 stops the run before row 1 moves money. Then the requests go out one at a
 * time, in item order. Each input item gives exactly one output item, paired to it;
 * with "Continue On Fail" a failed item becomes an error item and the others go on.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const continueOnFail = this.continueOnFail();

	const prepared: Array<CregoRequest | NodeError> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push(operation.prepareRequest.call(this, itemIndex));
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			prepared.push(nodeError);
		}
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const request = prepared[itemIndex];
		if (request instanceof Error) {
			output.push(errorItem(request, itemIndex));
			continue;
		}
		try {
			const json = await sendToCrego.call(this, request, itemIndex);
			output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return [output];
}

/**
 * n8n sends an item to the error output only when `error` is set or its json holds
 * nothing but error/message/details: the details stay on the error object.
 */
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	const candidate = error as NodeError;
	if (candidate instanceof Error && 'node' in candidate) return candidate;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}
