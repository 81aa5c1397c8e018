import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { Connection } from '../transport/cregoApi';
import type { ItemResult, NodeError } from '../vocabulary/itemResult';
import { forRow, rowList } from '../vocabulary/rowNames';
import type { WriteSafety } from '../writeSafety/writeSafety';
import type { Pace } from './pace';
import type { RunPlan } from './plan';
import { runSummary } from './runSummary';
import { sendInOrder } from './sendInOrder';
import { failed, sendItemSafely } from './sendItem';
import { shaper } from './shaper';
import { withEveryOutcome } from './stopReport';

/** Pass 2: the requests, in order and bounded (sendInOrder.ts), each item ending with a known outcome. */
export async function sendAll(
	context: IExecuteFunctions,
	connection: Connection,
	pace: Pace,
	plan: RunPlan,
	safety: WriteSafety | undefined,
	continueOnFail: boolean,
): Promise<INodeExecutionData[]> {
	const { rows, options, operation, writes } = plan;
	const shape = shaper(operation.output, options);
	connection.cancelled?.addEventListener('abort', () => pace.stop(), { once: true });

	const schedule = {
		concurrency: () => pace.limit,
		pausedForMs: () => pace.pausedForMs(),
		stop: connection.cancelled,
		lanesOf: (itemIndex: number) => {
			const row = rows[itemIndex];
			return row instanceof Error ? [] : (row.request.lanes ?? []);
		},
	};
	const sent = await sendInOrder(rows.length, schedule, !continueOnFail, async (itemIndex) => {
		const result = await sendItemSafely(context, connection, rows[itemIndex], itemIndex, {
			safety,
			shape,
		});
		// An unknown outcome: down to one request at a time, at once (Crego is not answering reliably).
		if (result.outcome === 'unknown') pace.dropToOne();
		return result;
	});
	// Stopped by n8n: the rows that never started never left (their claims are released at the run's end).
	if (connection.cancelled?.aborted) {
		sent.results.forEach((result, itemIndex) => {
			if (!result)
				sent.results[itemIndex] = failed(
					context,
					stoppedBeforeStart(context, itemIndex, writes),
					itemIndex,
					writes ? 'notSent' : 'failed',
				);
		});
		if (!continueOnFail)
			throw writes
				? withEveryOutcome(context, stoppedRun(context, sent.results), sent)
				: stoppedRun(context, sent.results);
	}
	if (sent.stoppedBy) {
		throw writes ? withEveryOutcome(context, sent.stoppedBy.error, sent) : sent.stoppedBy.error;
	}
	// Set to stop on error, a run that holds an unknown row (a Retry of an attempt that left one) must fail, never read "Succeeded".
	const unknownRows = sent.results.flatMap((result, itemIndex) =>
		result?.outcome === 'unknown' ? [itemIndex] : [],
	);
	if (!continueOnFail && unknownRows.length)
		throw withEveryOutcome(context, unknownLeft(context, unknownRows), sent);
	try {
		const summary = runSummary(context, sent.results, writes, pace);
		if (summary) context.addExecutionHints(summary);
	} catch {
		// The summary only repeats what the items say: without it, every row still tells its outcome.
	}
	return sent.results.flatMap((result) => result?.items ?? []);
}

/** The error of a run stopped by n8n's Stop, set to stop on errors: every row's outcome goes with it (withEveryOutcome). */
function stoppedRun(context: IExecuteFunctions, results: Array<ItemResult | undefined>): NodeError {
	const left = results.flatMap((result, itemIndex) =>
		result?.outcome === 'done' ? [] : [itemIndex],
	);
	return new NodeOperationError(context.getNode(), 'The execution was stopped', {
		itemIndex: left[0] ?? 0,
		description: left.length ? undefined : 'Every row was done before the stop.',
	});
}

function stoppedBeforeStart(
	context: IExecuteFunctions,
	itemIndex: number,
	writes: boolean,
): NodeError {
	return new NodeOperationError(
		context.getNode(),
		forRow(context, itemIndex, 'Not sent: the execution was stopped before this row was sent'),
		{
			itemIndex,
			description: writes
				? 'Nothing was sent for this row: it is safe to send it again.'
				: undefined,
		},
	);
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
