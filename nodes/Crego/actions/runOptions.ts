import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport/cregoApi';

/** The "Options" collection of an operation: request settings, and the safety switches of writes. */

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

export function optionsField(kind: 'read' | 'write', extra: INodeProperties[] = []): INodeProperties {
	const options = [...extra, requestTimeout, ...(kind === 'write' ? [duplicateGuard, validateOnly] : [])];
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
	duplicateGuard: boolean;
	validateOnly: boolean;
}

/** The options as set on the node (taken from the first item: they apply to the whole run). */
export function readRunOptions(context: IExecuteFunctions): RunOptions {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const timeout = Number(options.requestTimeout ?? DEFAULT_TIMEOUT_SECONDS);
	return {
		timeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 600) : DEFAULT_TIMEOUT_SECONDS,
		duplicateGuard: options.duplicateGuard !== false,
		validateOnly: options.validateOnly === true,
	};
}
