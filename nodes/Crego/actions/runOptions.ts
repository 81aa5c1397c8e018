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
		'Whether to refuse an item that repeats an earlier item of this execution (for example the same loan, type and amount), so a row pasted twice or a batch sent again does not move money twice',
};

const validateOnly: INodeProperties = {
	displayName: 'Validate Only',
	name: 'validateOnly',
	type: 'boolean',
	default: false,
	description: 'Whether to only check every item and output the request that would be sent, sending nothing',
};

/** Reads in flight at once by default: measured in BENCHMARKS.md. */
export const DEFAULT_READ_CONCURRENCY = 10;
const MAX_CONCURRENCY = 50;

const readConcurrency: INodeProperties = {
	displayName: 'Concurrent Requests',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	default: DEFAULT_READ_CONCURRENCY,
	description: 'How many requests may be in flight at once. Output order and pairing stay as the input.',
};

const writeConcurrency: INodeProperties = {
	...readConcurrency,
	default: 1,
	description:
		'How many writes may be in flight at once. 1 sends them one at a time, in row order. More is faster; each write is still sent at most once and checked for duplicates first, but rows are no longer sent strictly in order.',
};

export function optionsField(kind: 'read' | 'write', extra: INodeProperties[] = []): INodeProperties {
	const options = [
		...extra,
		businessTimezone,
		requestTimeout,
		kind === 'write' ? writeConcurrency : readConcurrency,
		...(kind === 'write' ? [duplicateGuard, validateOnly] : []),
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
	const whole = (range: { min: number; max: number }) => (value: unknown) => parseWholeNumber(value, range);
	return {
		concurrency: readField(context, 0, concurrencyOption, (value) =>
			value === null ? undefined : parseWholeNumber(value, { min: 1, max: MAX_CONCURRENCY }),
		),
		timeoutSeconds: readField(context, 0, inOptions(requestTimeout), whole({ min: 1, max: MAX_TIMEOUT_SECONDS })),
		duplicateGuard: readField(context, 0, inOptions(duplicateGuard), parseBoolean),
		validateOnly: readField(context, 0, inOptions(validateOnly), parseBoolean),
		simple: readField(context, 0, { name: 'simple', displayName: 'Simplify', default: true }, parseBoolean),
		businessTimezone: readField(context, 0, businessTimezoneOption, parseTimezone),
	};
}
