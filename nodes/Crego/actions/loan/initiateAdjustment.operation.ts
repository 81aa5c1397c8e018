import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseAmount } from '../../values/amount';
import { parseChoice, valuesOf } from '../../values/choice';
import { parseUuid } from '../../values/uuid';
import { amountField, idFields, labelOf, loanIdField } from '../fields';
import { outputFields } from '../../run/outputChoice';
import { amountKey, idKey } from '../../writeSafety/duplicateKeys';
import { readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/** POST /v1/lms/loans/{id}/adjustments/ {amount, type}: Crego answers 201 with a processed record. */

const amount = amountField('Amount to adjust.');

const adjustmentType: INodeProperties = {
	displayName: 'Adjustment Type',
	name: 'adjustmentType',
	type: 'options',
	required: true,
	default: 'cashback',
	options: [
		{ name: 'Cashback', value: 'cashback', description: 'Adjust against the loan as cashback' },
		{ name: 'Holdback', value: 'holdback', description: 'Adjust against the loan as holdback' },
	],
	description: 'Kind of adjustment (Crego field "type")',
};

const ADJUSTMENT_TYPES = valuesOf(adjustmentType);

export const output = 'record';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'POST';

export const properties = updateDisplayOptions(
	{ show: { resource: ['loan'], operation: ['initiateAdjustment'] } },
	[...idFields(loanIdField), amount, adjustmentType, ...outputFields(output), optionsField(method)],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const loanId = readField(this, itemIndex, loanIdField, parseUuid);
	const body = {
		amount: readField(this, itemIndex, amount, parseAmount),
		type: readField(this, itemIndex, adjustmentType, (value) =>
			parseChoice(value, ADJUSTMENT_TYPES),
		),
	};
	return {
		method,
		path: `/v1/lms/loans/${encodeURIComponent(loanId)}/adjustments/`,
		body,
		summary: `${body.type} adjustment of ${body.amount} for loan ${loanId}`,
		sent: { loan_id: loanId, ...body },
		labels: { amount: labelOf(amount), type: labelOf(adjustmentType) },
		subject: { noun: 'loan', field: loanIdField.displayName, id: loanId },
		lanes: [`loan|${idKey(loanId)}`],
		duplicateKeys: [
			{
				key: `adjustment|${idKey(loanId)}|${body.type}|${amountKey(body.amount)}`,
				what: 'same loan, adjustment type and amount',
			},
		],
	};
}
