import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseBoolean } from '../../values/boolean';
import { parseUuid } from '../../values/uuid';
import { idFields, labelOf } from '../fields';
import { outputFields } from '../../run/outputChoice';
import { readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/**
 * GET /v1/lms/records/{id}/?expand=payouts. The docs mark `expand` required, yet the
 * node lets the user leave it out (the record then comes without `payouts`). The
 * docs' multipart body on this GET belongs to another endpoint: a GET sends no body.
 */

const recordId: INodeProperties = {
	displayName: 'Record ID',
	name: 'recordId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 4ebd506f-8727-4d16-863d-0442e1b75858',
	description: 'ID of the record (a repayment, cashback, holdback or other money movement; a UUID)',
};

const includePayouts: INodeProperties = {
	displayName: 'Include Payouts',
	name: 'includePayouts',
	type: 'boolean',
	default: true,
	description: 'Whether to include the payouts of the record (sends expand=payouts)',
};

export const output = 'record';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'GET';

export const properties = updateDisplayOptions(
	{ show: { resource: ['record'], operation: ['get'] } },
	[...idFields(recordId), includePayouts, ...outputFields(output), optionsField(method)],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const id = readField(this, itemIndex, recordId, parseUuid);
	const expand = readField(this, itemIndex, includePayouts, parseBoolean);
	return {
		method,
		path: `/v1/lms/records/${encodeURIComponent(id)}/`,
		query: expand ? { expand: 'payouts' } : undefined,
		summary: `record ${id}`,
		sent: { record_id: id },
		labels: { expand: labelOf(includePayouts) },
		subject: { noun: 'record', field: recordId.displayName, id },
	};
}
