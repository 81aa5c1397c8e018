import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { parseAmount } from '../../values/amount';
import { parseUuid } from '../../values/uuid';
import { amountField, idFields, labelOf, loanIdField } from '../fields';
import { outputFields } from '../../run/outputChoice';
import { amountKey, idKey } from '../../writeSafety/duplicateKeys';
import { readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/** POST /v1/lms/payouts/add_tranche/ {loan_id, amount}: Crego answers 200 with a pending disbursement payout. */

const loanId = {
	...loanIdField,
	description: 'ID of the loan to disburse a tranche of (a UUID)',
	placeholder: 'e.g. f59b69c8-9e47-46a1-b2c9-83ae42666a30',
};
const amount = amountField('Amount of the tranche to disburse.');

export const output = 'payout';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'POST';

export const properties = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['requestTranche'] } },
	[...idFields(loanId), amount, ...outputFields(output), optionsField(method)],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const body = {
		loan_id: readField(this, itemIndex, loanId, parseUuid),
		amount: readField(this, itemIndex, amount, parseAmount),
	};
	return {
		method,
		path: '/v1/lms/payouts/add_tranche/',
		body,
		summary: `tranche of ${body.amount} for loan ${body.loan_id}`,
		sent: { ...body },
		labels: { loan_id: labelOf(loanId, 'loan'), amount: labelOf(amount) },
		lanes: [`loan|${idKey(body.loan_id)}`],
		duplicateKeys: [
			{
				key: `tranche|${idKey(body.loan_id)}|${amountKey(body.amount)}`,
				what: 'same loan and amount',
			},
		],
	};
}
