import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parseAmount } from '../../values/amount';
import { parseRate } from '../../values/decimal';
import { parseCount } from '../../values/wholeNumber';
import { parseSheetText } from '../../values/sheetText';
import { parseUuid } from '../../values/uuid';
import { labelOf } from '../fields';
import { simplifyField } from '../../run/outputChoice';
import { inVersion1 } from '../../vocabulary/nodeVersion';
import { canonicalJson, idKey } from '../../writeSafety/duplicateKeys';
import { inCollection, readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/**
 * PATCH /v1/lms/accounts/initiate_loan_params/ with lead_id, program_id,
 * line_detail.approved_line_amount and loan_data.{emi_count, flat_roi_value, pf_value,
 * pf_value_type}: the docs type every value as a string, so the node checks numbers as
 * numbers and sends them as strings. Crego answers 200 `{}`. The docs mark this
 * endpoint "Developing".
 */

export const output = 'empty';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'PATCH';

const leadId: INodeProperties = {
	displayName: 'Lead ID',
	name: 'leadId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 2b4d6f80-1a3c-4e5f-9a7b-c9d1e3f5a7b9',
	description: 'ID of the lead whose loan parameters are set (a UUID; Crego field "lead_id")',
};

const programId: INodeProperties = {
	displayName: 'Program ID',
	name: 'programId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 7c9e1a3b-5d7f-4a9c-8e1b-3d5f7a9c1e3b',
	description: 'ID of the lending program (a UUID; Crego field "program_id")',
};

const approvedLineAmount: INodeProperties = {
	displayName: 'Approved Line Amount',
	name: 'approvedLineAmount',
	// Text, like Amount: a number box would start at 0, which is refused.
	type: 'string',
	default: '',
	placeholder: 'e.g. 500000',
	description: 'Approved credit line in rupees (sent as line_detail.approved_line_amount)',
};
const emiCount: INodeProperties = {
	displayName: 'EMI Count',
	name: 'emiCount',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 12,
	description: 'Number of EMIs (sent as loan_data.emi_count)',
};
const flatRoiValue: INodeProperties = {
	displayName: 'Flat ROI',
	name: 'flatRoiValue',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	placeholder: 'e.g. 1.5',
	description: 'Flat rate of interest (sent as loan_data.flat_roi_value)',
};
const pfValue: INodeProperties = {
	displayName: 'Processing Fee',
	name: 'pfValue',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	placeholder: 'e.g. 2',
	description: 'Processing fee, read with its type (sent as loan_data.pf_value)',
};
const pfValueType: INodeProperties = {
	displayName: 'Processing Fee Type',
	name: 'pfValueType',
	type: 'string',
	default: 'percentage',
	placeholder: 'e.g. percentage',
	description:
		'How the processing fee is expressed; the docs show "percentage" (sent as loan_data.pf_value_type)',
};

const updateFields: INodeProperties = {
	displayName: 'Update Fields',
	name: 'updateFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [approvedLineAmount, emiCount, flatRoiValue, pfValue, pfValueType],
};

export const properties = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['updateLoanParams'] } },
	[
		leadId,
		programId,
		updateFields,
		// Crego answers {}: version 2 has nothing to simplify.
		{ ...simplifyField, displayOptions: inVersion1 },
		optionsField(method),
	],
);

/** The fields the user added, each read, checked, and turned into the string the docs specify. */
const FIELDS: Array<{
	field: INodeProperties;
	group: 'line_detail' | 'loan_data';
	key: string;
	parse: (value: unknown) => string | undefined;
}> = [
	{
		field: approvedLineAmount,
		group: 'line_detail',
		key: 'approved_line_amount',
		parse: (v) => String(parseAmount(v)),
	},
	{ field: emiCount, group: 'loan_data', key: 'emi_count', parse: (v) => String(parseCount(v)) },
	{
		field: flatRoiValue,
		group: 'loan_data',
		key: 'flat_roi_value',
		parse: (v) => String(parseRate(v)),
	},
	{ field: pfValue, group: 'loan_data', key: 'pf_value', parse: (v) => String(parseRate(v)) },
	{
		field: pfValueType,
		group: 'loan_data',
		key: 'pf_value_type',
		parse: (v) => parseSheetText(v, { required: true }),
	},
];

/** Crego's field paths in the node's words, for its errors. */
const LABELS = {
	lead_id: labelOf(leadId, 'lead'),
	program_id: labelOf(programId, 'program'),
	...Object.fromEntries(FIELDS.map(({ field, group, key }) => [`${group}.${key}`, labelOf(field)])),
};

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const lead = readField(this, itemIndex, leadId, parseUuid);
	const program = readField(this, itemIndex, programId, parseUuid);
	const added = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { lead_id: lead, program_id: program };
	for (const { field, group, key, parse } of FIELDS) {
		if (!(field.name in added)) continue;
		const value = readField(this, itemIndex, inCollection('updateFields', field), parse);
		body[group] = { ...((body[group] as IDataObject) ?? {}), [key]: value };
	}
	return {
		method,
		path: '/v1/lms/accounts/initiate_loan_params/',
		body,
		summary: `loan parameters of lead ${lead} in program ${program}`,
		sent: { lead_id: lead, program_id: program },
		labels: LABELS,
		lanes: [`loanParams|${idKey(lead)}|${idKey(program)}`],
		duplicateKeys: [
			// Two rows setting one lead's parameters in one sheet contradict each other...
			{
				key: `loanParams|${idKey(lead)}|${idKey(program)}`,
				what: 'same lead and program',
				lasts: 'execution',
			},
			// ...while a later run may correct them: across executions only the same values again are a repeat.
			{
				key: `loanParams|${idKey(lead)}|${idKey(program)}|${canonicalJson(body)}`,
				what: 'same lead, program and values',
			},
		],
	};
}
