import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { describeExpiry } from './accessToken';
import { checkBaseUrl } from './baseUrl';
import { describeCregoError, parseJson } from './cregoErrors';
import { decideRetry, parseRetryAfter, type Attempt } from './retryPolicy';

/** What an operation asks of Crego for one item. Path segments are already encoded. */
export interface CregoRequest {
	method: IHttpRequestMethods;
	path: string;
	query?: IDataObject;
	body?: IDataObject;
	/** The item in a user's words, e.g. "refund of 1500 for loan 4541…", for messages. */
	summary: string;
}

/** How an item ended, for the router and the user: only "done" means Crego did it. */
export type Outcome = 'rejected' | 'unknown' | 'notSent' | 'failed';

export const CREDENTIAL_TYPE = 'cregoApi';
export const DEFAULT_TIMEOUT_SECONDS = 60;

export interface Connection {
	baseUrl: string;
	token: unknown;
	timeoutMs: number;
	/** The credential as read once for the run: n8n's helper then need not decrypt it per request. */
	credentials: ICredentialsDecrypted;
}

const outcomes = new WeakMap<Error, Outcome>();

/** The outcome an error from this transport stands for ("failed" for a read). */
export function outcomeOf(error: unknown): Outcome | undefined {
	return error instanceof Error ? outcomes.get(error) : undefined;
}

export const isWrite = (request: Pick<CregoRequest, 'method'>) => request.method !== 'GET';

/** Reads the credential once per run and checks its Base URL before any request. */
export async function openConnection(context: IExecuteFunctions, timeoutSeconds: number): Promise<Connection> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const checked = checkBaseUrl(credentials.baseUrl);
	if ('problem' in checked) {
		throw new NodeOperationError(context.getNode(), `The Base URL of the Crego credential ${checked.problem}`, {
			description: 'Open the Crego credential and set Base URL to your Crego API address, e.g. https://preprod.api.crego.io',
		});
	}
	return {
		baseUrl: checked.baseUrl,
		token: credentials.accessToken,
		timeoutMs: timeoutSeconds * 1000,
		credentials: { id: 'crego-run', name: 'Crego', type: CREDENTIAL_TYPE, data: credentials },
	};
}

interface Answer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

/**
 * The one place that talks HTTP to Crego: sends a request, retries it only as the retry
 * policy allows, and returns Crego's JSON or throws an error that says how the item
 * ended. HTTP error statuses are answers, not exceptions, so n8n's request helper never
 * resends a write by itself (it resends once after a 401 it has thrown). Errors carry
 * Crego's message and never the request headers, so the token cannot leak.
 */
export async function sendToCrego(
	this: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		qs: request.query,
		body: request.body,
		json: true,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: connection.timeoutMs,
	};
	for (let attemptNumber = 1; ; attemptNumber++) {
		let answer: Answer | undefined;
		let failureCode: string | undefined;
		try {
			answer = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options }, {
				credentialsDecrypted: connection.credentials,
			})) as Answer;
		} catch (error) {
			// A credential problem, not a network one: nothing was sent.
			if (error instanceof NodeOperationError) throw new NodeOperationError(this.getNode(), error, { itemIndex });
			failureCode = findErrorCode(error) ?? 'UNKNOWN';
		}
		const attempt: Attempt = answer
			? { kind: 'answer', status: answer.statusCode, retryAfterMs: parseRetryAfter(headerOf(answer, 'retry-after')) }
			: { kind: 'noAnswer', code: failureCode };
		if (answer && answer.statusCode >= 200 && answer.statusCode < 300) return successBody(answer);
		const decision = decideRetry(attempt, { isWrite: isWrite(request), attemptNumber });
		if (decision.retry) {
			await sleep(decision.delayMs);
			continue;
		}
		throw answer
			? answeredError(this, connection, request, answer, itemIndex, attemptNumber)
			: unansweredError(this, connection, request, failureCode, itemIndex, attemptNumber);
	}
}

/** Crego did the work: an unreadable answer must not look like a failure. */
function successBody(answer: Answer): IDataObject {
	const text = textOf(answer.body);
	const json = parseJson(text);
	if (json && typeof json === 'object' && !Array.isArray(json)) return json as IDataObject;
	return { statusCode: answer.statusCode, responseText: text };
}

function answeredError(
	context: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	answer: Answer,
	itemIndex: number,
	attempts: number,
): NodeApiError {
	const status = answer.statusCode;
	const described = describeCregoError(status, textOf(answer.body), request.method, request.path);
	const write = isWrite(request);
	let outcome: Outcome = 'failed';
	let { message, description } = described;
	if (status === 401) {
		const expired = describeExpiry(connection.token);
		if (expired) {
			message = `Crego refused the access token: it ${expired}`;
			description = `${description}\nCrego tokens are valid for 24 hours: put a fresh one in the Crego credential.`;
		}
	}
	if (write && (status >= 500 || status === 408)) {
		outcome = 'unknown';
		message = `Outcome unknown: ${message}`;
		description = `${unknownAdvice(request)}\n${description}`;
	} else if (write && status === 429) {
		outcome = 'notSent';
		message = `Not processed: ${message}`;
		description = `Crego turned the request away ${attempts} times (rate limit), so nothing was done: it is safe to send it again later.\n${description}`;
	} else if (write) {
		outcome = 'rejected';
		description = `Crego did not do it: fix the value and send the row again.\n${description}`;
	} else if (attempts > 1) {
		description = `Tried ${attempts} times.\n${description}`;
	}
	return tagged(
		new NodeApiError(context.getNode(), { httpCode: String(status), response: described.body } as JsonObject, {
			message,
			description,
			httpCode: String(status),
			itemIndex,
		}),
		outcome,
	);
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset before Crego answered',
	ECONNABORTED: 'no answer came in time',
	ETIMEDOUT: 'no answer came in time',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EPIPE: 'the connection was closed',
};

/** An error for a request that got no HTTP answer, built fresh so no request detail leaks. */
function unansweredError(
	context: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	code: string | undefined,
	itemIndex: number,
	attempts: number,
): NodeApiError {
	const what = (code && NETWORK_FAILURES[code]) ?? 'the request failed before Crego answered';
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
	const reason = timedOut ? `no answer within ${connection.timeoutMs / 1000} s` : what;
	const neverArrived = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	const tries = attempts > 1 ? ` (tried ${attempts} times)` : '';
	let outcome: Outcome = 'failed';
	let message = `Could not reach Crego at ${connection.baseUrl}: ${reason}${tries}`;
	let description = `${request.method} ${request.path} got no answer. Check the Base URL of the Crego credential and the network.`;
	if (isWrite(request) && neverArrived) {
		outcome = 'notSent';
		message = `Not sent: could not reach Crego at ${connection.baseUrl}: ${reason}${tries}`;
		description = `Nothing reached Crego, so nothing was done: it is safe to send it again. ${description}`;
	} else if (isWrite(request)) {
		outcome = 'unknown';
		message = `Outcome unknown: ${reason} from Crego at ${connection.baseUrl}`;
		description = unknownAdvice(request);
	}
	return tagged(new NodeApiError(context.getNode(), { network: what } as JsonObject, { message, description, itemIndex }), outcome);
}

function unknownAdvice(request: CregoRequest): string {
	return (
		`Crego may or may not have processed the ${request.summary}. ` +
		'Check in Crego before sending it again: do not re-run this row (or ask an agent to retry it) blindly.'
	);
}

function tagged(error: NodeApiError, outcome: Outcome): NodeApiError {
	outcomes.set(error, outcome);
	return error;
}

function textOf(body: unknown): string {
	return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}

function headerOf(answer: Answer, name: string): unknown {
	const headers = answer.headers ?? {};
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key ? headers[key] : undefined;
}

function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
