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

/** POST /v1/lms/loans/{id}/refunds/ {amount, type}: Crego answers 201 with a payout awaiting approval. */

const amount = amountField('Amount to refund to the borrower.');

const refundType: INodeProperties = {
	displayName: 'Refund Type',
	name: 'refundType',
	type: 'options',
	required: true,
	default: 'cashback_refund',
	options: [
		{
			name: 'Cashback Refund',
			value: 'cashback_refund',
			description: 'Refund from the cashback balance',
		},
		{
			name: 'Holdback Refund',
			value: 'holdback_refund',
			description: 'Refund from the holdback balance',
		},
	],
	description: 'Which balance the refund is paid from (Crego field "type")',
};

const REFUND_TYPES = valuesOf(refundType);

export const output = 'payout';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'POST';

export const properties = updateDisplayOptions(
	{ show: { resource: ['loan'], operation: ['initiateRefund'] } },
	[...idFields(loanIdField), amount, refundType, ...outputFields(output), optionsField(method)],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const loanId = readField(this, itemIndex, loanIdField, parseUuid);
	const body = {
		amount: readField(this, itemIndex, amount, parseAmount),
		type: readField(this, itemIndex, refundType, (value) => parseChoice(value, REFUND_TYPES)),
	};
	return {
		method,
		path: `/v1/lms/loans/${encodeURIComponent(loanId)}/refunds/`,
		body,
		summary: `${body.type} of ${body.amount} for loan ${loanId}`,
		sent: { loan_id: loanId, ...body },
		labels: { amount: labelOf(amount), type: labelOf(refundType) },
		subject: { noun: 'loan', field: loanIdField.displayName, id: loanId },
		lanes: [`loan|${idKey(loanId)}`],
		duplicateKeys: [
			{
				key: `refund|${idKey(loanId)}|${body.type}|${amountKey(body.amount)}`,
				what: 'same loan, refund type and amount',
			},
		],
	};
}
