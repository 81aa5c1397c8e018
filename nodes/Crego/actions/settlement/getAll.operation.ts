import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { parseBoolean } from '../../values/boolean';
import { parseCount } from '../../values/wholeNumber';
import { parseUuid } from '../../values/uuid';
import { idFields, labelOf } from '../fields';
import { outputFields } from '../../run/outputChoice';
import { inCollection, readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/**
 * GET /v1/lms/settlements/ with optional `loan`, `demand` and `expand=record`. Crego
 * answers a page `{count, current_page, page_size, results}`; the node follows the pages
 * and puts out one item per settlement.
 */

export const output = 'settlement';
/** The one method of this operation: whether it is a write follows from it (vocabulary/request.ts isWrite). */
export const method = 'GET';

const returnAll: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const limit: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

const demandFilter: INodeProperties = {
	displayName: 'Demand ID',
	name: 'demandId',
	type: 'string',
	default: '',
	placeholder: 'e.g. de3a4d00-0000-4000-8000-000000000001',
	description: 'Only the settlements of this demand (a UUID; Crego field "demand")',
};

const loanFilter: INodeProperties = {
	displayName: 'Loan ID',
	name: 'loanId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
	description: 'Only the settlements of this loan (a UUID; Crego field "loan")',
};

/** One collection per version: version 2's Loan ID is a resource locator. */
const [loanFilterV1, loanFilterV2] = idFields(loanFilter);
const filtersOf = (loanId: INodeProperties, displayOptions: INodeProperties['displayOptions']) =>
	({
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [demandFilter, { ...loanId, displayOptions: undefined }],
		displayOptions,
	}) satisfies INodeProperties;
const filters = [
	filtersOf(loanFilterV1, loanFilterV1.displayOptions),
	filtersOf(loanFilterV2, loanFilterV2.displayOptions),
];

const includeRecord: INodeProperties = {
	displayName: 'Include Record',
	name: 'includeRecord',
	type: 'boolean',
	default: false,
	description:
		'Whether to include the settled record as an object instead of its ID (sends expand=record)',
};

export const properties = updateDisplayOptions(
	{ show: { resource: ['settlement'], operation: ['getAll'] } },
	[returnAll, limit, ...filters, ...outputFields(output), optionsField(method, [includeRecord])],
);

/** Empty means "not set". */
const optionalUuid = (value: unknown) =>
	value === undefined || value === '' ? undefined : parseUuid(value);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const query: IDataObject = {};
	const loan = readField(this, itemIndex, inCollection('filters', loanFilter), optionalUuid);
	const demand = readField(this, itemIndex, inCollection('filters', demandFilter), optionalUuid);
	if (loan) query.loan = loan;
	if (demand) query.demand = demand;
	if (readField(this, itemIndex, inCollection('options', includeRecord), parseBoolean))
		query.expand = 'record';
	const all = readField(this, itemIndex, returnAll, parseBoolean);
	return {
		method,
		path: '/v1/lms/settlements/',
		query,
		summary: loan ? `settlements of loan ${loan}` : 'settlements',
		sent: { ...query },
		labels: {
			loan: labelOf(loanFilter, 'loan'),
			demand: labelOf(demandFilter, 'demand'),
			expand: labelOf(includeRecord),
		},
		pages: {
			returnAll: all,
			limit: all ? Infinity : readField(this, itemIndex, limit, parseCount),
		},
	};
}
