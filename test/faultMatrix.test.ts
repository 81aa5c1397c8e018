/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The fault matrix, generated rather than listed: every kind of answer a network can
 * give × read and write × n8n's three error modes × one and several requests in flight.
 * Each cell runs the node through n8n-core's engine against its own sandbox, with a
 * second listener on 127.0.0.2 standing for "another host", and checks the promises from
 * the servers' own logs, never from the node's word alone:
 *  - money moves at most once per row: per item, at most one write reached Crego that it
 *    did not turn away (429), and at most one did the work;
 *  - the token goes nowhere else: the other host receives nothing, and no output, error
 *    or run data holds the token;
 *  - every row's outcome is present and paired (on the outputs, or in the error of a
 *    stopped run), and it is true: "done" only if Crego did the work, "rejected" or
 *    "notSent" only if it did not.
 * The answers include those past the node's bounds: bodies over 4 MiB, gzip bombs, corrupt
 * compression, Retry-After of a day or of year 9999 (and on a 200, where it means nothing).
 * Their memory is measured in test/boundedAnswers.test.ts (a process of its own); endless
 * pages are test/boundedListings.test.ts, and Stop at each point a run can be at is
 * test/stop.test.ts, with the same checks.
 */
import type { ExecutionError, INodeExecutionData } from 'n8n-workflow';

import { runWorkflow } from './helpers/engine';
import { closedPort, startOtherHost } from './helpers/otherHost';
import { processedDataStore } from './helpers/processedDataStore';
import {
	ids,
	SANDBOX_TOKEN,
	startSandbox,
	type FaultRule,
	type RecordedRequest,
} from './helpers/sandbox';
import { outcomeOf } from './helpers/outcome';
import { RECORD_PATH, REFUND_PATH } from './helpers/parameters';

const ITEMS = 4;
const TIMEOUT_SECONDS = 1;

interface Where {
	path: string;
	sandbox: string;
	other: string;
	closed: string;
}

/** Every kind of answer, as a fault the sandbox plays on every second request. */
const ANSWERS: Array<[string, (where: Where) => FaultRule]> = [];
const answer = (name: string, rule: (where: Where) => FaultRule) => ANSWERS.push([name, rule]);

// 2xx that are odd, from a Crego that did the work.
answer('200 empty body', () => ({ status: 200, body: '', process: true }));
answer('204 no content', () => ({ status: 204, body: '', process: true }));
answer('200 HTML', () => ({ status: 200, body: '<html><body>OK</body></html>', process: true }));
answer('200 broken JSON', () => ({ truncate: true, process: true }));
answer('200 huge JSON', () => ({
	status: 200,
	body: { results: 'x'.repeat(2 * 1024 * 1024) },
	process: true,
}));
answer('200 deep JSON', () => ({
	status: 200,
	body: `${'['.repeat(20000)}${']'.repeat(20000)}`,
	contentType: 'application/json',
	process: true,
}));
// Bodies past the bound, or unreadable once they arrive (issue 21): a 2xx stays done, a read fails once.
answer('200 over 4 MiB', () => ({
	status: 200,
	body: { results: 'x'.repeat(5 * 1024 * 1024) },
	process: true,
}));
answer('gzip', () => ({ gzip: true, process: true }));
answer('gzip bomb of 100 MiB', () => ({ bombMiB: 100, process: true }));
answer('corrupt gzip', () => ({ corruptGzip: true, process: true }));
answer('200 a timestamp in microseconds', () => ({
	status: 200,
	body: { id: ids.DOCS_RECORD_ID, created_at: 1693161000123456 },
	process: true,
}));
// Waits past the bound, and a Retry-After where none belongs.
answer('429 Retry-After a day', () => ({
	status: 429,
	retryAfter: 86400,
	body: { detail: 'Request was throttled.' },
}));
answer('429 Retry-After year 9999', () => ({
	status: 429,
	retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT',
	body: { detail: 'Request was throttled.' },
}));
answer('503 Retry-After a day', () => ({
	status: 503,
	retryAfter: 86400,
	body: { detail: 'Maintenance.' },
}));
answer('200 Retry-After a day', () => ({ retryAfter: 86400, process: true }));
// Redirects: to the same origin, to another host, to a port nothing listens on.
for (const status of [301, 302, 303, 307, 308]) {
	// A 303 comes after the work is done (POST-redirect-GET); the others before any.
	const process = status === 303;
	answer(`${status} same origin`, ({ path }) => ({ status, location: path, process }));
	answer(`${status} other host`, ({ path, other }) => ({
		status,
		location: `${other}${path}`,
		process,
	}));
	answer(`${status} closed port`, ({ path, closed }) => ({
		status,
		location: `${closed}${path}`,
		process,
	}));
}
answer('302 without Location', () => ({ status: 302 }));
// 4xx: Crego refused.
answer('400 field error', () => ({
	status: 400,
	body: { amount: ['Ensure this value is greater than 0.'] },
}));
answer('401', () => ({
	status: 401,
	body: { detail: 'Given token not valid for any token type', code: 'token_not_valid' },
}));
answer('403', () => ({
	status: 403,
	body: { detail: 'You do not have permission to perform this action.' },
}));
answer('404', () => ({ status: 404, body: { detail: 'Not found.' } }));
answer('409', () => ({ status: 409, body: { detail: 'Conflict.' } }));
answer('422', () => ({ status: 422, body: { non_field_errors: ['Invalid.'] } }));
// Rate limits.
answer('429 Retry-After 0', () => ({
	status: 429,
	retryAfter: 0,
	body: { detail: 'Request was throttled.' },
}));
answer('429 no Retry-After', () => ({ status: 429, body: { detail: 'Request was throttled.' } }));
answer('429 every time', () => ({
	status: 429,
	retryAfter: 0,
	times: 0,
	everyNth: undefined,
	body: { detail: 'Request was throttled.' },
}));
// 5xx, before and after the work, with every kind of body.
answer('500 JSON', () => ({ status: 500, body: { detail: 'Server error.' } }));
answer('500 after the work', () => ({
	status: 500,
	body: { detail: 'Server error.' },
	process: true,
}));
answer('501 empty', () => ({ status: 501, body: '' }));
answer('502 HTML', () => ({
	status: 502,
	body: '<html><head><title>502 Bad Gateway</title></head></html>',
}));
answer('503 deep JSON', () => ({
	status: 503,
	body: `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`,
	contentType: 'application/json',
}));
answer('504 huge body', () => ({
	status: 504,
	body: 'x'.repeat(2 * 1024 * 1024),
	contentType: 'text/plain',
}));
// No answer at all.
answer('reset before the work', () => ({ reset: true }));
answer('reset after the work', () => ({ reset: true, process: true }));
answer('trickling body', () => ({ trickleMs: 300, process: true }));
answer('timeout', () => ({ delayMs: TIMEOUT_SECONDS * 1000 + 500, process: true }));

const KINDS = ['read', 'write'] as const;
const MODES = ['stop', 'continueRegularOutput', 'continueErrorOutput'] as const;
const CONCURRENCIES = [1, 3];

type Cell = [string, (typeof KINDS)[number], (typeof MODES)[number], number];
const CELLS: Cell[] = ANSWERS.flatMap(([name]) =>
	KINDS.flatMap((kind) =>
		MODES.flatMap((mode) =>
			CONCURRENCIES.map((concurrency): Cell => [name, kind, mode, concurrency]),
		),
	),
);

// As in a real n8n, the ledger is on: each cell is its own workflow, so cells do not see each other's rows.
beforeAll(() => processedDataStore());

afterAll(() => {
	process.stderr.write(
		`fault matrix: ${CELLS.length} cells = ${ANSWERS.length} answers × ${KINDS.length} kinds × ${MODES.length} modes × ${CONCURRENCIES.length} concurrencies\n`,
	);
});

type Claimed = 'done' | 'rejected' | 'notSent' | 'unknown' | 'failed';

/** What the node says of each item: from its outputs, or from the error of a stopped run. */
function claims(
	output: INodeExecutionData[],
	errorOutput: INodeExecutionData[],
	error: ExecutionError | undefined,
	kind: string,
): Claimed[] {
	const claimed: Array<Claimed | undefined> = Array(ITEMS).fill(undefined);
	for (const item of [...output, ...errorOutput]) {
		const index = (item.pairedItem as { item: number }).item;
		expect(claimed[index]).toBeUndefined(); // one item out per item in
		if (item.json.error !== undefined)
			expect(['rejected', 'notSent', 'unknown', 'failed']).toContain(outcomeOf(item));
		claimed[index] = item.json.error !== undefined ? (outcomeOf(item) as Claimed) : 'done';
	}
	if (error) {
		expect(output).toEqual([]);
		if (kind === 'write') {
			const outcomes = (error.context as { itemOutcomes?: Claimed[] }).itemOutcomes;
			expect(outcomes).toHaveLength(ITEMS);
			return outcomes!;
		}
		return claimed.map(() => 'failed');
	}
	expect(claimed.every((c) => c !== undefined)).toBe(true);
	return claimed as Claimed[];
}

describe('fault matrix', () => {
	test.concurrent.each(CELLS)(
		'%s × %s × %s × %i in flight',
		async (answerName, kind, mode, concurrency) => {
			const sandbox = await startSandbox();
			const other = await startOtherHost();
			try {
				const rule = ANSWERS.find(([name]) => name === answerName)![1]({
					path: kind === 'write' ? REFUND_PATH : RECORD_PATH,
					sandbox: sandbox.url,
					other: other.url,
					closed: `http://127.0.0.1:${await closedPort()}`,
				});
				sandbox.injectFault({
					everyNth: 2,
					...rule,
					path: kind === 'write' ? REFUND_PATH : RECORD_PATH,
				});
				const parameters =
					kind === 'write'
						? {
								resource: 'loan',
								operation: 'initiateRefund',
								loanId: ids.DOCS_LOAN_ID,
								amount: '={{ $json.amount }}',
								refundType: 'cashback_refund',
							}
						: { resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID };
				const result = await runWorkflow({
					parameters: { ...parameters, options: { concurrency, requestTimeout: TIMEOUT_SECONDS } },
					items: Array.from({ length: ITEMS }, (_, i) => ({ amount: i + 1 })),
					credentials: { baseUrl: sandbox.url, accessToken: SANDBOX_TOKEN },
					workflowId: `${answerName}|${kind}|${mode}|${concurrency}`,
					...(mode === 'stop' ? {} : { onError: mode }),
				});

				// The token went nowhere else, and is in no output, error or run data.
				expect(other.requests).toEqual([]);
				expect(
					sandbox.requests.every((r) => r.headers.authorization === `Bearer ${SANDBOX_TOKEN}`),
				).toBe(true);
				for (const text of [
					JSON.stringify(result.run),
					JSON.stringify(result.error ?? {}),
					String(result.error?.description ?? ''),
				]) {
					expect(text).not.toContain(SANDBOX_TOKEN);
				}

				// Every item's outcome is there, paired, and true to what Crego did.
				const claimed = claims(result.output, result.errorOutput, result.error, kind);
				if (kind === 'write') {
					for (let item = 0; item < ITEMS; item++) {
						const received: RecordedRequest[] = sandbox.requests.filter(
							(r) => r.method === 'POST' && r.body.amount === item + 1,
						);
						const worked = received.filter((r) => r.didWork).length;
						expect(received.filter((r) => r.status !== 429).length).toBeLessThanOrEqual(1);
						expect(worked).toBeLessThanOrEqual(1);
						if (claimed[item] === 'done') expect(worked).toBe(1);
						if (claimed[item] === 'rejected' || claimed[item] === 'notSent') expect(worked).toBe(0);
					}
				} else {
					expect(claimed.every((c) => c === 'done' || c === 'failed')).toBe(true);
					// A read that succeeded shows what Crego answered: the record, or the odd body kept as text.
					for (const item of result.output) {
						if (item.json.error === undefined && 'id' in item.json)
							expect(item.json.id).toBe(ids.DOCS_RECORD_ID);
					}
					expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true);
				}
			} finally {
				await other.stop();
				await sandbox.stop();
			}
		},
	);
});
