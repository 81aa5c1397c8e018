/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The outside review's cases, one test each: every one broke the node's promises before
 * this release (money at most once, the token only to its own host, every row's
 * outcome known). The sandbox's request log, and that of a second host on 127.0.0.2,
 * are the witnesses.
 */
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';

import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';

import { ids, SANDBOX_TOKEN } from './helpers/sandbox';
import { closedPort, startOtherHost, type OtherHost } from './helpers/otherHost';
import { processPayoutFromRows } from './helpers/parameters';
import { useSandbox } from './helpers/useSandbox';
import { outcomeOf } from './helpers/outcome';

const sandbox = useSandbox();
let other: OtherHost;
beforeAll(async () => {
	other = await startOtherHost();
});
afterAll(() => other.stop());
beforeEach(() => {
	other.requests.length = 0;
});

const REFUND_PATH = `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`;
const RECORD_PATH = `/v1/lms/records/${ids.DOCS_RECORD_ID}/`;
const refund = (options: Record<string, unknown> = {}, amount: unknown = 1500) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount,
	refundType: 'cashback_refund',
	options,
});
const getRecord = (options: Record<string, unknown> = {}) => ({
	resource: 'record',
	operation: 'get',
	recordId: ids.DOCS_RECORD_ID,
	options,
});
const apiRequest = (fields: Record<string, unknown>) => ({
	resource: 'apiRequest',
	operation: 'send',
	...fields,
});
const writesTo = (path: string) =>
	sandbox.requests.filter((r) => r.method !== 'GET' && r.path === path);

describe('redirects', () => {
	test('a read redirected (302) to another host: not followed, the token stays home, the error names the host', async () => {
		sandbox.injectFault({ path: RECORD_PATH, status: 302, location: `${other.url}/steal` });
		const result = await sandbox.run(getRecord());
		expect(other.requests).toEqual([]);
		expect(result.error?.message).toBe(
			`Item 0: Crego redirected the request (HTTP 302) to another host, ${new URL(other.url).host}: not followed, so the access token was not sent there`,
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	test("a read redirected (301) within the Base URL's host: followed, with the token, and the record comes", async () => {
		sandbox.injectFault({ path: '/v1/lms/records/old/', status: 301, location: RECORD_PATH });
		const result = await sandbox.run(apiRequest({ method: 'GET', path: '/v1/lms/records/old/' }));
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.id).toBe(ids.DOCS_RECORD_ID);
		expect(sandbox.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
			['/v1/lms/records/old/', `Bearer ${SANDBOX_TOKEN}`],
			[RECORD_PATH, `Bearer ${SANDBOX_TOKEN}`],
		]);
	});

	test('a read redirected in a loop within the host: stops after 5 redirects', async () => {
		sandbox.injectFault({ path: RECORD_PATH, times: 0, status: 302, location: RECORD_PATH });
		const result = await sandbox.run(getRecord());
		expect(result.error?.message).toBe('Item 0: Crego redirected the request more than 5 times');
		expect(sandbox.requests).toHaveLength(6);
	});

	test('a refund answered 307 to another host: neither the body nor the token goes there, and the row is not "done"', async () => {
		sandbox.injectFault({ path: REFUND_PATH, status: 307, location: `${other.url}${REFUND_PATH}` });
		const result = await sandbox.run(refund(), { onError: 'continueRegularOutput' });
		expect(other.requests).toEqual([]);
		expect(result.output[0].json).toMatchObject({ message: { outcome: 'unknown' } });
		expect(result.output[0].json.error).toMatch(
			/^Item 0: Outcome unknown: Crego answered HTTP 307 \(a redirect to http:\/\/127\.0\.0\.2:\d+\/v1\/lms\/loans\/.*\/refunds\/\) instead of a result$/,
		);
		expect(writesTo(REFUND_PATH)).toHaveLength(1);
	});

	test('a refund Crego did, answered 303 to a closed port: sent once, and reported as unknown (never "safe to send again")', async () => {
		const port = await closedPort();
		sandbox.injectFault({
			path: REFUND_PATH,
			status: 303,
			process: true,
			location: `http://127.0.0.1:${port}/v1/lms/payouts/x/`,
		});
		const result = await sandbox.run(refund(), { onError: 'continueRegularOutput' });
		expect(writesTo(REFUND_PATH)).toHaveLength(1);
		expect(sandbox.requests[0].didWork).toBe(true);
		expect(outcomeOf(result.output[0])).toBe('unknown');
		expect(JSON.stringify(result.output[0].json)).not.toMatch(/safe to send it again/);
	});

	test('a POST to a path without its trailing slash answered 301 (Django APPEND_SLASH): not turned into a GET, not "done"', async () => {
		sandbox.injectFault({
			path: '/v1/lms/payouts/add_tranche',
			status: 301,
			location: '/v1/lms/payouts/add_tranche/',
		});
		const result = await sandbox.run(
			apiRequest({
				method: 'POST',
				path: '/v1/lms/payouts/add_tranche',
				jsonBody: JSON.stringify({ loan_id: ids.DOCS_TRANCHE_LOAN_ID, amount: 5000 }),
			}),
			{ onError: 'continueRegularOutput' },
		);
		expect(sandbox.requests.map((r) => r.method)).toEqual(['POST']);
		expect(outcomeOf(result.output[0])).toBe('unknown');
	});
});

describe('pages', () => {
	test.each([
		['typed', 'POST'],
		['from an expression', '={{ "POST" }}'],
	])(
		'Follow Pages set on a POST (%s) is not honoured: the write is sent once, even when answered with a page',
		async (_label, method) => {
			sandbox.injectFault({
				path: '/v1/lms/things/',
				times: 0,
				status: 200,
				body: { count: 30, current_page: 1, page_size: 15, results: [{ id: 'a' }] },
			});
			const result = await sandbox.run(
				apiRequest({
					method,
					path: '/v1/lms/things/',
					jsonBody: '{}',
					options: { followPages: true },
				}),
			);
			expect(result.error).toBeUndefined();
			expect(sandbox.requests.map((r) => r.method)).toEqual(['POST']);
			expect(result.output).toHaveLength(1);
			expect(result.output[0].json.count).toBe(30);
		},
	);

	const page = (current: number, count: number, results: unknown[]) => ({
		status: 200,
		body: { count, current_page: current, page_size: 2, results },
	});

	test('rows identical to rows of an earlier page are kept (they have no id), and a 404 "Invalid page." ends the listing', async () => {
		sandbox.injectFault({ path: '/v1/lms/things/', ...page(1, 5, [{ amount: 1 }, { amount: 2 }]) });
		sandbox.injectFault({ path: '/v1/lms/things/', ...page(2, 5, [{ amount: 1 }, { amount: 3 }]) });
		sandbox.injectFault({
			path: '/v1/lms/things/',
			status: 404,
			body: { detail: 'Invalid page.' },
		});
		const result = await sandbox.run(
			apiRequest({ method: 'GET', path: '/v1/lms/things/', options: { followPages: true } }),
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((o) => o.json.amount)).toEqual([1, 2, 1, 3]);
		expect(sandbox.requests.map((r) => r.query.page)).toEqual([undefined, '2', '3']);
	});

	test('an empty last page ends the listing', async () => {
		sandbox.injectFault({ path: '/v1/lms/things/', ...page(1, 3, [{ id: 'a' }, { id: 'b' }]) });
		sandbox.injectFault({ path: '/v1/lms/things/', ...page(2, 3, []) });
		const result = await sandbox.run(
			apiRequest({ method: 'GET', path: '/v1/lms/things/', options: { followPages: true } }),
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((o) => o.json.id)).toEqual(['a', 'b']);
	});
});

describe('outcomes under every mode', () => {
	test('Validate Only given as the text "true" by an expression sends nothing', async () => {
		const result = await sandbox.run(refund({ validateOnly: '={{ $json.dryRun }}' }), {
			items: [{ dryRun: 'true' }],
		});
		expect(sandbox.requests).toEqual([]);
		expect(result.output[0].json).toMatchObject({ validateOnly: true, method: 'POST' });
	});

	test('an option an expression makes invalid refuses the run, naming option, item and value', async () => {
		const result = await sandbox.run(refund({ validateOnly: '={{ "perhaps" }}' }));
		expect(result.error?.message).toBe(
			'Item 0: Validate Only is neither true nor false: "perhaps"',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('stopping with writes in flight: the error lists the done items and the in-flight item whose outcome became unknown', async () => {
		const [loanA, loanB, loanC] = ids.DEMO_LOAN_IDS;
		sandbox.injectFault({ path: `/v1/lms/loans/${loanA}/refunds/`, delayMs: 100 });
		sandbox.injectFault({
			path: `/v1/lms/loans/${loanB}/refunds/`,
			status: 400,
			body: { amount: ['Too large.'] },
		});
		sandbox.injectFault({
			path: `/v1/lms/loans/${loanC}/refunds/`,
			delayMs: 200,
			status: 503,
			body: '',
		});
		const result = await sandbox.run(
			{ ...refund({ concurrency: 3 }), loanId: '={{ $json.loan }}' },
			{ items: [{ loan: loanA }, { loan: loanB }, { loan: loanC }, { loan: ids.DOCS_LOAN_ID }] },
		);
		const ref = sandbox.requests.find((r) => r.path.includes(loanA))?.response.ref_id;
		expect(result.error?.message).toBe(
			`Item 1: Crego refused Amount: Too large [already done: item 0 (${ref}); outcome unknown: item 2]`,
		);
		expect(result.error?.description).toMatch(
			/Outcome unknown \(check in Crego before sending again\): item 2\.\nNot sent \(safe to send again\): item 3\./,
		);
		expect(result.error?.context.itemOutcomes).toEqual(['done', 'rejected', 'unknown', 'notSent']);
		expect(sandbox.requests).toHaveLength(3);
	});

	test('a 5xx with JSON nested thousands of levels deep: the row keeps its outcome, and a loop does not send it again', async () => {
		const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
		sandbox.injectFault({
			path: REFUND_PATH,
			status: 500,
			body: deep,
			contentType: 'application/json',
		});
		const result = await sandbox.run(refund({}, '={{ $json.amount }}'), {
			items: [{ amount: 10 }, { amount: 10 }],
			batchSize: 1,
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((o) => outcomeOf(o))).toEqual(['unknown', 'notSent']);
		expect(String(result.output[0].json.error)).toMatch(
			/^Item 0: Outcome unknown: Crego had a server error \(HTTP 500\)$/,
		);
		expect(writesTo(REFUND_PATH)).toHaveLength(1);
	});

	test('a 2xx with JSON nested thousands of levels deep: done, kept as text', async () => {
		const deep = `${'['.repeat(10000)}${']'.repeat(10000)}`;
		sandbox.injectFault({
			path: REFUND_PATH,
			status: 201,
			body: deep,
			contentType: 'application/json',
			process: true,
		});
		const result = await sandbox.run(refund());
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ statusCode: 201 });
		expect(String(result.output[0].json.responseText).length).toBeLessThanOrEqual(64 * 1024);
	});

	test('three unknown outcomes in a row (rows 0-2) stop new writes, though successes started later arrive in between', async () => {
		// Rows 0 and 1 fail at once, row 2 fails late; meanwhile later rows succeed.
		sandbox.injectFault({ path: '/v1/lms/loans/*', times: 2, status: 502, body: '' });
		sandbox.injectFault({ path: '/v1/lms/loans/*', times: 1, delayMs: 200, status: 502, body: '' });
		sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 50 });
		// Four loans, so rows can be in flight together (rows of one loan never are).
		const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
		const result = await sandbox.run(
			{ ...refund({ concurrency: 10 }, '={{ $json.amount }}'), loanId: '={{ $json.loan }}' },
			{
				items: Array.from({ length: 100 }, (_, i) => ({
					amount: i + 1,
					loan: loans[i % loans.length],
				})),
				onError: 'continueRegularOutput',
			},
		);
		const outcomes = result.output.map((o) => outcomeOf(o) ?? 'done');
		expect(outcomes.slice(0, 3)).toEqual(['unknown', 'unknown', 'unknown']);
		// Rows are started in order: once the breaker trips, every later row is not sent.
		const firstNotSent = outcomes.indexOf('notSent');
		expect(firstNotSent).toBeGreaterThan(3);
		expect(outcomes.slice(3, firstNotSent).every((o) => o === 'done')).toBe(true);
		expect(outcomes.slice(firstNotSent).every((o) => o === 'notSent')).toBe(true);
		expect(sandbox.requests).toHaveLength(firstNotSent);
	});

	test('three unknown outcomes in a row stop the writes of later batches of a loop too', async () => {
		sandbox.injectFault({ path: REFUND_PATH, times: 0, status: 504, body: '' });
		const result = await sandbox.run(refund({}, '={{ $json.amount }}'), {
			items: Array.from({ length: 6 }, (_, i) => ({ amount: i + 1 })),
			batchSize: 1,
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests).toHaveLength(3);
		expect(result.output.map((o) => outcomeOf(o))).toEqual([
			'unknown',
			'unknown',
			'unknown',
			'notSent',
			'notSent',
			'notSent',
		]);
	});

	test.each([
		['Retry On Fail on a write', { retryOnFail: true }, refund(), /^Turn off "Retry On Fail"/],
		[
			'an invalid run option',
			{},
			refund({ concurrency: '={{ "lots" }}' }),
			/^Item 0: Concurrent Requests is not a whole number: "lots"$/,
		],
	])(
		'%s under "Continue": every item is an error item, never an input row passed on as a success',
		async (_label, settings, parameters, message) => {
			for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
				const result = await sandbox.run(parameters, {
					items: [{ row: 1 }, { row: 2 }],
					onError,
					...settings,
				});
				const items = onError === 'continueErrorOutput' ? result.errorOutput : result.output;
				if (onError === 'continueErrorOutput') expect(result.output).toEqual([]);
				expect(items.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
				for (const item of items) {
					expect(item.json.error).toMatch(message);
					expect(outcomeOf(item)).toBe('notSent');
				}
			}
			expect(sandbox.requests).toEqual([]);
		},
	);

	test('Request Timeout bounds the whole answer: a server trickling a byte every 400 ms is cut off (its 201 came first: done)', async () => {
		sandbox.injectFault({ path: REFUND_PATH, trickleMs: 400, process: true });
		const result = await sandbox.run(refund({ requestTimeout: 1 }), {
			onError: 'continueRegularOutput',
		});
		expect(result.output[0].json.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({
			statusCode: 201,
			responseNotRead:
				'Crego answered HTTP 201, but its body did not arrive within the Request Timeout.',
		});
		// The payout is a few hundred bytes: at 400 ms a byte, only the deadline can have ended it early.
		const first = sandbox.requests[0];
		expect(first.completed).toBeUndefined();
		expect(first.bytesSent).toBeLessThan(10);
	});
});

describe('the duplicate guard compares what Crego compares', () => {
	test('UTRs differing only in case or spaces are the same UTR', async () => {
		const result = await sandbox.run(processPayoutFromRows, {
			items: [
				{ payout: ids.DEMO_PAYOUT_IDS[0], utr: 'hdfc0001234' },
				{ payout: ids.DEMO_PAYOUT_IDS[1], utr: ' HDFC 0001 234 ' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.output[1].json.error).toBe(
			'Item 1: Not sent: duplicate of item 0 (same UTR (ignoring case and spaces))',
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	const post = (jsonBody: string, query: Array<{ name: string; value: string }> = []) => ({
		...apiRequest({
			method: 'POST',
			path: '/v1/lms/payouts/add_tranche/',
			jsonBody: '={{ $json.body }}',
		}),
		queryParameters: { parameter: query },
		jsonBody,
	});

	test.each([
		[
			'the same fields in another order',
			'{"loan_id": "L1", "amount": 1500}',
			'{"amount": 1500, "loan_id": "L1"}',
		],
		['1500 and "1500"', '{"loan_id": "L1", "amount": 1500}', '{"loan_id": "L1", "amount": "1500"}'],
		[
			'1500 and 1500.00',
			'{"loan_id": "L1", "amount": 1500}',
			'{"loan_id": "L1", "amount": 1500.00}',
		],
	])('API Request bodies with %s are the same write', async (_label, first, second) => {
		const result = await sandbox.run(
			{ ...post('={{ $json.body }}') },
			{ items: [{ body: first }, { body: second }], onError: 'continueRegularOutput' },
		);
		expect(result.output[1].json.error).toBe(
			'Item 1: Not sent: duplicate of item 0 (same method, path, query and body)',
		);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('the same body with different query parameters is a different write', async () => {
		const result = await sandbox.run(
			post('{"amount": 1}', [{ name: 'batch', value: '={{ $json.batch }}' }]),
			{
				items: [{ batch: '1' }, { batch: '2' }],
				onError: 'continueRegularOutput',
			},
		);
		expect(
			result.output.map((o) => String(o.json.error ?? '')).filter((e) => e.includes('duplicate')),
		).toEqual([]);
		expect(sandbox.requests).toHaveLength(2);
	});
});

describe('values arrive typed, from expressions, or as sheet text: one reading each', () => {
	const loanParams = (fields: Record<string, unknown>) => ({
		resource: 'account',
		operation: 'updateLoanParams',
		leadId: ids.DEMO_LOAN_IDS[0],
		programId: ids.DEMO_LOAN_IDS[1],
		updateFields: fields,
	});

	test.each([
		['0x10', { emiCount: '0x10' }, /^Item 0: EMI Count is not a whole number: "0x10"$/],
		[
			'0b11',
			{ flatRoiValue: '0b11' },
			/^Item 0: Flat ROI is not a plain decimal \(hex, binary and exponent forms are not sent\): "0b11"$/,
		],
		['1e3', { pfValue: '1e3' }, /^Item 0: Processing Fee is not a plain decimal/],
		[
			'1e308',
			{ approvedLineAmount: 1e308 },
			/^Item 0: Approved Line Amount is not a plain decimal/,
		],
	])('Update Loan Params refuses %s', async (_label, fields, message) => {
		const result = await sandbox.run(loanParams(fields));
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requests).toEqual([]);
	});

	test.each([5e-324, 0.001, '1e-7'])(
		'an amount of %p is refused (below 0.01, or not a plain decimal)',
		async (amount) => {
			const result = await sandbox.run(refund({}, amount));
			expect(result.error?.message).toMatch(
				/^Item 0: Amount (must be at least 0\.01|is not a plain decimal)/,
			);
			expect(sandbox.requests).toEqual([]);
		},
	);

	test.each([
		'2023-08-28T10:00:00+99:99',
		'2023-08-28T10:00:00-13:00',
		'2023-08-28T10:00:00+05:60',
	])('a date with the offset in %s is refused', async (processedAt) => {
		const result = await sandbox.run({
			resource: 'payout',
			operation: 'process',
			payoutId: ids.DOCS_PAYOUT_ID,
			utr: 'UTR1',
			processedAt,
			debitBankId: ids.DOCS_DEBIT_BANK_ID,
		});
		expect(result.error?.message).toMatch(/^Item 0: Processed At has an impossible UTC offset/);
		expect(sandbox.requests).toEqual([]);
	});

	test('an API Request JSON Body with a number JavaScript would round is refused, not rounded', async () => {
		const result = await sandbox.run(
			apiRequest({
				method: 'POST',
				path: '/v1/lms/payouts/add_tranche/',
				jsonBody: '{"account_no": 12345678901234567890}',
			}),
		);
		expect(result.error?.message).toMatch(
			/^Item 0: JSON Body has a number that cannot be sent exactly \(12345678901234567890\)/,
		);
		expect(sandbox.requests).toEqual([]);
	});

	test.each(['DELETE', 'TRACE', 'get; DELETE'])(
		'an expression cannot make API Request send %s',
		async (verb) => {
			const result = await sandbox.run(
				apiRequest({ method: `={{ ${JSON.stringify(verb)} }}`, path: '/v1/lms/loans/' }),
			);
			expect(result.error?.message).toBe(
				`Item 0: Method is not a method this node sends: ${JSON.stringify(verb)}`,
			);
			expect(sandbox.requests).toEqual([]);
		},
	);

	test('an expression giving "post" in lower case is read as POST', async () => {
		await sandbox.run(
			apiRequest({
				method: '={{ "post" }}',
				path: '/v1/lms/payouts/add_tranche/',
				jsonBody: `{"loan_id": "${ids.DOCS_TRANCHE_LOAN_ID}", "amount": 10}`,
			}),
		);
		expect(sandbox.requests.map((r) => r.method)).toEqual(['POST']);
	});

	test('Simplify keeps every digit of 123456789012.34', async () => {
		sandbox.injectFault({
			path: RECORD_PATH,
			status: 200,
			body: {
				id: ids.DOCS_RECORD_ID,
				amount: 123456789012.34,
				remaining_amount: 36673.740000000005,
			},
		});
		const result = await sandbox.run(getRecord());
		expect(result.output[0].json).toMatchObject({
			amount: 123456789012.34,
			remaining_amount: 36673.74,
		});
	});

	test('a "__proto__" key in an answer is kept by Simplify, and changes no prototype', async () => {
		sandbox.injectFault({
			path: '/v1/lms/things/',
			status: 200,
			body: '{"__proto__": {"polluted": true}, "a": 1}',
			contentType: 'application/json',
		});
		const result = await sandbox.run(apiRequest({ method: 'GET', path: '/v1/lms/things/' }));
		const json = result.output[0].json;
		expect(Object.keys(json)).toEqual(['__proto__', 'a']);
		expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test('an answer with an integer JavaScript would round keeps its exact digits', async () => {
		sandbox.injectFault({
			path: '/v1/lms/things/',
			status: 200,
			body: '{"numeric_ref_id": 12345678901234567890, "index": 7}',
			contentType: 'application/json',
		});
		const result = await sandbox.run(apiRequest({ method: 'GET', path: '/v1/lms/things/' }));
		expect(result.output[0].json).toEqual({ numeric_ref_id: '12345678901234567890', index: 7 });
	});
});

describe('the token never leaves in words', () => {
	test.each([
		['a 400 that echoes the Authorization header', 400],
		['a 500 that echoes it', 500],
		['a 200 that echoes it', 200],
	])('%s: the token is cut out of messages, descriptions and output', async (_label, status) => {
		sandbox.injectFault({
			path: RECORD_PATH,
			status,
			body: { detail: `Bad header: Authorization: Bearer ${SANDBOX_TOKEN}`, token: SANDBOX_TOKEN },
		});
		const result = await sandbox.run(
			{ ...getRecord(), simple: false },
			{ onError: 'continueRegularOutput' },
		);
		const everything = JSON.stringify(result.run) + JSON.stringify(result.output);
		expect(everything).not.toContain(SANDBOX_TOKEN);
		expect(everything).toContain('Bearer [redacted]');
	});
});

describe('failures before anything is sent', () => {
	test('a TLS certificate the machine does not trust: nothing was sent, so the write is "notSent", and not tried again', async () => {
		const tls = path.join(__dirname, 'fixtures/tls');
		let connections = 0;
		let requests = 0;
		const server = https.createServer(
			{
				key: fs.readFileSync(path.join(tls, 'untrusted-key.pem')),
				cert: fs.readFileSync(path.join(tls, 'untrusted-cert.pem')),
			},
			(_incoming, outgoing) => {
				requests++;
				outgoing.end('{}');
			},
		);
		server.on('connection', () => connections++);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const baseUrl = `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
			const write = await sandbox.run(refund(), {
				credentials: { baseUrl, accessToken: SANDBOX_TOKEN },
				onError: 'continueRegularOutput',
			});
			expect(write.output[0].json).toMatchObject({
				error: `Item 0: Not sent: could not reach Crego at ${baseUrl}: the server's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)`,
				message: { outcome: 'notSent', moneyMoved: 'no', item: 0, loan_id: ids.DOCS_LOAN_ID },
			});
			const read = await sandbox.run(getRecord(), {
				credentials: { baseUrl, accessToken: SANDBOX_TOKEN },
				onError: 'continueRegularOutput',
			});
			expect(outcomeOf(read.output[0])).toBe('failed');
			expect({ connections, requests }).toEqual({ connections: 2, requests: 0 });
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	test("an address n8n's SSRF protection blocks: nothing was sent, so the write is 'notSent', and not tried again", async () => {
		const config = Container.get(SsrfProtectionConfig);
		config.enabled = true;
		try {
			const write = await sandbox.run(refund(), { onError: 'continueRegularOutput' });
			expect(write.output[0].json).toMatchObject({
				error: `Item 0: Not sent: could not reach Crego at ${sandbox.url}: n8n's SSRF protection blocked the address (an n8n administrator can allow the Crego host)`,
				message: { outcome: 'notSent', moneyMoved: 'no', item: 0, loan_id: ids.DOCS_LOAN_ID },
			});
			const read = await sandbox.run(getRecord(), { onError: 'continueRegularOutput' });
			expect(outcomeOf(read.output[0])).toBe('failed');
			expect(sandbox.requests).toEqual([]);
		} finally {
			config.enabled = false;
		}
	});

	test.each([' leading space', 'line\nbreak', ''])(
		'an access token %j is refused before any request',
		async (accessToken) => {
			const result = await sandbox.run(refund(), {
				credentials: { baseUrl: sandbox.url, accessToken },
			});
			expect(result.error?.message).toBe(
				'The Access Token of the Crego credential is empty or contains spaces or line breaks',
			);
			expect(sandbox.requests).toEqual([]);
		},
	);
});
