import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseBusinessDate } from '../../values/businessDate';
import { parseSheetText } from '../../values/sheetText';
import { parseTimezone } from '../../values/timezone';
import { parseUuid } from '../../values/uuid';
import { idKey, utrKey } from '../../writeSafety/duplicateKeys';
import { readField } from '../../vocabulary/readField';
import { businessTimezoneOption, optionsField } from '../../run/runOptions';
import { idFields, labelOf } from '../fields';
import { outputFields } from '../../run/outputChoice';
import type { PreparedRequest } from '../../vocabulary/request';

/**
 * PUT /v1/lms/payouts/{id}/mark_processed/ {utr, processed_at, debit_bank_id[, debit_bank_account_no]}:
 * records that the lender paid the payout. Crego answers 200 with the updated payout.
 */

const payoutId: INodeProperties = {
	displayName: 'Payout ID',
	name: 'payoutId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. bb572e48-1d50-4a53-b5ae-37b23855f84f',
	description: 'ID of the payout that was paid (a UUID)',
};

const utr: INodeProperties = {
	displayName: 'UTR',
	name: 'utr',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 123123123123123',
	description:
		'Unique Transaction Reference of the bank transfer. Keep the column as text in the spreadsheet: long numbers lose digits.',
};

const processedAt: INodeProperties = {
	displayName: 'Processed At',
	name: 'processedAt',
	type: 'dateTime',
	required: true,
	default: '',
	placeholder: 'e.g. 2023-08-28',
	description:
		'When the payout was paid (value date). Accepts 2023-08-28, 2023-08-28T14:30:00+05:30, 28/08/2023, 28-08-2023 or Unix seconds; without an offset it is read in the business timezone. Sent to Crego as Unix seconds.',
};

const debitBankId: INodeProperties = {
	displayName: 'Debit Bank ID',
	name: 'debitBankId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. f808a4b5-d281-4988-8261-8c7ac0a8abbc',
	description: "ID in Crego of the lender's bank account the payout was paid from (a UUID)",
};

const debitBankAccountNo: INodeProperties = {
	displayName: 'Debit Bank Account No',
	name: 'debitBankAccountNo',
	type: 'string',
	default: '',
	placeholder: 'e.g. 000405060708',
	description: 'Account number the payout was paid from. Optional: sent only when filled.',
};

export const output = 'payout';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'PUT';

export const properties = updateDisplayOptions(
	{ show: { resource: ['payout'], operation: ['process'] } },
	[
		...idFields(payoutId),
		utr,
		processedAt,
		debitBankId,
		debitBankAccountNo,
		...outputFields(output),
		optionsField(method),
	],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readField(this, itemIndex, payoutId, parseUuid);
	const zone = readField(this, itemIndex, businessTimezoneOption, parseTimezone);
	const body: PreparedRequest['body'] = {
		utr: readField(this, itemIndex, utr, (value) => parseSheetText(value, { required: true })),
		processed_at: readField(this, itemIndex, processedAt, (value) =>
			parseBusinessDate(value, zone),
		),
		debit_bank_id: readField(this, itemIndex, debitBankId, parseUuid),
	};
	const accountNo = readField(this, itemIndex, debitBankAccountNo, (value) =>
		parseSheetText(value, { required: false }),
	);
	if (accountNo !== undefined) body.debit_bank_account_no = accountNo;
	return {
		method,
		path: `/v1/lms/payouts/${encodeURIComponent(id)}/mark_processed/`,
		body,
		summary: `processing of payout ${id} (UTR ${body.utr})`,
		sent: { payout_id: id, ...body },
		labels: {
			utr: labelOf(utr),
			processed_at: labelOf(processedAt),
			debit_bank_id: labelOf(debitBankId, 'debit bank account'),
			debit_bank_account_no: labelOf(debitBankAccountNo),
		},
		subject: { noun: 'payout', field: payoutId.displayName, id },
		lanes: [`payout|${idKey(id)}`, `utr|${utrKey(String(body.utr))}`],
		duplicateKeys: [
			{ key: `payout|${idKey(id)}`, what: 'same payout', identity: true },
			{
				key: `utr|${utrKey(String(body.utr))}`,
				what: 'same UTR (ignoring case and spaces)',
				identity: true,
			},
		],
	};
}
