import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { apiRequestKey } from '../../writeSafety/duplicateKeys';
import { parseBoolean } from '../../values/boolean';
import { HTTP_METHODS, parseHttpMethod } from '../../values/httpMethod';
import { InvalidValue } from '../../values/invalidValue';
import { MAX_JSON_DEPTH, readJson } from '../../values/jsonText';
import { parseLmsPath } from '../../values/lmsPath';
import { simplifyField } from '../../run/outputChoice';
import { inCollection, readField } from '../../vocabulary/readField';
import { optionsField } from '../../run/runOptions';
import type { PreparedRequest } from '../../vocabulary/request';

/**
 * Any other LMS endpoint, with the node's credential, errors and safety: the docs list
 * about seventy endpoints but publish the paths of few. The path stays under /v1/lms/ on
 * the credential's host. Writes obey the same rules as the modelled writes; run by an AI
 * agent, only GET is allowed unless the user allows writes.
 */

export const output = 'any';
/** Chosen per item by the Method field: a GET is a read, every other method obeys the write rules. */
export const method = 'chosen';

const methodField: INodeProperties = {
	displayName: 'Method',
	name: 'method',
	type: 'options',
	default: 'GET',
	options: HTTP_METHODS.map((verb) => ({ name: verb, value: verb })),
	description: "HTTP method of the endpoint, as Crego's docs list it",
};

const path: INodeProperties = {
	displayName: 'Path',
	name: 'path',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. /v1/lms/settlements/',
	description: 'Path of the endpoint under /v1/lms/, with its trailing slash',
};

const queryParameters: INodeProperties = {
	displayName: 'Query Parameters',
	name: 'queryParameters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Parameter',
	default: {},
	options: [
		{
			displayName: 'Parameter',
			name: 'parameter',
			values: [
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. loan',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					placeholder: 'e.g. 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
				},
			],
		},
	],
};

const jsonBody: INodeProperties = {
	displayName: 'JSON Body',
	name: 'jsonBody',
	type: 'json',
	default: '{}',
	description: 'Body of the request, a JSON object',
	displayOptions: { hide: { method: ['GET'] } },
};

const followPages: INodeProperties = {
	displayName: 'Follow Pages',
	name: 'followPages',
	type: 'boolean',
	default: false,
	description:
		'Whether the answer is a page {count, results}: follow the pages and output one item per result. Reads (GET) only.',
	displayOptions: { show: { '/method': ['GET'] } },
};

const allowAgentWrites: INodeProperties = {
	displayName: 'Allow Writes by an AI Agent',
	name: 'allowAgentWrites',
	type: 'boolean',
	default: false,
	description:
		'Whether an AI agent using this node as a tool may send POST, PUT or PATCH requests. Off, an agent can only read.',
	displayOptions: { hide: { '/method': ['GET'] } },
};

export const properties = updateDisplayOptions(
	{ show: { resource: ['apiRequest'], operation: ['send'] } },
	[
		methodField,
		path,
		queryParameters,
		jsonBody,
		simplifyField,
		optionsField(method, [allowAgentWrites, followPages]),
	],
);

export function prepareRequest(this: IExecuteFunctions, itemIndex: number): PreparedRequest {
	const verb = readField(this, itemIndex, methodField, parseHttpMethod);
	const target = readField(this, itemIndex, path, parseLmsPath);
	const query: IDataObject = {};
	const parameters = this.getNodeParameter('queryParameters.parameter', itemIndex, []) as Array<{
		name: string;
		value: string;
	}>;
	for (const { name, value } of parameters) if (name) query[name] = value;
	const request: PreparedRequest = {
		method: verb,
		path: target,
		query,
		summary: `${verb} ${target}`,
		sent: { method: verb, path: target },
	};
	// Following pages sends the request once per page: only ever for a read.
	if (verb === 'GET') {
		if (readField(this, itemIndex, inCollection('options', followPages), parseBoolean))
			request.pages = { returnAll: true, limit: Infinity };
		return request;
	}
	if (
		isAgent(this) &&
		!readField(this, itemIndex, inCollection('options', allowAgentWrites), parseBoolean)
	) {
		throw new NodeOperationError(
			this.getNode(),
			`${verb} requests are not allowed for an AI agent: this tool only reads`,
			{
				itemIndex,
				description:
					'A person can allow writes in the node: Options → Allow Writes by an AI Agent.',
			},
		);
	}
	request.body = readField(this, itemIndex, jsonBody, parseJsonObject);
	request.duplicateKeys = [apiRequestKey(verb, target, query, request.body)];
	// What an arbitrary path acts on is unknown: its writes share one lane, one at a time.
	request.lanes = ['apiRequest'];
	return request;
}

/** Run by an AI agent, n8n executes the node as its tool variant (<name>Tool). */
function isAgent(context: IExecuteFunctions): boolean {
	const asTool = (context as { isToolExecution?: () => boolean }).isToolExecution;
	return (
		context.getNode().type.endsWith('Tool') ||
		(typeof asTool === 'function' && asTool.call(context) === true)
	);
}

const JSON_HINT = 'Write a JSON object such as {"amount": 1}.';

/** The JSON Body: an object, no deeper than any Crego object, and every number exactly as written. */
function parseJsonObject(value: unknown): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const reading = readJson(value.trim() === '' ? '{}' : value, 'refuse');
		if (!reading.ok && reading.problem === 'inexact') {
			throw new InvalidValue(
				`has a number that cannot be sent exactly (${reading.number.slice(0, 40)})`,
				'Write long numbers, such as account numbers or big amounts, as text in quotes.',
			);
		}
		if (!reading.ok && reading.problem === 'tooDeep')
			throw new InvalidValue(`is nested more than ${MAX_JSON_DEPTH} levels deep`, JSON_HINT);
		if (!reading.ok) throw new InvalidValue('is not valid JSON', JSON_HINT);
		parsed = reading.value;
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
		throw new InvalidValue('is not a JSON object', JSON_HINT);
	return parsed as IDataObject;
}
