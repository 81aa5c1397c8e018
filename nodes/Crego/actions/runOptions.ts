import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport/cregoApi';
import { DEFAULT_BUSINESS_TIMEZONE, parseTimezone } from '../values/timezone';
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

const requestTimeout: INodeProperties = {
	displayName: 'Request Timeout (Seconds)',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: DEFAULT_TIMEOUT_SECONDS,
	description:
		'How long to wait for each answer from Crego. A write that gets no answer in time has an unknown outcome and is not sent again.',
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

/** The options as set on the node (taken from the first item: they apply to the whole run). */
export function readRunOptions(context: IExecuteFunctions): RunOptions {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const timeout = Number(options.requestTimeout ?? DEFAULT_TIMEOUT_SECONDS);
	const concurrency = Number(options.concurrency);
	return {
		concurrency: Number.isInteger(concurrency) && concurrency >= 1 ? Math.min(concurrency, MAX_CONCURRENCY) : undefined,
		timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 600) : DEFAULT_TIMEOUT_SECONDS,
		duplicateGuard: options.duplicateGuard !== false,
		validateOnly: options.validateOnly === true,
		simple: context.getNodeParameter('simple', 0, true) !== false,
		businessTimezone: readField(context, 0, businessTimezoneOption, parseTimezone),
	};
}
