import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { simplify, type ObjectKind } from '../output/simplify';
import { isWrite, openConnection, outcomeOf, sendToCrego, type Connection } from '../transport/cregoApi';
import { fetchPages } from '../transport/pagination';
import { createDuplicateGuard, type DuplicateGuard } from './duplicateGuard';
import * as account from './account/Account.resource';
import * as apiRequest from './apiRequest/ApiRequest.resource';
import * as loan from './loan/Loan.resource';
import type { CregoOperation, PreparedRequest } from './operation';
import * as payout from './payout/Payout.resource';
import * as record from './record/Record.resource';
import * as settlement from './settlement/Settlement.resource';
import { DEFAULT_READ_CONCURRENCY, readRunOptions, type RunOptions } from './runOptions';

const resources: Record<string, Record<string, CregoOperation>> = {
	account: account.operations,
	apiRequest: apiRequest.operations,
	loan: loan.operations,
	payout: payout.operations,
	record: record.operations,
	settlement: settlement.operations,
};

type NodeError = NodeApiError | NodeOperationError;

/** After this many writes in a row with an unknown outcome, the rest of the run is not sent. */
const UNKNOWN_OUTCOMES_BEFORE_STOP = 3;

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
	const options = readRunOptions(this);

	const prepared = prepareAll(this, operation, items.length, continueOnFail);
	const writes = prepared.some((request) => !(request instanceof Error) && isWrite(request));
	if (writes && this.getNode().retryOnFail) {
		throw new NodeOperationError(this.getNode(), 'Turn off "Retry On Fail" for this node: it could send payments twice', {
			description:
				"n8n's Retry On Fail re-runs the whole node after a failure, sending every item again, including those Crego already processed. " +
				'The node retries by itself what is safe to retry (rate limits, connections that never arrived). Turn the setting off in the node\'s Settings.',
		});
	}
	const guard = writes && options.duplicateGuard ? createDuplicateGuard(this.getContext('node')) : undefined;
	if (guard) refuseDuplicates(this, guard, prepared, continueOnFail);
	if (options.validateOnly) return [prepared.map((request, itemIndex) => previewItem(request, itemIndex))];

	let connection: Connection;
	try {
		connection = await openConnection(this, options.timeoutSeconds);
	} catch (error) {
		const nodeError = new NodeOperationError(this.getNode(), error as Error);
		if (!continueOnFail) throw nodeError;
		return [items.map((_, itemIndex) => errorItem(nodeError, itemIndex))];
	}
	const concurrency = options.concurrency ?? (writes ? 1 : DEFAULT_READ_CONCURRENCY);
	return [await sendAll(this, connection, prepared, { continueOnFail, guard, concurrency, shape: shaper(operation.output, options) })];
}

/** Pass 1: every item's request, or the error that says why it cannot be sent. */
function prepareAll(context: IExecuteFunctions, operation: CregoOperation, count: number, continueOnFail: boolean) {
	const prepared: Array<PreparedRequest | NodeError> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			prepared.push(operation.prepareRequest.call(context, itemIndex));
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			prepared.push(nodeError);
		}
	}
	return prepared;
}

function refuseDuplicates(
	context: IExecuteFunctions,
	guard: DuplicateGuard,
	prepared: Array<PreparedRequest | NodeError>,
	continueOnFail: boolean,
) {
	prepared.forEach((request, itemIndex) => {
		if (request instanceof Error || !request.duplicateKeys) return;
		const duplicate = guard.check(request.duplicateKeys, itemIndex);
		if (!duplicate) return;
		const error = new NodeOperationError(context.getNode(), `Item ${itemIndex} not sent: ${duplicate}`, {
			itemIndex,
			description:
				'The node refuses to move the same money twice in one execution. If both items are meant, send them in separate executions, or turn off Options → Refuse Duplicates.',
		});
		if (!continueOnFail) throw error;
		prepared[itemIndex] = error;
	});
}

interface SendSettings {
	continueOnFail: boolean;
	guard?: DuplicateGuard;
	/** Requests in flight at once (writes default to 1: one at a time, in row order). */
	concurrency: number;
	shape: (json: IDataObject) => IDataObject;
}

/**
 * Pass 2: the requests, at most `concurrency` in flight, taken in item order; the output
 * keeps the input's order and pairing whatever order the answers come in. When the node
 * stops on an error, no further item is started, the ones in flight finish, and the error
 * lists the items already done.
 */
async function sendAll(
	context: IExecuteFunctions,
	connection: Connection,
	prepared: Array<PreparedRequest | NodeError>,
	{ continueOnFail, guard, concurrency, shape }: SendSettings,
): Promise<INodeExecutionData[]> {
	const outputs: INodeExecutionData[][] = new Array(prepared.length);
	const done: Array<{ itemIndex: number; refId?: string }> = [];
	let unknownInARow = 0;
	let stop: { error: NodeError; write: boolean } | undefined;
	let next = 0;

	async function sendItem(itemIndex: number): Promise<INodeExecutionData[]> {
		const request = prepared[itemIndex];
		if (request instanceof Error) return [errorItem(request, itemIndex)];
		if (isWrite(request) && unknownInARow >= UNKNOWN_OUTCOMES_BEFORE_STOP) {
			return [errorItem(notSentAfterUnknowns(context, itemIndex), itemIndex)];
		}
		try {
			if (request.pages) {
				const results = await fetchPages(context, connection, request, request.pages, itemIndex);
				return results.map((json) => ({ json: shape(json), pairedItem: { item: itemIndex } }));
			}
			const json = await sendToCrego.call(context, connection, request, itemIndex);
			unknownInARow = 0;
			if (guard && request.duplicateKeys) guard.remember(request.duplicateKeys, itemIndex);
			done.push({ itemIndex, refId: typeof json.ref_id === 'string' ? json.ref_id : undefined });
			return [{ json: shape(json), pairedItem: { item: itemIndex } }];
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			const outcome = outcomeOf(nodeError);
			unknownInARow = outcome === 'unknown' ? unknownInARow + 1 : 0;
			if (guard && outcome === 'unknown' && request.duplicateKeys) guard.remember(request.duplicateKeys, itemIndex);
			if (!continueOnFail) {
				stop ??= { error: nodeError, write: isWrite(request) };
				return [];
			}
			return [errorItem(nodeError, itemIndex)];
		}
	}

	async function worker() {
		while (!stop && next < prepared.length) {
			const itemIndex = next++;
			outputs[itemIndex] = await sendItem(itemIndex);
		}
	}
	await Promise.all(Array.from({ length: Math.min(Math.max(concurrency, 1), prepared.length) }, worker));
	if (stop) throw withItemsDone(stop.error, done, stop.write);
	return outputs.flat();
}

/** Simplify on: readable fields; off: Crego's JSON untouched. */
function shaper(kind: ObjectKind, options: RunOptions) {
	if (!options.simple) return (json: IDataObject) => json;
	// An unreadable success ({statusCode, responseText}) is shown as it came.
	return (json: IDataObject) => ('responseText' in json ? json : simplify(json, kind, options.businessTimezone));
}

function notSentAfterUnknowns(context: IExecuteFunctions, itemIndex: number) {
	return new NodeOperationError(
		context.getNode(),
		`Not sent: the last ${UNKNOWN_OUTCOMES_BEFORE_STOP} items had an unknown outcome, so the node stopped sending for this run`,
		{
			itemIndex,
			description:
				'Crego stopped answering reliably. Nothing was sent for this item: check the items with an unknown outcome in Crego, then run the remaining rows again.',
		},
	);
}

/**
 * When a write fails with the node set to stop, the run ends half-way: the error says
 * which items Crego already did, so nobody sends the whole sheet again.
 */
function withItemsDone(error: NodeError, doneItems: Array<{ itemIndex: number; refId?: string }>, write: boolean): NodeError {
	if (!write || doneItems.length === 0) return error;
	const done = [...doneItems]
		.sort((a, b) => a.itemIndex - b.itemIndex)
		.map(({ itemIndex, refId }) => `item ${itemIndex}${refId ? ` (${refId})` : ''}`);
	const list = done.join(', ');
	error.message = `${error.message} [${done.length} earlier item${done.length === 1 ? ' was' : 's were'} already done: ${done.length > 5 ? `${done.slice(0, 5).join(', ')}, ...` : list}]`;
	error.description = `Already done in this run, do not send again: ${list}.\n${error.description ?? ''}`;
	return error;
}

/** Validate Only: the request each item would send, and nothing sent. */
function previewItem(request: PreparedRequest | NodeError, itemIndex: number): INodeExecutionData {
	if (request instanceof Error) return errorItem(request, itemIndex);
	const { method, path, query, body } = request;
	return { json: { validateOnly: true, method, path, ...(query ? { query } : {}), ...(body ? { body } : {}) }, pairedItem: { item: itemIndex } };
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
