import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CREGO_ID_PATTERN } from '../values/uuid';
import { fromVersion2, inVersion1 } from '../vocabulary/nodeVersion';
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

/**
 * A Crego ID as each version shows it: version 1 a text field, version 2 a resource
 * locator of one mode, By ID, with the UUID check while typing. There is no "From list":
 * Crego publishes no endpoint that lists loans, payouts or records. Same name in both, so
 * the operation reads either with readField.
 */
export function idFields(field: INodeProperties): INodeProperties[] {
	const placeholder = field.placeholder ?? 'e.g. 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69';
	// A locator's placeholder is its mode's.
	const withoutPlaceholder = { ...field };
	delete withoutPlaceholder.placeholder;
	return [
		{ ...field, displayOptions: inVersion1 },
		{
			...withoutPlaceholder,
			type: 'resourceLocator',
			default: { mode: 'id', value: '' },
			displayOptions: fromVersion2,
			modes: [
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder,
					validation: [
						{
							type: 'regex',
							properties: {
								// An optional ID (a filter) may stay empty.
								regex: field.required ? CREGO_ID_PATTERN : `(${CREGO_ID_PATTERN})?`,
								errorMessage:
									'Not a Crego ID: Crego IDs are UUIDs, e.g. 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
							},
						},
					],
				},
			],
		},
	];
}

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
