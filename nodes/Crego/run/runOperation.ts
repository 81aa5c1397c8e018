import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { openConnection, type Connection } from '../transport/cregoApi';
import type { CregoOperation } from '../vocabulary/operation';
import { openWriteSafety, type WriteSafety } from '../writeSafety/writeSafety';
import { errorItem } from './errorItem';
import { asNodeError, isNodeError } from './nodeErrors';
import { createPace, type Pace } from './pace';
import { planRun, type RunPlan } from './plan';
import { preview } from './preview';
import { DEFAULT_READ_CONCURRENCY, DEFAULT_WRITE_CONCURRENCY } from './runOptions';
import { sendAll } from './sendAll';

/**
 * Runs the chosen operation over all items, in two passes. First every item's fields
 * are read and checked, sending nothing (plan.ts): with the node set to stop on error, a
 * bad row 300 stops the run before row 1 moves money. Then the requests go out
 * (sendAll.ts), writes under the rules of writeSafety/. Each input item gives one output
 * item per result, paired to it; with "Continue On Fail" a failed item becomes an error
 * item carrying its outcome, and the others go on. A refusal of the whole run (an
 * invalid option, Retry On Fail on a write, an unusable credential) is never thrown under
 * "Continue": n8n would pass the input rows on as successes; every item becomes an error
 * item instead.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operations: Record<string, Record<string, CregoOperation>>,
): Promise<INodeExecutionData[][]> {
	const count = context.getInputData().length;
	const continueOnFail = context.continueOnFail();
	let plan: RunPlan;
	let pace: Pace;
	let safety: WriteSafety | undefined;
	let connection: Connection;
	try {
		plan = planRun(context, operations, count, continueOnFail);
		if (plan.options.validateOnly) return [preview(context, plan, continueOnFail)];
		pace = createPace(
			plan.options.concurrency ??
				(plan.writes ? DEFAULT_WRITE_CONCURRENCY : DEFAULT_READ_CONCURRENCY),
		);
		connection = await openConnection(context, plan.options.timeoutSeconds, pace);
		if (plan.writes) {
			const rows = plan.rows.map((row) => (row instanceof Error ? row : row.write));
			safety = await openWriteSafety(context, rows, {
				...plan.options,
				continueOnFail,
				approvedDigest: plan.approved?.digest,
			});
		}
	} catch (error) {
		if (!continueOnFail) throw isNodeError(error) ? error : asNodeError(context, error, 0);
		return [
			Array.from({ length: count }, (_, itemIndex) =>
				errorItem(context, asNodeError(context, error, itemIndex), itemIndex, 'notSent'),
			),
		];
	}
	let completed = false;
	let output: INodeExecutionData[];
	try {
		output = await sendAll(context, connection, pace, plan, safety, continueOnFail);
		completed = true;
	} finally {
		// The ledger's end of run; should it fail, rows not settled stay held (refused later as unknown), and the outputs stand.
		const { claimReplaced } = (await safety?.finish({ completed }).catch(() => undefined)) ?? {
			claimReplaced: false,
		};
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
