import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { simplify, type ObjectKind } from '../output/simplify';
import { createDuplicateGuard, type DuplicateGuard } from '../safety/duplicateGuard';
import { outcomeOf, type Outcome } from '../safety/outcomes';
import { sendInOrder, type ItemResult, type NodeError } from '../safety/sendInOrder';
import { withEveryOutcome } from '../safety/stopReport';
import { unknownBreaker, UNKNOWN_IN_A_ROW, type UnknownBreaker } from '../safety/unknownBreaker';
import { isWrite, openConnection, sendToCrego, type Connection } from '../transport/cregoApi';
import { fetchPages } from '../transport/pagination';
import * as account from './account/Account.resource';
import * as apiRequest from './apiRequest/ApiRequest.resource';
import * as loan from './loan/Loan.resource';
import type { CregoOperation, PreparedRequest } from './operation';
import * as payout from './payout/Payout.resource';
import * as record from './record/Record.resource';
import { DEFAULT_READ_CONCURRENCY, readRunOptions, type RunOptions } from './runOptions';
import * as settlement from './settlement/Settlement.resource';

const resources: Record<string, Record<string, CregoOperation>> = {
	account: account.operations,
	apiRequest: apiRequest.operations,
	loan: loan.operations,
	payout: payout.operations,
	record: record.operations,
	settlement: settlement.operations,
};

interface RunPlan {
	prepared: Array<PreparedRequest | NodeError>;
	options: RunOptions;
	operation: CregoOperation;
	writes: boolean;
	/** Set for writes unless Refuse Duplicates is off. */
	guard?: DuplicateGuard;
}

/**
 * Runs the chosen operation over all items, in two passes. First every item's fields
 * are read and checked, sending nothing: with the node set to stop on error, a bad
 * row 300 stops the run before row 1 moves money. Then the requests go out (see
 * safety/sendInOrder.ts). Each input item gives one output item per result, paired to
 * it; with "Continue On Fail" a failed item becomes an error item carrying its outcome,
 * and the others go on. A refusal of the whole run (an invalid option, Retry On Fail on
 * a write, an unusable credential) is never thrown under "Continue": n8n would pass the
 * input rows on as successes; every item becomes an error item instead.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const count = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	let plan: RunPlan;
	let connection: Connection | undefined;
	try {
		plan = planRun(this, count, continueOnFail);
		if (plan.options.validateOnly) return [plan.prepared.map((request, itemIndex) => previewItem(request, itemIndex))];
		connection = await openConnection(this, plan.options.timeoutSeconds);
	} catch (error) {
		if (!continueOnFail) throw isNodeError(error) ? error : asNodeError(this, error, 0);
		return [Array.from({ length: count }, (_, itemIndex) => errorItem(asNodeError(this, error, itemIndex), itemIndex, 'notSent'))];
	}
	return [await sendAll(this, connection, plan, continueOnFail)];
}

function planRun(context: IExecuteFunctions, count: number, continueOnFail: boolean): RunPlan {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationName = context.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(context.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const options = readRunOptions(context);
	const prepared = prepareAll(context, operation, count, continueOnFail);
	const writes = prepared.some((request) => !(request instanceof Error) && isWrite(request));
	if (writes && context.getNode().retryOnFail) {
		throw new NodeOperationError(context.getNode(), 'Turn off "Retry On Fail" for this node: it could send payments twice', {
			description:
				"n8n's Retry On Fail re-runs the whole node after a failure, sending every item again, including those Crego already processed. " +
				'The node retries by itself what is safe to retry (rate limits, connections that never arrived). Turn the setting off in the node\'s Settings.',
		});
	}
	const guard = writes && options.duplicateGuard ? createDuplicateGuard(context.getContext('node')) : undefined;
	if (guard) refuseDuplicates(context, guard, prepared, continueOnFail);
	return { prepared, options, operation, writes, guard };
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

/** Pass 2: the requests, in order and bounded (safety/sendInOrder.ts), each item ending with a known outcome. */
async function sendAll(context: IExecuteFunctions, connection: Connection, plan: RunPlan, continueOnFail: boolean): Promise<INodeExecutionData[]> {
	const { prepared, options, operation, writes, guard } = plan;
	const breaker = unknownBreaker(context.getContext('node'));
	const shape = shaper(operation.output, options);
	const concurrency = options.concurrency ?? (writes ? 1 : DEFAULT_READ_CONCURRENCY);

	const sent = await sendInOrder(prepared.length, concurrency, !continueOnFail, (itemIndex) =>
		sendItem(context, connection, prepared[itemIndex], itemIndex, { guard, breaker, shape }),
	);
	if (sent.stoppedBy) {
		throw writes ? withEveryOutcome(sent.stoppedBy.error, sent) : sent.stoppedBy.error;
	}
	return sent.results.flatMap((result) => result?.items ?? []);
}

interface ItemTools {
	guard?: DuplicateGuard;
	breaker: UnknownBreaker;
	shape: (json: IDataObject) => IDataObject;
}

async function sendItem(
	context: IExecuteFunctions,
	connection: Connection,
	request: PreparedRequest | NodeError,
	itemIndex: number,
	{ guard, breaker, shape }: ItemTools,
): Promise<ItemResult> {
	if (request instanceof Error) return failed(request, itemIndex, 'notSent');
	const write = isWrite(request);
	if (write && breaker.tripped) return failed(notSentAfterUnknowns(context, itemIndex), itemIndex, 'notSent');
	const place = write ? breaker.start() : -1;
	try {
		if (request.pages) {
			const results = await fetchPages(context, connection, request, request.pages, itemIndex);
			return { items: results.map((json) => ({ json: shape(json), pairedItem: { item: itemIndex } })), outcome: 'done' };
		}
		const json = await sendToCrego.call(context, connection, request, itemIndex);
		if (write) breaker.record(place, 'done');
		if (guard && request.duplicateKeys) guard.remember(request.duplicateKeys, itemIndex);
		return {
			items: [{ json: shape(json), pairedItem: { item: itemIndex } }],
			outcome: 'done',
			refId: typeof json.ref_id === 'string' ? json.ref_id : undefined,
		};
	} catch (error) {
		const nodeError = asNodeError(context, error, itemIndex);
		// An error this node did not tag came from outside the transport: for a write, it may have been sent.
		const outcome = outcomeOf(nodeError) ?? (write ? 'unknown' : 'failed');
		if (write) breaker.record(place, outcome);
		if (guard && outcome === 'unknown' && request.duplicateKeys) guard.remember(request.duplicateKeys, itemIndex);
		return failed(nodeError, itemIndex, outcome);
	}
}

function failed(error: NodeError, itemIndex: number, outcome: Outcome): ItemResult {
	return { items: [errorItem(error, itemIndex, outcome)], outcome, error };
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
		`Not sent: ${UNKNOWN_IN_A_ROW} writes in a row had an unknown outcome, so the node stopped sending writes for this execution`,
		{
			itemIndex,
			description:
				'Crego stopped answering reliably. Nothing was sent for this item: check the items with an unknown outcome in Crego, then run the remaining rows again.',
		},
	);
}

/** Validate Only: the request each item would send, and nothing sent. */
function previewItem(request: PreparedRequest | NodeError, itemIndex: number): INodeExecutionData {
	if (request instanceof Error) return errorItem(request, itemIndex, 'notSent');
	const { method, path, query, body } = request;
	return {
		json: { validateOnly: true, method, path, ...(query && Object.keys(query).length ? { query } : {}), ...(body ? { body } : {}) },
		pairedItem: { item: itemIndex },
	};
}

/**
 * An error item: `error` says what went wrong, `message` what became of the row —
 * `rejected` or `notSent` (Crego did nothing: fix it and send it again), `unknown` (check
 * in Crego first), `failed` (a read). This is the one shape both n8n lines send to the
 * error output and leave intact: n8n 1.x routes only JSON of exactly `error` (and
 * `message`), and both lines replace the JSON of an item whose `error` property is set
 * with the message alone, which would lose the outcome.
 */
function errorItem(error: NodeError, itemIndex: number, outcome: Outcome): INodeExecutionData {
	return { json: { error: error.message, message: outcome }, pairedItem: { item: itemIndex } };
}

const isNodeError = (error: unknown): error is NodeError => error instanceof Error && 'node' in error;

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	const candidate = error;
	if (isNodeError(candidate)) {
		if (candidate.context?.itemIndex === itemIndex) return candidate;
		// A refusal of the whole run, given to each item.
		return new NodeOperationError(context.getNode(), candidate.message, { itemIndex, description: candidate.description ?? undefined });
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), message, { itemIndex });
}
