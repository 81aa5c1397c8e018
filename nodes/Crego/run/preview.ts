import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { NodeError } from '../vocabulary/itemResult';
import { nodeVersionOf } from '../vocabulary/nodeVersion';
import { rowField } from '../vocabulary/rowNames';
import { describeBatch, previewRepeats } from '../writeSafety/writeSafety';
import { errorItem } from './errorItem';
import { batchRowsOf, sentOf, type RunPlan } from './plan';

/**
 * Validate Only: the request each item would send (repeats within the sheet shown as
 * errors), nothing sent, nothing recorded. On version 2, a run of writes ends with one
 * more item, paired with every row: the batch a checker approves (writeSafety/approval.ts).
 */
export function preview(
	context: IExecuteFunctions,
	plan: RunPlan,
	continueOnFail: boolean,
): INodeExecutionData[] {
	const { rows, options, writes } = plan;
	const repeatOf = writes && options.duplicateGuard ? previewRepeats(context) : undefined;
	const repeats = new Map<number, NodeError>();
	const items = rows.map((row, itemIndex) => {
		if (row instanceof Error) return errorItem(context, row, itemIndex, 'notSent');
		const repeat = repeatOf && row.write ? repeatOf(row.write, itemIndex) : undefined;
		if (repeat) {
			if (!continueOnFail) throw repeat;
			repeats.set(itemIndex, repeat);
			return errorItem(context, repeat, itemIndex, 'notSent', sentOf(row));
		}
		const { method, path, query, body } = row.request;
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
	const batchRows = writes && nodeVersionOf(context) >= 2 ? batchRowsOf(rows) : undefined;
	if (!batchRows) return items;
	const batch = describeBatch(context, plan, batchRows, repeats);
	return [
		...items,
		{ json: { validateOnly: true, batch }, pairedItem: rows.map((_, item) => ({ item })) },
	];
}
