import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { rowField } from '../vocabulary/rowNames';
import { previewRepeats } from '../writeSafety/writeSafety';
import { errorItem } from './errorItem';
import { sentOf, type RunPlan } from './plan';

/** Validate Only: the request each item would send (repeats within the sheet shown as errors), nothing sent, nothing recorded. */
export function preview(
	context: IExecuteFunctions,
	{ rows, options, writes }: RunPlan,
	continueOnFail: boolean,
): INodeExecutionData[] {
	const repeatOf = writes && options.duplicateGuard ? previewRepeats(context) : undefined;
	return rows.map((row, itemIndex) => {
		if (row instanceof Error) return errorItem(context, row, itemIndex, 'notSent');
		const repeat = repeatOf && row.write ? repeatOf(row.write, itemIndex) : undefined;
		if (repeat) {
			if (!continueOnFail) throw repeat;
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
}
