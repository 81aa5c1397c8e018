import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport/cregoApi';
import { parseBoolean } from '../values/boolean';
import { DEFAULT_BUSINESS_TIMEZONE, parseTimezone } from '../values/timezone';
import { parseWholeNumber } from '../values/wholeNumber';
import { operationKind, type OperationMethod } from '../vocabulary/operation';
import { approvedBatch, duplicateGuard, reference, sendAgain } from '../writeSafety/writeOptions';
import { inCollection, readField } from '../vocabulary/readField';
import type { ObjectKind } from '../model/cregoObjects';
import { readOutputChoice, type OutputChoice } from './outputChoice';

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
		'How long each request may take, from sending it to the last byte of the answer. A write with no answer in time has an unknown outcome and is not sent again (one whose success status came is done). A wait Crego asks for (Retry-After on a 429 or 503) is honoured up to 60 s; a longer one is not waited for: the row fails at once (a write is not sent).',
};

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

/** Ceilings of the adaptive pace (run/pace.ts); BENCHMARKS.md says why these. */
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
 * The Options of an operation, by its method. A method chosen per item (API Request):
 * the options only a write uses are hidden for GET.
 */
export function optionsField(
	method: OperationMethod,
	extra: INodeProperties[] = [],
): INodeProperties {
	const kind = operationKind(method);
	const writeOnly = [approvedBatch, duplicateGuard, reference, sendAgain];
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
	/** Requests in flight at once; undefined: the default ceiling (DEFAULT_READ_CONCURRENCY, DEFAULT_WRITE_CONCURRENCY). */
	concurrency?: number;
	duplicateGuard: boolean;
	validateOnly: boolean;
	/** How much of each answer an item shows (Simplify, or version 2's Output). */
	output: OutputChoice;
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
export function readRunOptions(context: IExecuteFunctions, kind: ObjectKind): RunOptions {
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
		output: readOutputChoice(context, kind),
		businessTimezone: readField(context, 0, businessTimezoneOption, parseTimezone),
	};
}
