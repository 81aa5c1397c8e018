import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport/cregoApi';
import { parseBoolean } from '../values/boolean';
import { DEFAULT_BUSINESS_TIMEZONE, parseTimezone } from '../values/timezone';
import { parseWholeNumber } from '../values/wholeNumber';
import { inCollection, readField } from './readField';

/** The "Options" collection of an operation: request settings, and the safety switches of writes. */

export const businessTimezone: INodeProperties = {
	displayName: 'Business Timezone',
	name: 'businessTimezone',
	type: 'string',
	default: DEFAULT_BUSINESS_TIMEZONE,
	placeholder: 'e.g. Asia/Kolkata',
	description:
		'Timezone of business dates (IANA name): dates without an offset are read in it, and Simplify writes dates in it. Crego business dates are India Standard Time.',
};

/** The Business Timezone option, as read per item by the operations that take dates. */
export const businessTimezoneOption = inCollection('options', businessTimezone);

const MAX_TIMEOUT_SECONDS = 600;

const requestTimeout: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
	default: DEFAULT_TIMEOUT_SECONDS,
	description:
		'How long each request may take, from sending it to the last byte of the answer. A write that gets no full answer in time has an unknown outcome and is not sent again.',
};

const duplicateGuard: INodeProperties = {
	displayName: 'Refuse Duplicates',
	name: 'duplicateGuard',
	type: 'boolean',
	default: true,
	description:
		'Whether to refuse a row this node already sent: in this execution, or in an earlier one on the same business day (for example the same loan, type and amount) or with the same Reference. A sheet run twice does not move money twice.',
};

const reference: INodeProperties = {
	displayName: 'Reference',
	name: 'reference',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.reference }}',
	description:
		'Your reference for this row, such as an invoice or ticket number from a sheet column. A row with a reference is known by it alone: a reference this node has sent once is never sent again, on any day, in any execution, while two equal rows with different references are both sent. Case and spaces are ignored.',
};

const sendAgain: INodeProperties = {
	displayName: 'Send Again',
	name: 'sendAgain',
	type: 'boolean',
	default: false,
	description:
		'Whether to send this row even though this node sent it before (same business day or same Reference) or its outcome was unknown. Set it only for a row you checked in Crego did not go through, for example mapped from a send_again column of the sheet.',
};

/** The per-row options of a write: read for each item, not once for the run. */
export const referenceOption = inCollection('options', reference);
export const sendAgainOption = inCollection('options', sendAgain);

const rowNumber: INodeProperties = {
	displayName: 'Row Number',
	name: 'rowNumber',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.row }}',
	description:
		'This item\'s row in your sheet. Errors, the run summary and the output then name rows by it ("Row 4"), so they match the sheet and your emails; empty, they use n8n\'s item number, counted from 0 ("Item 2").',
};

/** Read for each item, before its other fields: every message about the item names it. */
export const rowNumberOption = inCollection('options', rowNumber);

const validateOnly: INodeProperties = {
	displayName: 'Validate Only',
	name: 'validateOnly',
	type: 'boolean',
	default: false,
	description:
		'Whether to only check every item and output the request that would be sent, sending nothing',
};

/** Reads in flight at once by default: measured in BENCHMARKS.md. */
/** Ceilings of the adaptive pace (safety/pace.ts); BENCHMARKS.md says why these. */
export const DEFAULT_READ_CONCURRENCY = 50;
export const DEFAULT_WRITE_CONCURRENCY = 20;
const MAX_CONCURRENCY = 50;

const readConcurrency: INodeProperties = {
	displayName: 'Concurrent Requests',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_READ_CONCURRENCY,
	description:
		'The most requests in flight at once. The node starts with 4 and grows while Crego answers quickly and cleanly, and slows down at once on rate limits (429), 503 or slow answers. Output order and pairing stay as the input.',
};

const writeConcurrency: INodeProperties = {
	...readConcurrency,
	default: DEFAULT_WRITE_CONCURRENCY,
	description:
		'The most writes in flight at once, paced to Crego as for reads. Rows of different loans go in parallel; rows of one loan, payout or UTR go one at a time, in row order. 1 sends every row one at a time, in row order. Each write is still sent at most once and checked for duplicates first.',
};

/** Shown for every method but GET (API Request): a GET moves no money. */
const notForGet = (field: INodeProperties): INodeProperties => ({
	...field,
	displayOptions: { hide: { '/method': ['GET'] } },
});

/**
 * The Options of an operation. 'readOrWrite' (API Request) depends on the Method: the
 * options only a write uses are hidden for GET.
 */
export function optionsField(
	kind: 'read' | 'write' | 'readOrWrite',
	extra: INodeProperties[] = [],
): INodeProperties {
	const writeOnly = [duplicateGuard, reference, sendAgain];
	const options = [
		...extra,
		businessTimezone,
		requestTimeout,
		rowNumber,
		...(kind === 'read' ? [readConcurrency] : [writeConcurrency, validateOnly]),
		...(kind === 'write' ? writeOnly : kind === 'readOrWrite' ? writeOnly.map(notForGet) : []),
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export interface RunOptions {
	timeoutSeconds: number;
	/** Requests in flight at once; undefined: the operation's default (reads 10, writes 1). */
	concurrency?: number;
	duplicateGuard: boolean;
	validateOnly: boolean;
	/** Simplify the output (the operation's "Simplify" switch). */
	simple: boolean;
	businessTimezone: string;
}

const inOptions = (field: INodeProperties) => inCollection('options', field);
/** Not set (null): the operation's default applies. */
const concurrencyOption = { ...inOptions(readConcurrency), default: null };

/**
 * The options as set on the node. They apply to the whole run, so they are read from the
 * first item, with the same parsers as every field: an option given by an expression
 * (a sheet's "true", "25") is read as the value it names, and an invalid one refuses the
 * whole run before anything is sent.
 */
export function readRunOptions(context: IExecuteFunctions): RunOptions {
	const whole = (range: { min: number; max: number }) => (value: unknown) =>
		parseWholeNumber(value, range);
	return {
		concurrency: readField(context, 0, concurrencyOption, (value) =>
			value === null ? undefined : parseWholeNumber(value, { min: 1, max: MAX_CONCURRENCY }),
		),
		timeoutSeconds: readField(
			context,
			0,
			inOptions(requestTimeout),
			whole({ min: 1, max: MAX_TIMEOUT_SECONDS }),
		),
		duplicateGuard: readField(context, 0, inOptions(duplicateGuard), parseBoolean),
		validateOnly: readField(context, 0, inOptions(validateOnly), parseBoolean),
		simple: readField(
			context,
			0,
			{ name: 'simple', displayName: 'Simplify', default: true },
			parseBoolean,
		),
		businessTimezone: readField(context, 0, businessTimezoneOption, parseTimezone),
	};
}
