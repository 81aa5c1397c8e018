import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { errorItem } from '../output/errorItem';
import { runSummary } from '../output/runSummary';
import { simplify, type ObjectKind } from '../output/simplify';
import { createDuplicateGuard } from '../safety/duplicateGuard';
import { keysWithReference } from '../safety/duplicateKeys';
import { outcomeOf, type Outcome } from '../safety/outcomes';
import { createPace } from '../safety/pace';
import { sendInOrder, type ItemResult, type NodeError } from '../safety/sendInOrder';
import { withEveryOutcome } from '../safety/stopReport';
import { openWriteSafety, repeatInExecution, type WriteSafety } from '../safety/writeSafety';
import { parseBoolean } from '../values/boolean';
import { forRow, parseRowNumber, rowField, rowList, setRowNumber } from '../values/rowNames';
import { parseSheetText } from '../values/sheetText';
import { isWrite, openConnection, sendToCrego, type Connection } from '../transport/cregoApi';
import { fetchPages } from '../transport/pagination';
import type { CregoOperation, PreparedRequest } from './operation';
import { OPERATIONS } from './operations';
import { readField } from './readField';
import {
	DEFAULT_READ_CONCURRENCY,
	DEFAULT_WRITE_CONCURRENCY,
	readRunOptions,
	referenceOption,
	rowNumberOption,
	sendAgainOption,
	type RunOptions,
} from './runOptions';

interface RunPlan {
	prepared: Array<PreparedRequest | NodeError>;
	options: RunOptions;
	operation: CregoOperation;
	writes: boolean;
	/** Per write row: whether the person asked to send it again (Options → Send Again). */
	sendAgain: boolean[];
}

/**
 * Runs the chosen operation over all items, in two passes. First every item's fields
 * are read and checked, sending nothing: with the node set to stop on error, a bad
 * row 300 stops the run before row 1 moves money. Then the requests go out (see
 * safety/sendInOrder.ts), writes under the rules of safety/writeSafety.ts. Each input
 * item gives one output item per result, paired to it; with "Continue On Fail" a failed
 * item becomes an error item carrying its outcome, and the others go on. A refusal of
 * the whole run (an invalid option, Retry On Fail on a write, an unusable credential) is
 * never thrown under "Continue": n8n would pass the input rows on as successes; every
 * item becomes an error item instead.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const count = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	let plan: RunPlan;
	let connection: Connection;
	let safety: WriteSafety | undefined;
	try {
		plan = planRun(this, count, continueOnFail);
		if (plan.options.validateOnly) return [preview(this, plan, continueOnFail)];
		connection = await openConnection(this, plan.options.timeoutSeconds);
		if (plan.writes) {
			const rows = plan.prepared.map((request, itemIndex) =>
				request instanceof Error ? request : { request, sendAgain: plan.sendAgain[itemIndex] },
			);
			safety = await openWriteSafety(this, rows, { ...plan.options, continueOnFail });
		}
	} catch (error) {
		if (!continueOnFail) throw isNodeError(error) ? error : asNodeError(this, error, 0);
		return [
			Array.from({ length: count }, (_, itemIndex) =>
				errorItem(this, asNodeError(this, error, itemIndex), itemIndex, 'notSent'),
			),
		];
	}
	let completed = false;
	let output: INodeExecutionData[];
	try {
		output = await sendAll(this, connection, plan, safety, continueOnFail);
		completed = true;
	} finally {
		const { claimReplaced } = (await safety?.finish({ completed })) ?? { claimReplaced: false };
		// Said where the rows are too, not only above them: each row this run did may have been done by the other execution as well.
		if (claimReplaced && completed)
			for (const item of output!)
				if (
					item.json.sent !== undefined &&
					!item.json.alreadySent &&
					!item.json.alreadyDone &&
					!item.json.error
				)
					item.json.ledgerWarning = CLAIM_REPLACED_WARNING;
	}
	return [output];
}

const CLAIM_REPLACED_WARNING =
	"Another execution rewrote the ledger while this run was sending (n8n's database was slower than the claim showed): it may have sent this row too. Check this row in Crego for a double.";

function planRun(context: IExecuteFunctions, count: number, continueOnFail: boolean): RunPlan {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationName = context.getNodeParameter('operation', 0) as string;
	const operation = OPERATIONS[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);
	}
	const options = readRunOptions(context);
	const sendAgain: boolean[] = [];
	const prepared = prepareAll(context, operation, count, continueOnFail, sendAgain);
	const writes = prepared.some((request) => !(request instanceof Error) && isWrite(request));
	if (writes && context.getNode().retryOnFail) {
		throw new NodeOperationError(
			context.getNode(),
			'Turn off "Retry On Fail" for this node: it could send payments twice',
			{
				description:
					"n8n's Retry On Fail re-runs the whole node after a failure, sending every item again, including those Crego already processed. " +
					"The node retries by itself what is safe to retry (rate limits, connections that never arrived). Turn the setting off in the node's Settings.",
			},
		);
	}
	return { prepared, options, operation, writes, sendAgain };
}

/**
 * Pass 1: every item's request, or the error that says why it cannot be sent. A write
 * also takes its row's Send Again and Reference: a row with a Reference is known by it,
 * for ever (two equal refunds for two invoices are two refunds), and by what it acts on
 * (one payout, one UTR); a row without one is known by its fields, for its business day.
 */
function prepareAll(
	context: IExecuteFunctions,
	operation: CregoOperation,
	count: number,
	continueOnFail: boolean,
	sendAgain: boolean[],
) {
	const prepared: Array<PreparedRequest | NodeError> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			setRowNumber(
				context,
				itemIndex,
				readField(context, itemIndex, rowNumberOption, parseRowNumber),
			);
			const request = operation.prepareRequest.call(context, itemIndex);
			if (isWrite(request)) {
				const reference = readField(context, itemIndex, referenceOption, (value) =>
					parseSheetText(value, { required: false }),
				);
				if (reference !== undefined) {
					request.duplicateKeys = keysWithReference(reference, request.duplicateKeys);
					request.sent = { ...request.sent, reference };
				}
				sendAgain[itemIndex] = readField(context, itemIndex, sendAgainOption, parseBoolean);
			}
			prepared.push(request);
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			prepared.push(nodeError);
		}
	}
	return prepared;
}

/** Validate Only: the request each item would send (repeats within the sheet shown as errors), nothing sent, nothing recorded. */
function preview(
	context: IExecuteFunctions,
	{ prepared, options, writes }: RunPlan,
	continueOnFail: boolean,
): INodeExecutionData[] {
	const guard =
		writes && options.duplicateGuard
			? createDuplicateGuard(context.getContext('node'), context)
			: undefined;
	return prepared.map((request, itemIndex) => {
		if (request instanceof Error) return errorItem(context, request, itemIndex, 'notSent');
		const repeat = guard ? repeatInExecution(context, guard, request, itemIndex) : undefined;
		if (repeat) {
			if (!continueOnFail) throw repeat;
			return errorItem(context, repeat, itemIndex, 'notSent', request.sent);
		}
		const { method, path, query, body } = request;
		return {
			json: {
				validateOnly: true,
				...rowField(context, itemIndex),
				method,
				path,
				...(query && Object.keys(query).length ? { query } : {}),
				...(body ? { body } : {}),
			},
			pairedItem: { item: itemIndex },
		};
	});
}

/** Pass 2: the requests, in order and bounded (safety/sendInOrder.ts), each item ending with a known outcome. */
async function sendAll(
	context: IExecuteFunctions,
	connection: Connection,
	plan: RunPlan,
	safety: WriteSafety | undefined,
	continueOnFail: boolean,
): Promise<INodeExecutionData[]> {
	const { prepared, options, operation, writes } = plan;
	const shape = shaper(operation.output, options);
	const pace = createPace(
		options.concurrency ?? (writes ? DEFAULT_WRITE_CONCURRENCY : DEFAULT_READ_CONCURRENCY),
	);
	connection.pace = pace;

	const schedule = {
		concurrency: () => pace.limit,
		pausedForMs: () => pace.pausedForMs(),
		lanesOf: (itemIndex: number) => {
			const request = prepared[itemIndex];
			return request instanceof Error ? [] : (request.lanes ?? []);
		},
	};
	const sent = await sendInOrder(prepared.length, schedule, !continueOnFail, async (itemIndex) => {
		const result = await sendItem(context, connection, prepared[itemIndex], itemIndex, {
			safety,
			shape,
		});
		// An unknown outcome: down to one request at a time, at once (Crego is not answering reliably).
		if (result.outcome === 'unknown') pace.dropToOne();
		return result;
	});
	if (sent.stoppedBy) {
		throw writes ? withEveryOutcome(context, sent.stoppedBy.error, sent) : sent.stoppedBy.error;
	}
	// Set to stop on error, a run that holds an unknown row (a Retry of an attempt that left one) must fail, never read "Succeeded".
	const unknownRows = sent.results.flatMap((result, itemIndex) =>
		result?.outcome === 'unknown' ? [itemIndex] : [],
	);
	if (!continueOnFail && unknownRows.length)
		throw withEveryOutcome(context, unknownLeft(context, unknownRows), sent);
	const summary = runSummary(sent.results, writes, pace);
	if (summary) context.addExecutionHints(summary);
	return sent.results.flatMap((result) => result?.items ?? []);
}

/** The error of a run that sent what it safely could but holds rows whose outcome is unknown. */
function unknownLeft(context: IExecuteFunctions, unknownRows: number[]): NodeError {
	const [first] = unknownRows;
	const message =
		unknownRows.length === 1
			? forRow(
					context,
					first,
					'Not sent again: its outcome is unknown (an earlier attempt sent it and got no certain answer)',
				)
			: `Not sent again: ${rowList(context, unknownRows)} have an unknown outcome (an earlier attempt sent them and got no certain answer)`;
	return new NodeOperationError(context.getNode(), message, {
		itemIndex: first,
		description:
			'Every other row was sent or settled. Crego may or may not have processed the unknown rows: check in Crego what became of them. For a row Crego did not process, set Options → Send Again for it (for example from a send_again column) and run it again.',
	});
}

interface ItemTools {
	safety?: WriteSafety;
	shape: (json: IDataObject) => IDataObject;
}

async function sendItem(
	context: IExecuteFunctions,
	connection: Connection,
	request: PreparedRequest | NodeError,
	itemIndex: number,
	{ safety, shape }: ItemTools,
): Promise<ItemResult> {
	if (request instanceof Error) return failed(context, request, itemIndex, 'notSent');
	const paired = { pairedItem: { item: itemIndex } };
	const write = safety && isWrite(request) ? safety : undefined;
	// A write's item says which row it belongs to and what the row sent (loan, amount, Reference…); never over a field of Crego's own.
	const traced = (json: IDataObject): IDataObject =>
		isWrite(request) && !('sent' in json)
			? { ...json, sent: { ...rowField(context, itemIndex), ...request.sent } }
			: json;
	const settled = write?.settled(itemIndex);
	if (settled?.kind === 'alreadyDone')
		return {
			items: [{ json: traced({ ...shape(settled.json), alreadyDone: true }), ...paired }],
			outcome: 'done',
			refId: refIdOf(settled.json),
			repeat: true,
		};
	if (settled?.kind === 'alreadySent')
		return {
			items: [{ json: traced(settled.json), ...paired }],
			outcome: 'done',
			refId: refIdOf(settled.json),
			repeat: true,
		};
	// An unknown outcome of a failed attempt does not stop the retried run: the rest is sent, then the run fails (sendAll).
	if (settled?.kind === 'error') {
		if (settled.outcome === 'unknown')
			return {
				items: [errorItem(context, settled.error, itemIndex, 'unknown', request.sent)],
				outcome: 'unknown',
			};
		return failed(context, settled.error, itemIndex, settled.outcome, request);
	}
	const refusal = write?.beforeSend(itemIndex);
	if (refusal) return failed(context, refusal, itemIndex, 'notSent', request);
	const place = write?.started() ?? -1;
	let json: IDataObject;
	try {
		if (request.pages) {
			const results = await fetchPages(context, connection, request, request.pages, itemIndex);
			return {
				items: results.map((result) => ({ json: shape(result), ...paired })),
				outcome: 'done',
			};
		}
		json = await sendToCrego.call(context, connection, request, itemIndex);
	} catch (error) {
		const nodeError = asNodeError(context, error, itemIndex);
		// An error this node did not tag came from outside the transport: for a write, it may have been sent.
		const outcome = outcomeOf(nodeError) ?? (write ? 'unknown' : 'failed');
		await write?.afterSend(itemIndex, place, request, outcome);
		return failed(context, nodeError, itemIndex, outcome, request);
	}
	await write?.afterSend(itemIndex, place, request, 'done', json);
	return {
		items: [{ json: traced(shape(json)), ...paired }],
		outcome: 'done',
		refId: refIdOf(json),
	};
}

const refIdOf = (json: IDataObject) => (typeof json.ref_id === 'string' ? json.ref_id : undefined);

function failed(
	context: IExecuteFunctions,
	error: NodeError,
	itemIndex: number,
	outcome: Outcome,
	request?: PreparedRequest,
): ItemResult {
	return { items: [errorItem(context, error, itemIndex, outcome, request?.sent)], outcome, error };
}

/** Simplify on: readable fields; off: Crego's JSON untouched. */
function shaper(kind: ObjectKind, options: RunOptions) {
	if (!options.simple) return (json: IDataObject) => json;
	// An unreadable success ({statusCode, responseText}) is shown as it came.
	return (json: IDataObject) =>
		'responseText' in json ? json : simplify(json, kind, options.businessTimezone);
}

const isNodeError = (error: unknown): error is NodeError =>
	error instanceof Error && 'node' in error;

function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
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
