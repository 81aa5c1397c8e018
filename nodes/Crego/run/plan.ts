import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { NodeError } from '../vocabulary/itemResult';
import type { CregoOperation } from '../vocabulary/operation';
import { readField } from '../vocabulary/readField';
import { isWrite, type PreparedRequest } from '../vocabulary/request';
import { parseRowNumber, setRowNumber } from '../vocabulary/rowNames';
import {
	ApprovalRefused,
	approvalError,
	checkApprovedBatch,
	parseApprovedBatch,
	readWriteRow,
	type ApprovedBatch,
	type BatchRow,
	type WriteRow,
} from '../writeSafety/writeSafety';
import { asNodeError } from './nodeErrors';
import { readRunOptions, rowNumberOption, type RunOptions } from './runOptions';

/** One item, ready to send: the request its operation built and, for a write, the row write safety knows. */
export interface PlannedRow {
	request: PreparedRequest;
	write?: WriteRow;
}

export interface RunPlan {
	/** Per item: its planned row, or the error that says why it cannot be sent. */
	rows: Array<PlannedRow | NodeError>;
	options: RunOptions;
	operation: CregoOperation;
	/** "loan/initiateRefund", and as a person reads it, "Loan → Initiate Refund". */
	name: string;
	title: string;
	writes: boolean;
	/** The batch a checker approved (Options → Approved Batch): the rows made exactly it. */
	approved?: ApprovedBatch;
}

/** The rows of a run of writes as write safety knows them; undefined when some row is a read (API Request's GET). */
export function batchRowsOf(rows: RunPlan['rows']): BatchRow[] | undefined {
	const batch = rows.map((row) => (row instanceof Error ? row : row.write));
	return batch.every((row) => row !== undefined) ? batch : undefined;
}

/** What the row's items carry as "sent": the write's values with its Reference, or the read's. */
export const sentOf = (row: PlannedRow) => row.write?.sent ?? row.request.sent;

/** The whole run, checked before anything is sent: the operation, the options, every item's request. */
export function planRun(
	context: IExecuteFunctions,
	operations: Record<string, Record<string, CregoOperation>>,
	count: number,
	continueOnFail: boolean,
): RunPlan {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationName = context.getNodeParameter('operation', 0) as string;
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);
	}
	const options = readRunOptions(context, operation.output);
	const rows = prepareAll(context, operation, count, continueOnFail);
	const writes = rows.some((row) => !(row instanceof Error) && row.write !== undefined);
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
	const name = `${resource}/${operationName}`;
	const approved = writes ? readApprovedBatch(context, name, rows) : undefined;
	return {
		rows,
		options,
		operation,
		name,
		title: titleOf(resource, operationName),
		writes,
		approved,
	};
}

const NOT_ADDED = '\u0000not added';

/**
 * Options → Approved Batch, once for the run: this run's rows must make exactly the
 * approved batch, or the whole run is refused before anything is sent.
 */
function readApprovedBatch(
	context: IExecuteFunctions,
	name: string,
	rows: RunPlan['rows'],
): ApprovedBatch | undefined {
	// n8n takes an undefined fallback for none; this one tells "not added" from "added, maps nothing".
	const value = context.getNodeParameter('options.approvedBatch', 0, NOT_ADDED);
	if (value === NOT_ADDED) return undefined;
	try {
		const approved = parseApprovedBatch(value, name);
		const batch = batchRowsOf(rows);
		if (!batch)
			throw new ApprovalRefused(
				'Nothing sent: Approved Batch takes writes only',
				'Use it on a node whose every row writes.',
			);
		checkApprovedBatch(context, name, batch, approved);
		return approved;
	} catch (error) {
		throw error instanceof ApprovalRefused ? approvalError(context, error) : error;
	}
}

/** "loan", "initiateRefund" → "Loan → Initiate Refund" (as the node's fields name them). */
function titleOf(resource: string, operation: string): string {
	const words = (name: string) =>
		name
			.replace(/([a-z])([A-Z])/g, '$1 $2')
			.replace(/^./, (first) => first.toUpperCase())
			.replace(/\bApi\b/, 'API');
	return `${words(resource)} → ${words(operation)}`;
}

/** Pass 1: every item's request (a write with its Reference and Send Again), or the error that says why it cannot be sent. */
function prepareAll(
	context: IExecuteFunctions,
	operation: CregoOperation,
	count: number,
	continueOnFail: boolean,
) {
	const rows: RunPlan['rows'] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			setRowNumber(
				context,
				itemIndex,
				readField(context, itemIndex, rowNumberOption, parseRowNumber),
			);
			const request = operation.prepareRequest.call(context, itemIndex);
			rows.push(
				isWrite(request)
					? { request, write: readWriteRow(context, itemIndex, request) }
					: { request },
			);
		} catch (error) {
			const nodeError = asNodeError(context, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			rows.push(nodeError);
		}
	}
	return rows;
}
