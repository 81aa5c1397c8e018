import type { INodeProperties } from 'n8n-workflow';

import { inCollection } from '../vocabulary/readField';

/** The Options only writes have: the switches of write safety, shown in every write's Options (run/runOptions.ts). */

export const duplicateGuard: INodeProperties = {
	displayName: 'Refuse Duplicates',
	name: 'duplicateGuard',
	type: 'boolean',
	default: true,
	description:
		'Whether to refuse a row this node already sent: in this execution, or in an earlier one on the same business day (for example the same loan, type and amount) or with the same Reference. A sheet run twice does not move money twice.',
};

export const reference: INodeProperties = {
	displayName: 'Reference',
	name: 'reference',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.reference }}',
	description:
		'Your reference for this row, such as an invoice or ticket number from a sheet column. A row with a reference is known by it alone: a reference this node has sent once is never sent again, on any day, in any execution, while two equal rows with different references are both sent. Case and spaces are ignored.',
};

export const sendAgain: INodeProperties = {
	displayName: 'Send Again',
	name: 'sendAgain',
	type: 'boolean',
	default: false,
	description:
		'Whether to send this row even though this node sent it before (same business day or same Reference) or its outcome was unknown. Set it only for a row you checked in Crego did not go through, for example mapped from a send_again column of the sheet.',
};

export const approvedBatch: INodeProperties = {
	displayName: 'Approved Batch',
	name: 'approvedBatch',
	type: 'string',
	default: '',
	placeholder: "e.g. {{ $('Validate refunds').last().json.batch }}",
	description:
		"The batch a checker approved, as the validating node's Validate Only put it out (its batch, or batch.digest). Nothing is sent unless this run's rows make exactly that batch — the error names each row that changed — and a batch is sent once: approving it again sends nothing more. Needs Refuse Duplicates.",
};

/** The per-row options of a write: read for each item, not once for the run. */
export const referenceOption = inCollection('options', reference);
export const sendAgainOption = inCollection('options', sendAgain);
