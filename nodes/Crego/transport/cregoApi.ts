import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { describeCregoError, parseJson } from './cregoErrors';

/** What an operation asks of Crego for one item. Path segments are already encoded. */
export interface CregoRequest {
	method: IHttpRequestMethods;
	path: string;
	query?: IDataObject;
	body?: IDataObject;
}

export const CREDENTIAL_TYPE = 'cregoApi';
const REQUEST_TIMEOUT_MS = 60_000;

interface FullResponse {
	statusCode: number;
	body: unknown;
}

/**
 * The one place that talks HTTP to Crego. It sends exactly one request: HTTP error
 * statuses are answers, not exceptions, so n8n's request helper never resends a write
 * (it resends once after a 401 it has thrown). Errors carry Crego's message and never
 * the request headers, so the token cannot leak into an error or an output.
 */
export async function sendToCrego(this: IExecuteFunctions, request: CregoRequest, itemIndex: number): Promise<IDataObject> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw new NodeOperationError(this.getNode(), 'The Base URL of the Crego credential is not an http(s) address', {
			itemIndex,
			description: 'Open the Crego credential and set Base URL, e.g. https://preprod.api.crego.io',
		});
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.query,
		body: request.body,
		json: true,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as FullResponse;
	} catch (error) {
		throw unreachable(this, error, request, baseUrl, itemIndex);
	}
	const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	if (response.statusCode >= 200 && response.statusCode < 300) {
		const json = parseJson(text);
		if (json && typeof json === 'object' && !Array.isArray(json)) return json as IDataObject;
		// Crego did the work; an unreadable answer must not look like a failure.
		return { statusCode: response.statusCode, responseText: text };
	}
	const described = describeCregoError(response.statusCode, text, request.method, request.path);
	throw new NodeApiError(
		this.getNode(),
		{ httpCode: String(response.statusCode), response: described.body } as JsonObject,
		{
			message: described.message,
			description: described.description,
			httpCode: String(response.statusCode),
			itemIndex,
		},
	);
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'no answer came in time',
	ETIMEDOUT: 'no answer came in time',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EPIPE: 'the connection was closed',
};

/** An error for a request that got no HTTP answer, built fresh so no request detail leaks. */
function unreachable(
	context: IExecuteFunctions,
	error: unknown,
	request: CregoRequest,
	baseUrl: string,
	itemIndex: number,
): Error {
	if (error instanceof NodeOperationError) return error;
	const code = findErrorCode(error);
	const what = (code && NETWORK_FAILURES[code]) ?? 'the request failed before Crego answered';
	const isWrite = request.method !== 'GET';
	return new NodeApiError(
		context.getNode(),
		{ network: what } as JsonObject,
		{
			message: `Could not reach Crego at ${baseUrl}: ${what}`,
			description: isWrite && code !== 'ECONNREFUSED'
				? `The outcome of ${request.method} ${request.path} is unknown: check in Crego before sending it again.`
				: `${request.method} ${request.path} got no answer. Check the Base URL of the Crego credential and the network.`,
			itemIndex,
		},
	);
}

function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
