import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	isCertificateFailure,
	verdictForNoAnswer,
	verdictForStatus,
	withOutcome,
	type Outcome,
} from '../vocabulary/outcome';
import type { Gate } from '../vocabulary/gate';
import { describeExpiry } from './accessToken';
import { redact, successJson, unreadSuccess } from './answerBody';
import { isCorruptCompression, MAX_SUCCESS_BYTES } from './boundedBody';
import { checkBaseUrl } from './baseUrl';
import { describeCregoError } from './cregoErrors';
import { forRow } from '../vocabulary/rowNames';
import { CREDENTIAL_TYPE, exchange, headerOf } from './exchange';
import { isRedirect, nextStep, showLocation } from './redirects';
import {
	asksToWait,
	decideRetry,
	describeWait,
	MAX_RETRY_AFTER_MS,
	parseRetryAfter,
} from './retryPolicy';
import { isWrite, type CregoRequest } from '../vocabulary/request';

export const DEFAULT_TIMEOUT_SECONDS = 60;

export interface Connection {
	baseUrl: string;
	token: unknown;
	timeoutMs: number;
	/** The credential as read once for the run: n8n's helper then need not decrypt it per request. */
	credentials: ICredentialsDecrypted;
	/** Where each attempt waits for its turn, and tells its answer (the run's pace). */
	gate?: Gate;
	/** n8n's Stop: once aborted, no request leaves and no wait goes on. */
	cancelled?: AbortSignal;
}

/** Reads the credential once per run and checks its Base URL before any request; every attempt then waits at the gate given. */
export async function openConnection(
	context: IExecuteFunctions,
	timeoutSeconds: number,
	gate?: Gate,
): Promise<Connection> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const checked = checkBaseUrl(credentials.baseUrl);
	if ('problem' in checked) {
		throw new NodeOperationError(
			context.getNode(),
			`The Base URL of the Crego credential ${checked.problem}`,
			{
				description:
					'Open the Crego credential and set Base URL to your Crego API address, e.g. https://preprod.api.crego.io',
			},
		);
	}
	// A header cannot carry spaces or line breaks: the request would fail before it is sent, looking like a network fault.
	if (
		typeof credentials.accessToken !== 'string' ||
		!/^[\x21-\x7e]+$/.test(credentials.accessToken)
	) {
		throw new NodeOperationError(
			context.getNode(),
			'The Access Token of the Crego credential is empty or contains spaces or line breaks',
			{
				description:
					'Open the Crego credential and paste the token again, without spaces or a line break around it.',
			},
		);
	}
	return {
		baseUrl: checked.baseUrl,
		token: credentials.accessToken,
		timeoutMs: timeoutSeconds * 1000,
		credentials: { id: 'crego-run', name: 'Crego', type: CREDENTIAL_TYPE, data: credentials },
		gate,
		cancelled: context.getExecutionCancelSignal?.(),
	};
}

/**
 * The one place that talks to Crego: sends a request, follows a redirect or sends again
 * only as the rules allow (vocabulary/outcome.ts, redirects.ts, retryPolicy.ts), and returns
 * Crego's JSON or throws an error tagged with the item's outcome. Everything the server
 * said is cut free of the token before it is read.
 */
export async function sendToCrego(
	this: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	itemIndex: number,
): Promise<IDataObject> {
	const write = isWrite(request);
	let url = `${connection.baseUrl}${request.path}`;
	let query = request.query;
	let hops = 0;
	let attempt = 1;
	for (;;) {
		if (connection.cancelled?.aborted)
			throw stoppedBeforeSending(this, request, itemIndex, attempt);
		await connection.gate?.acquire();
		// Stop pressed while this row waited for its turn: it never left.
		if (connection.cancelled?.aborted) {
			connection.gate?.release();
			throw stoppedBeforeSending(this, request, itemIndex, attempt);
		}
		const sentAt = Date.now();
		let result: Awaited<ReturnType<typeof exchange>>;
		try {
			result = await exchange(
				this,
				connection.credentials,
				connection.timeoutMs,
				{ method: request.method, url, query, body: request.body },
				itemIndex,
			);
		} finally {
			connection.gate?.release();
		}
		const status = result.kind === 'answer' ? result.status : undefined;
		const retryAfterMs =
			result.kind === 'answer' && asksToWait(status)
				? parseRetryAfter(headerOf(result.headers, 'retry-after'))
				: undefined;
		// A wait over the cap is not taken (the row fails below), so it holds nobody else either.
		const pauseMs =
			retryAfterMs !== undefined && retryAfterMs <= MAX_RETRY_AFTER_MS ? retryAfterMs : undefined;
		connection.gate?.observe({ status, sentAt, ms: Date.now() - sentAt, retryAfterMs: pauseMs });
		if (result.kind === 'noAnswer') {
			const verdict = verdictForNoAnswer(result.code, write);
			const decision = decideRetry(verdict.retry, attempt);
			if (decision.retry && (await waitUnlessStopped(decision.delayMs, connection.cancelled))) {
				attempt++;
				continue;
			}
			throw failure(this, verdict.outcome, itemIndex, () =>
				unansweredError(
					this,
					connection,
					request,
					result.code,
					verdict.outcome,
					itemIndex,
					attempt,
				),
			);
		}
		const text = redact(result.text, connection.token);
		if (result.status >= 200 && result.status < 300) {
			// From here on the outcome is fixed: Crego did it, whatever its body holds.
			const whole = !result.overLimit && !result.bodyFailure;
			if (whole) return readSuccess(result.status, text);
			if (write) return unreadSuccess(result.status, notReadBecause(result));
			// A read cut short by the network is a passing trouble, sent again as if unanswered.
			if (
				!result.overLimit &&
				!isCorruptCompression(result.bodyFailure) &&
				result.bodyFailure !== 'CANCELLED'
			) {
				const verdict = verdictForNoAnswer(result.bodyFailure!, false);
				const decision = decideRetry(verdict.retry, attempt);
				if (decision.retry && (await waitUnlessStopped(decision.delayMs, connection.cancelled))) {
					attempt++;
					continue;
				}
			}
			throw failure(this, 'failed', itemIndex, () =>
				unreadableRead(this, request, result.status, notReadBecause(result), itemIndex),
			);
		}
		if (isRedirect(result.status)) {
			const location = redactOptional(headerOf(result.headers, 'location'), connection.token);
			const step = nextStep({
				status: result.status,
				location,
				from: url,
				baseUrl: connection.baseUrl,
				hops,
			});
			if (!write && step.follow) {
				url = step.url;
				query = undefined;
				// Following a redirect is not another try.
				hops++;
				continue;
			}
			const outcome = verdictForStatus(result.status, write).outcome;
			throw failure(this, outcome, itemIndex, () =>
				redirectError(
					this,
					request,
					{
						status: result.status,
						where: showLocation(location, url),
						why: step.follow ? undefined : step.why,
					},
					outcome,
					itemIndex,
				),
			);
		}
		const verdict = verdictForStatus(result.status, write);
		const decision = decideRetry(verdict.retry, attempt, retryAfterMs);
		// The next turn (acquire) also waits out any other request's Retry-After.
		if (decision.retry && (await waitUnlessStopped(decision.delayMs, connection.cancelled))) {
			attempt++;
			continue;
		}
		const askedToWaitMs = decision.retry ? undefined : decision.askedToWaitMs;
		throw failure(this, verdict.outcome, itemIndex, () =>
			answeredError(
				this,
				connection,
				request,
				{ status: result.status, text, askedToWaitMs },
				verdict.outcome,
				itemIndex,
				attempt,
			),
		);
	}
}

/** Crego's JSON, or the text kept as it came: reading a success can never turn it into a failure. */
function readSuccess(status: number, text: string): IDataObject {
	try {
		return successJson(status, text);
	} catch {
		return unreadSuccess(status, 'the answer could not be read');
	}
}

/** Why a success's body was not read whole, in words for the item. */
function notReadBecause(result: {
	status: number;
	overLimit?: boolean;
	bodyFailure?: string;
}): string {
	const limit = `${MAX_SUCCESS_BYTES / (1024 * 1024)} MiB`;
	if (result.overLimit)
		return `Crego answered HTTP ${result.status} with more than ${limit} (counted after decompression): the node read no further.`;
	if (isCorruptCompression(result.bodyFailure))
		return `Crego answered HTTP ${result.status}, but its compressed body was corrupt (${result.bodyFailure}).`;
	if (result.bodyFailure === 'CANCELLED')
		return `Crego answered HTTP ${result.status}; the execution was stopped while its body was read.`;
	if (result.bodyFailure === 'TIMEOUT')
		return `Crego answered HTTP ${result.status}, but its body did not arrive within the Request Timeout.`;
	return `Crego answered HTTP ${result.status}, but the connection broke while its body was read (${result.bodyFailure}).`;
}

/** Waits, unless Stop is pressed first; true when the wait ran its course. */
async function waitUnlessStopped(ms: number, cancelled: AbortSignal | undefined): Promise<boolean> {
	if (cancelled?.aborted) return false;
	let onAbort = () => {};
	const stopped = new Promise<void>((resolve) => (onAbort = resolve));
	cancelled?.addEventListener('abort', onAbort, { once: true });
	await Promise.race([sleep(ms), stopped]);
	cancelled?.removeEventListener('abort', onAbort);
	return !cancelled?.aborted;
}

/** A row that never left because the execution was stopped: a write is certainly not done. */
function stoppedBeforeSending(
	context: IExecuteFunctions,
	request: CregoRequest,
	itemIndex: number,
	attempt: number,
): NodeApiError {
	const outcome: Outcome = isWrite(request) ? 'notSent' : 'failed';
	const again = attempt > 1 ? ' again' : '';
	return withOutcome(
		new NodeApiError(context.getNode(), { stopped: true } as JsonObject, {
			message: forRow(
				context,
				itemIndex,
				`Not sent${again}: the execution was stopped before this row was sent${again}`,
			),
			description: isWrite(request)
				? `Nothing was sent for the ${request.summary}${again}: it is safe to send it again.`
				: undefined,
			itemIndex,
		}),
		outcome,
	);
}

function unreadableRead(
	context: IExecuteFunctions,
	request: CregoRequest,
	status: number,
	why: string,
	itemIndex: number,
): NodeApiError {
	return new NodeApiError(context.getNode(), { httpCode: String(status) } as JsonObject, {
		message: forRow(
			context,
			itemIndex,
			`Crego's answer could not be read: ${why.replace(/\.$/, '')}`,
		),
		description: `${request.method} ${request.path}. The node reads at most ${MAX_SUCCESS_BYTES / (1024 * 1024)} MiB of an answer and does not send the request again for this: ask for less (a Limit, a filter) or check with Crego.`,
		httpCode: String(status),
		itemIndex,
	});
}

/**
 * Builds the error for an item whose outcome is already decided. Whatever goes wrong
 * while putting the answer into words, the item keeps its outcome.
 */
function failure(
	context: IExecuteFunctions,
	outcome: Outcome,
	itemIndex: number,
	build: () => NodeApiError,
): NodeApiError {
	let error: NodeApiError;
	try {
		error = build();
	} catch {
		const message =
			outcome === 'unknown'
				? 'Outcome unknown: Crego gave an answer that could not be read'
				: 'Crego gave an answer that could not be read';
		error = new NodeApiError(context.getNode(), { outcome } as JsonObject, {
			message: forRow(context, itemIndex, message),
			itemIndex,
		});
	}
	return withOutcome(error, outcome);
}

function answeredError(
	context: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	answer: { status: number; text: string; askedToWaitMs?: number },
	outcome: Outcome,
	itemIndex: number,
	attempts: number,
): NodeApiError {
	const { status } = answer;
	const described = describeCregoError(status, answer.text, request);
	let { message, description } = described;
	if (status === 401) {
		const expired = describeExpiry(connection.token);
		if (expired) {
			message = `Crego refused the access token: it ${expired}`;
			description = `${description}\nCrego tokens are valid for 24 hours: put a fresh one in the Crego credential.`;
		}
	}
	if (outcome === 'unknown') {
		message = `Outcome unknown: ${message}`;
		description = `${unknownAdvice(request)}\n${description}`;
	} else if (outcome === 'notSent' && answer.askedToWaitMs !== undefined) {
		message = `Not processed: Crego asked to wait ${describeWait(answer.askedToWaitMs)} before sending again (Retry-After), more than the ${MAX_RETRY_AFTER_MS / 1000} s the node waits`;
		description = `Crego turned the request away (rate limit), so nothing was done: it is safe to send it again after that time.\n${description}`;
	} else if (outcome === 'notSent') {
		message = `Not processed: ${message}`;
		description = `Crego turned the request away ${attempts} times (rate limit), so nothing was done: it is safe to send it again later.\n${description}`;
	} else if (outcome === 'rejected') {
		description = `Crego did not do it: fix the value and send the row again.\n${description}`;
	} else if (answer.askedToWaitMs !== undefined) {
		message = `Crego asked to wait ${describeWait(answer.askedToWaitMs)} before asking again (Retry-After), more than the ${MAX_RETRY_AFTER_MS / 1000} s the node waits`;
	} else if (attempts > 1) {
		description = `Tried ${attempts} times.\n${description}`;
	}
	return new NodeApiError(
		context.getNode(),
		{ httpCode: String(status), response: described.body } as JsonObject,
		{
			message: forRow(context, itemIndex, message),
			description,
			httpCode: String(status),
			itemIndex,
		},
	);
}

function redirectError(
	context: IExecuteFunctions,
	request: CregoRequest,
	redirect: { status: number; where: string; why?: string },
	outcome: Outcome,
	itemIndex: number,
): NodeApiError {
	const { status, where } = redirect;
	const answered = `HTTP ${status} for ${request.method} ${request.path}, redirecting to ${where}.`;
	let message: string;
	let description: string;
	if (outcome === 'unknown') {
		message = `Outcome unknown: Crego answered HTTP ${status} (a redirect to ${where}) instead of a result`;
		description =
			`${unknownAdvice(request)}\n${answered}\n` +
			'The node never follows a redirect on a write: the redirect would carry the request (and the access token) elsewhere. ' +
			'A 303 usually comes after a write was done; a 301 or 308 usually means the address moved (for example a missing trailing slash) and nothing was done. ' +
			'If Crego has moved, correct the Base URL in the Crego credential.';
	} else {
		message = redirect.why ?? `Crego redirected the request (HTTP ${status}) to ${where}`;
		description = `${answered}\nThe node follows redirects of reads only within the Base URL's own host, and never sends the token anywhere else. If Crego has moved, correct the Base URL in the Crego credential.`;
	}
	return new NodeApiError(context.getNode(), { httpCode: String(status) } as JsonObject, {
		message: forRow(context, itemIndex, message),
		description,
		httpCode: String(status),
		itemIndex,
	});
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was reset before Crego answered',
	ECONNABORTED: 'the connection was aborted before Crego answered',
	ETIMEDOUT: 'the connection timed out',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EPIPE: 'the connection was closed',
	CANCELLED: 'the execution was stopped before Crego answered',
	SSRF_BLOCKED:
		"n8n's SSRF protection blocked the address (an n8n administrator can allow the Crego host)",
};

function describeFailure(code: string, timeoutMs: number): string {
	if (code === 'TIMEOUT') return `no answer within ${timeoutMs / 1000} s`;
	if (isCertificateFailure(code)) return `the server's TLS certificate is not trusted (${code})`;
	return NETWORK_FAILURES[code] ?? `the request failed before Crego answered (${code})`;
}

/** An error for a request that got no HTTP answer, built fresh so no request detail leaks. */
function unansweredError(
	context: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	code: string,
	outcome: Outcome,
	itemIndex: number,
	attempts: number,
): NodeApiError {
	const reason = describeFailure(code, connection.timeoutMs);
	const tries = attempts > 1 ? ` (tried ${attempts} times)` : '';
	let message = `Could not reach Crego at ${connection.baseUrl}: ${reason}${tries}`;
	let description = `${request.method} ${request.path} got no answer. Check the Base URL of the Crego credential and the network.`;
	if (outcome === 'notSent') {
		message = `Not sent: could not reach Crego at ${connection.baseUrl}: ${reason}${tries}`;
		description = `Nothing reached Crego, so nothing was done: it is safe to send it again. ${description}`;
	} else if (outcome === 'unknown') {
		message = `Outcome unknown: ${reason} from Crego at ${connection.baseUrl}`;
		description = unknownAdvice(request);
	}
	return new NodeApiError(context.getNode(), { network: reason } as JsonObject, {
		message: forRow(context, itemIndex, message),
		description,
		itemIndex,
	});
}

function unknownAdvice(request: CregoRequest): string {
	return (
		`Crego may or may not have processed the ${request.summary}. ` +
		'Check in Crego before sending it again: do not re-run this row (or ask an agent to retry it) blindly.'
	);
}

function redactOptional(text: string | undefined, token: unknown): string | undefined {
	return text === undefined ? undefined : redact(text, token);
}
