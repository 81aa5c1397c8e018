/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
// The Crego sandbox, started on a free 127.0.0.1 port for one test file.

const { createSandbox } = require('../../sandbox/server');

export const { ids } = require('../../sandbox/seed') as { ids: Record<string, any> };

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: Record<string, unknown>;
	rawBody: string;
	status: number | 'reset';
	response: Record<string, unknown>;
	/** When the sandbox received it, and when it answered (ms since epoch). */
	receivedAt: number;
	answeredAt?: number;
	/** What an injected fault did to it, e.g. "status 503". */
	fault?: string;
	/** Whether Crego did the work of a write (money moved), whatever the client was told. */
	didWork: boolean;
	/** A trickled answer: bytes sent before the client hung up, and whether all were sent. */
	bytesSent?: number;
	completed?: boolean;
}

/** See sandbox/faults.js. */
export interface FaultRule {
	method?: string;
	path?: string;
	times?: number;
	everyNth?: number;
	status?: number;
	body?: unknown;
	contentType?: string;
	retryAfter?: number | string;
	location?: string;
	trickleMs?: number;
	delayMs?: number;
	reset?: boolean;
	truncate?: boolean;
	malformed?: boolean;
	process?: boolean;
	gzip?: boolean;
	corruptGzip?: boolean;
	bombMiB?: number;
}

export interface RunningSandbox {
	url: string;
	token: string;
	requests: RecordedRequest[];
	state: { payouts: Map<string, any>; records: Map<string, any> };
	reset(): void;
	injectFault(rule: FaultRule): void;
	clearFaults(): void;
	ignorePageParameter(): void;
	stop(): Promise<void>;
}

export const SANDBOX_TOKEN = 'test-token-9f8e7d6c5b4a';
export const WRONG_TOKEN = 'wrong-token-0123456789';
/** Every token a test sends: none may appear in an output, an error or a log line. */
export const TOKENS_USED_IN_TESTS = [SANDBOX_TOKEN, WRONG_TOKEN];

/** Starts a sandbox that also closes by itself after ten minutes, so no test leaves it running. */
export async function startSandbox(): Promise<RunningSandbox> {
	const sandbox = createSandbox({ token: SANDBOX_TOKEN, maxLifetimeMs: 10 * 60_000 });
	const url: string = await sandbox.start();
	return {
		url,
		token: SANDBOX_TOKEN,
		requests: sandbox.requests,
		get state() {
			return sandbox.state;
		},
		reset: () => sandbox.reset(),
		injectFault: (rule: FaultRule) => sandbox.injectFault(rule),
		clearFaults: () => sandbox.clearFaults(),
		ignorePageParameter: () => sandbox.ignorePageParameter(),
		stop: () => sandbox.stop(),
	};
}
