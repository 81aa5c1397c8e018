import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { FieldLabel } from '../vocabulary/request';

/** Fields that several operations share, worded once. */

export const loanIdField: INodeProperties = {
	displayName: 'Loan ID',
	name: 'loanId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
	description: 'ID of the loan in Crego (a UUID)',
};

export function amountField(description: string): INodeProperties {
	return {
		displayName: 'Amount',
		name: 'amount',
		// Text, not a number field: n8n's number box has no empty state (it starts at 0, a value
		// Crego refuses) and turns typed text into 0, so the error could not show what was typed.
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 5000 or 1,00,000.50',
		description: `${description} In rupees; decimals are kept and Crego rounds them to its configured precision. Text such as "1,00,000.50" from a spreadsheet is accepted.`,
	};
}

/** n8n's standard switch (name, wording and default as its lint requires). */
export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The Operation selector of one resource (each option with its action and description). */
export function operationField(
	resource: string,
	options: INodePropertyOptions[],
	defaultValue: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

/** How Crego's errors name a field: by its display name, and for an ID by what it points at. */
export function labelOf(field: Pick<INodeProperties, 'displayName'>, noun?: string): FieldLabel {
	return noun ? { field: field.displayName, noun } : { field: field.displayName };
}
