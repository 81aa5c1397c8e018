import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';
import { MAX_ERROR_BYTES, MAX_SUCCESS_BYTES, readBounded, type BodyStream } from './boundedBody';

/**
 * One HTTP request, sent through n8n's request helper with every default that could
 * move money or the token decided here:
 * - redirects are never followed by the helper (it would re-send the token and a POST's
 *   body to any host): a 3xx comes back as an answer and cregoApi.ts decides;
 * - HTTP error statuses are answers, not exceptions, so the helper never re-sends a
 *   request after a 401 by itself;
 * - a whole-request deadline: the helper's own timeout only bounds idle time, so a
 *   server trickling a byte at a time could hold a request for ever. The deadline is an
 *   AbortSignal; the helper takes its signal from getExecutionCancelSignal(), so the
 *   node's context is handed over with that one method answering the deadline joined to
 *   n8n's own cancel signal;
 * - the body is read as a stream, up to a limit counted after decompression
 *   (boundedBody.ts): the helper's own reading has no bound.
 */

export const CREDENTIAL_TYPE = 'cregoApi';

export interface ExchangeRequest {
	method: IHttpRequestMethods;
	url: string;
	query?: IDataObject;
	body?: IDataObject;
}

export type Exchange =
	| {
			kind: 'answer';
			status: number;
			headers: Record<string, unknown>;
			text: string;
			/** The body went on past its limit (boundedBody.ts); text is its start. */
			overLimit?: boolean;
			/** The status came, but the body was cut short: a network code, a decompression code (Z_…), TIMEOUT or CANCELLED. */
			bodyFailure?: string;
	  }
	/** code: a Node network code (ECONNREFUSED, ...), TIMEOUT (the deadline) or CANCELLED (the execution was stopped). */
	| { kind: 'noAnswer'; code: string };

export async function exchange(
	context: IExecuteFunctions,
	credentials: ICredentialsDecrypted,
	timeoutMs: number,
	request: ExchangeRequest,
	itemIndex: number,
): Promise<Exchange> {
	const deadline = AbortSignal.timeout(timeoutMs);
	const cancelled = context.getExecutionCancelSignal?.();
	const signal = cancelled ? AbortSignal.any([deadline, cancelled]) : deadline;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		qs: request.query,
		body: request.body,
		json: true,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		abortSignal: signal,
	};
	const withDeadline = Object.create(context, {
		getExecutionCancelSignal: { value: () => signal },
	}) as IExecuteFunctions;
	try {
		const answer = (await context.helpers.httpRequestWithAuthentication.call(
			withDeadline,
			CREDENTIAL_TYPE,
			options,
			{
				credentialsDecrypted: credentials,
			},
		)) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		const status = answer.statusCode;
		const headers = answer.headers ?? {};
		if (!isStream(answer.body))
			return { kind: 'answer', status, headers, text: textOf(answer.body) };
		const limit = status >= 200 && status < 300 ? MAX_SUCCESS_BYTES : MAX_ERROR_BYTES;
		const body = await readBounded(answer.body, limit, signal, cancelled);
		return {
			kind: 'answer',
			status,
			headers,
			text: body.text,
			...(body.overLimit ? { overLimit: true } : {}),
			...(body.failure ? { bodyFailure: body.failure } : {}),
		};
	} catch (error) {
		// A credential problem, not a network one: nothing was sent.
		if (error instanceof NodeOperationError)
			throw new NodeOperationError(context.getNode(), error, { itemIndex });
		if (cancelled?.aborted) return { kind: 'noAnswer', code: 'CANCELLED' };
		if (deadline.aborted) return { kind: 'noAnswer', code: 'TIMEOUT' };
		return { kind: 'noAnswer', code: failureCode(error) ?? 'UNKNOWN' };
	}
}

const isStream = (body: unknown): body is BodyStream =>
	typeof (body as BodyStream | undefined)?.on === 'function' &&
	typeof (body as BodyStream).read === 'function';

function textOf(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

/** The network code of a failure (ECONNREFUSED, CERT_HAS_EXPIRED, ...), or SSRF_BLOCKED when n8n refused the address itself. */
function failureCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (typeof name === 'string' && name.startsWith('Ssrf')) return 'SSRF_BLOCKED';
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** A header of an answer, whatever its case; the first value when repeated. */
export function headerOf(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}
