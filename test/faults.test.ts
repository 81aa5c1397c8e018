/**
 * Faults × reads and writes. The sandbox misbehaves on cue; the node must tell, for every
 * item, whether Crego did it (done), certainly did not (rejected, not sent), or may have
 * (unknown) — and the sandbox's request log is the witness that a write was sent at most
 * once, and a read at most the retry limit.
 */
import { ids, SANDBOX_TOKEN, type FaultRule } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';
import { outcomeOf } from './helpers/outcome';
import { processPayoutFromRows, RECORD_PATH, REFUND_PATH } from './helpers/parameters';

const sandbox = useSandbox();

const refund = (options: Record<string, unknown> = {}) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount: 1,
	refundType: 'cashback_refund',
	options,
});
const getRecord = (options: Record<string, unknown> = {}) => ({
	resource: 'record',
	operation: 'get',
	recordId: ids.DOCS_RECORD_ID,
	options,
});
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';

/** Runs one item with one fault, and returns the error, the output and what the sandbox received. */
async function runWithFault(parameters: Record<string, unknown>, fault: FaultRule) {
	sandbox.injectFault(fault);
	const result = await sandbox.run(parameters);
	const serialized = JSON.stringify(result.run);
	expect(serialized).not.toContain(SANDBOX_TOKEN);
	expect(serialized).not.toMatch(/authorization/i);
	return { error: result.error, output: result.output, requests: sandbox.requests };
}

describe('a write (Initiate Refund) meets a fault', () => {
	test.each([
		[
			'a field error',
			{ status: 400, body: { amount: ['Ensure this value is greater than or equal to 1.'] } },
			'Item 0: Amount must be more than or equal to 1: 1',
			'400',
		],
		[
			'a non-field error',
			{ status: 400, body: { non_field_errors: ['Refund exceeds the cashback balance.'] } },
			'Item 0: Crego rejected the request: Refund exceeds the cashback balance',
			'400',
		],
		[
			'a 404',
			{ status: 404, body: { detail: 'Not found.' } },
			`Item 0: Crego has no loan ${ids.DOCS_LOAN_ID} (Loan ID)`,
			'404',
		],
		[
			'a 403',
			{ status: 403, body: { detail: 'You do not have permission to perform this action.' } },
			"Item 0: Crego denied permission: the token's user may not do this",
			'403',
		],
		[
			'a malformed 400 body',
			{ status: 400, body: '{"amount": ["Ensure', contentType: 'application/json' },
			'Item 0: Crego rejected the request: {"amount": ["Ensure',
			'400',
		],
	])(
		'%s: rejected — sent once, safe to fix and re-run',
		async (_label, fault, message, httpCode) => {
			const { error, requests } = await runWithFault(refund(), { path: REFUND_PATH, ...fault });
			expect(error).toMatchObject({
				name: 'NodeApiError',
				message,
				httpCode,
				context: { itemIndex: 0 },
			});
			expect(error?.description).toMatch(
				/^Crego did not do it: fix the value and send the row again/,
			);
			expect(requests).toHaveLength(1);
			expect(sandbox.state.payouts.size).toBe(3);
		},
	);

	test.each([
		[
			'an HTML 502',
			{ status: 502, body: HTML_502 },
			'Item 0: Outcome unknown: Crego had a server error (HTTP 502)',
		],
		[
			'an empty 500',
			{ status: 500, body: '' },
			'Item 0: Outcome unknown: Crego had a server error (HTTP 500)',
		],
		[
			'a JSON 503',
			{ status: 503, body: { detail: 'Service unavailable' } },
			'Item 0: Outcome unknown: Crego had a server error (HTTP 503)',
		],
		[
			'a reset connection',
			{ reset: true },
			`Item 0: Outcome unknown: the connection was reset before Crego answered from Crego at `,
		],
		[
			'an answer after the timeout',
			{ delayMs: 2500 },
			'Item 0: Outcome unknown: no answer within 1 s from Crego at ',
		],
	])('%s: outcome unknown — sent once, never again', async (_label, fault, message) => {
		const { error, requests } = await runWithFault(refund({ requestTimeout: 1 }), {
			path: REFUND_PATH,
			...fault,
		});
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message.startsWith(message)).toBe(true);
		expect(error?.description).toContain(
			'Crego may or may not have processed the cashback_refund of 1 for loan',
		);
		expect(error?.description).toContain('Check in Crego before sending it again');
		expect(requests).toHaveLength(1);
	});

	test('a reset after Crego did the work: unknown, and indeed the payout exists', async () => {
		const { error, requests } = await runWithFault(refund(), {
			path: REFUND_PATH,
			reset: true,
			process: true,
		});
		expect(error?.message).toMatch(/^Item \d+: Outcome unknown/);
		expect(requests).toHaveLength(1);
		expect(sandbox.state.payouts.size).toBe(4);
	});

	test.each([
		['truncated JSON', { truncate: true }],
		['malformed JSON', { malformed: true }],
	])(
		'a 201 with %s: done — an output item with the raw text, not an error',
		async (_label, fault) => {
			const { error, output, requests } = await runWithFault(refund(), {
				path: REFUND_PATH,
				process: true,
				...fault,
			});
			expect(error).toBeUndefined();
			expect(output).toHaveLength(1);
			expect(output[0].json).toMatchObject({ statusCode: 201 });
			expect(String(output[0].json.responseText)).toContain('"type":"cashback_refund"');
			expect(requests).toHaveLength(1);
		},
	);

	test('a 429 with Retry-After: waits as asked, then sends again, once', async () => {
		const { error, output, requests } = await runWithFault(refund(), {
			path: REFUND_PATH,
			status: 429,
			retryAfter: 1,
			body: { detail: 'Request was throttled.' },
		});
		expect(error).toBeUndefined();
		expect(output[0].json.status).toBe('pending_approval');
		expect(requests.map((r) => r.status)).toEqual([429, 201]);
		expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(950);
	});

	test('429 every time: not processed, after the retry limit, and says it is safe to send later', async () => {
		const { error, requests } = await runWithFault(refund(), {
			path: REFUND_PATH,
			status: 429,
			retryAfter: 0,
			times: 0,
			body: { detail: 'Request was throttled.' },
		});
		expect(error?.message).toBe('Item 0: Not processed: Crego is limiting requests (throttled)');
		expect(error?.description).toMatch(/nothing was done: it is safe to send it again later/);
		expect(requests).toHaveLength(4);
	});

	test('a refused connection: sent again (it never arrived), then "not sent"', async () => {
		const result = await sandbox.run(refund(), {
			credentials: { baseUrl: 'http://127.0.0.1:9', accessToken: SANDBOX_TOKEN },
		});
		expect(result.error?.message).toBe(
			'Item 0: Not sent: could not reach Crego at http://127.0.0.1:9: the connection was refused (tried 4 times)',
		);
		expect(result.error?.description).toMatch(/^Nothing reached Crego, so nothing was done/);
	});

	test('a 401 is sent once: n8n does not resend it', async () => {
		const result = await sandbox.run(refund(), {
			credentials: { baseUrl: sandbox.url, accessToken: 'not-the-token' },
		});
		expect(result.error).toMatchObject({ httpCode: '401' });
		expect(sandbox.requests).toHaveLength(1);
	});

	test('an expired JWT: the 401 says when it expired', async () => {
		const payload = Buffer.from(
			JSON.stringify({ token_type: 'access', exp: 1763600000, user_id: 7 }),
		).toString('base64url');
		const expired = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2lnbmF0dXJl`;
		const result = await sandbox.run(refund(), {
			credentials: { baseUrl: sandbox.url, accessToken: expired },
		});
		expect(result.error?.message).toMatch(
			/^Item 0: Crego refused the access token: it expired at 2025-11-20 06:23 IST \(\d+ hours ago\)$/,
		);
		expect(result.error?.description).toContain('put a fresh one in the Crego credential');
		expect(JSON.stringify(result.run)).not.toContain(expired);
		expect(sandbox.requests).toHaveLength(1);
	});
});

describe('a read (Get Record) meets a fault', () => {
	test.each([
		['a 429 with Retry-After', { status: 429, retryAfter: 0 }],
		['an HTML 502', { status: 502, body: HTML_502 }],
		['a 503', { status: 503, body: { detail: 'Service unavailable' } }],
		['a 504', { status: 504, body: '' }],
		['a reset connection', { reset: true }],
		['an answer after the timeout', { delayMs: 2500 }],
	])('%s once: tried again, and the record comes', async (_label, fault) => {
		const { error, output, requests } = await runWithFault(getRecord({ requestTimeout: 1 }), {
			path: RECORD_PATH,
			...fault,
		});
		expect(error).toBeUndefined();
		expect(output[0].json.id).toBe(ids.DOCS_RECORD_ID);
		expect(requests).toHaveLength(2);
	});

	test.each([
		[
			'a 400',
			{ status: 400, body: { expand: ['Invalid expand.'] } },
			'Item 0: Crego refused Include Payouts: Invalid expand',
			'400',
		],
		[
			'a 404',
			{ status: 404, body: { detail: 'Not found.' } },
			`Item 0: Crego has no record ${ids.DOCS_RECORD_ID} (Record ID)`,
			'404',
		],
		[
			'an empty 500',
			{ status: 500, body: '' },
			'Item 0: Crego had a server error (HTTP 500)',
			'500',
		],
	])('%s: a clear error, not tried again', async (_label, fault, message, httpCode) => {
		const { error, requests } = await runWithFault(getRecord(), { path: RECORD_PATH, ...fault });
		expect(error).toMatchObject({ name: 'NodeApiError', message, httpCode });
		expect(requests).toHaveLength(1);
	});

	test('a 503 every time: an error after the retry limit', async () => {
		const { error, requests } = await runWithFault(getRecord(), {
			path: RECORD_PATH,
			status: 503,
			times: 0,
			body: { detail: 'Down for maintenance' },
		});
		expect(error?.message).toBe('Item 0: Crego had a server error (HTTP 503)');
		expect(error?.description).toMatch(/^Tried 4 times/);
		expect(requests).toHaveLength(4);
	});

	test('a 200 with truncated JSON: the raw text is kept', async () => {
		const { error, output } = await runWithFault(getRecord(), {
			path: RECORD_PATH,
			truncate: true,
			process: true,
		});
		expect(error).toBeUndefined();
		expect(output[0].json).toMatchObject({ statusCode: 200 });
	});
});

describe('many items', () => {
	const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ amount: i + 1 }));
	const refundRows = refund();
	refundRows.amount = '={{ $json.amount }}' as never;

	test('continue on fail: the failed item is an error item in place, every other item goes on', async () => {
		sandbox.injectFault({ path: REFUND_PATH, everyNth: 2, status: 503, body: '' });
		const result = await sandbox.run(refundRows, {
			items: rows(3),
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.output[0].json.status).toBe('pending_approval');
		expect(result.output[1].json.error).toMatch(/^Item \d+: Outcome unknown/);
		expect(outcomeOf(result.output[1])).toBe('unknown');
		expect(result.output[2].json.status).toBe('pending_approval');
		expect(sandbox.requests).toHaveLength(3);
	});

	test('three unknown outcomes in a row: the remaining writes are not sent', async () => {
		sandbox.injectFault({ path: REFUND_PATH, times: 0, status: 502, body: HTML_502 });
		const result = await sandbox.run(refundRows, {
			items: rows(5),
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests).toHaveLength(3);
		expect(
			result.output.map((o) =>
				String(o.json.error)
					.replace(/^Item \d+: /, '')
					.slice(0, 16),
			),
		).toEqual([
			'Outcome unknown:',
			'Outcome unknown:',
			'Outcome unknown:',
			'Not sent: 3 writ',
			'Not sent: 3 writ',
		]);
		expect(outcomeOf(result.output[3])).toBe('notSent');
		expect(result.output[4].json.error).toBe(
			'Item 4: Not sent: 3 writes in a row had an unknown outcome, so the node stopped sending writes for this execution',
		);
	});

	test('stopping half-way: the error lists the items already done, with their ref_id', async () => {
		sandbox.injectFault({
			path: REFUND_PATH,
			everyNth: 3,
			status: 400,
			body: { amount: ['Too large.'] },
		});
		const result = await sandbox.run(refundRows, { items: rows(4) });
		expect(sandbox.requests).toHaveLength(3);
		const refs = sandbox.requests.slice(0, 2).map((r) => r.response.ref_id);
		expect(result.error?.message).toBe(
			`Item 2: Crego refused Amount: Too large [already done: item 0 (${refs[0]}), item 1 (${refs[1]})]`,
		);
		expect(result.error?.description).toMatch(
			new RegExp(
				`^Already done in this run, do not send again: item 0 \\(${refs[0]}\\), item 1 \\(${refs[1]}\\)`,
			),
		);
	});

	test('1,000 items with a fault every 7th request: 1,000 output items, in order, each paired', async () => {
		sandbox.injectFault({
			path: REFUND_PATH,
			everyNth: 7,
			status: 503,
			body: { detail: 'Service unavailable' },
		});
		const result = await sandbox.run(refundRows, {
			items: rows(1000),
			onError: 'continueRegularOutput',
		});
		expect(result.output).toHaveLength(1000);
		expect(result.output.map((o) => o.pairedItem)).toEqual(
			Array.from({ length: 1000 }, (_, item) => ({ item })),
		);
		const failed = result.output.flatMap((o, i) => (o.json.error ? [i] : []));
		expect(failed).toEqual(Array.from({ length: 142 }, (_, k) => 7 * k + 6));
		expect(
			result.output
				.filter((o) => !o.json.error)
				.every((o, k) => o.json.status === 'pending_approval' && k >= 0),
		).toBe(true);
		expect(sandbox.requests).toHaveLength(1000);
		expect(new Set(sandbox.requests.map((r) => (r.body as { amount: number }).amount)).size).toBe(
			1000,
		);
	});
});

describe('no resend by n8n', () => {
	test('Retry On Fail on a write: the node refuses to run, and says why', async () => {
		const result = await sandbox.run(refund(), { retryOnFail: true });
		expect(result.error?.message).toBe(
			'Turn off "Retry On Fail" for this node: it could send payments twice',
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('Retry On Fail on a read is fine', async () => {
		const result = await sandbox.run(getRecord(), { retryOnFail: true });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
	});
});

describe('duplicates', () => {
	const rowsWithRepeat = [
		{ loan: ids.DOCS_LOAN_ID, amount: '100' },
		{ loan: ids.DEMO_LOAN_IDS[0], amount: '100' },
		{ loan: ids.DOCS_LOAN_ID, amount: '100.00' },
	];
	const parameters = { ...refund(), loanId: '={{ $json.loan }}', amount: '={{ $json.amount }}' };

	test('a repeated row stops the run before anything is sent', async () => {
		const result = await sandbox.run(parameters, { items: rowsWithRepeat });
		expect(result.error?.message).toBe(
			'Item 2: Not sent: duplicate of item 0 (same loan, refund type and amount)',
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('continuing on error: the repeat is refused, the others are sent', async () => {
		const result = await sandbox.run(parameters, {
			items: rowsWithRepeat,
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests).toHaveLength(2);
		expect(result.output[2].json.error).toBe(
			'Item 2: Not sent: duplicate of item 0 (same loan, refund type and amount)',
		);
	});

	test('across batches of one execution (a loop): the repeat in a later batch is refused', async () => {
		const result = await sandbox.run(parameters, {
			items: rowsWithRepeat,
			batchSize: 1,
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests).toHaveLength(2);
		expect(result.output).toHaveLength(3);
		expect(result.output[2].json.error).toBe(
			'Item 0: Not sent: duplicate of item 0 of an earlier run of this node in this execution (same loan, refund type and amount)',
		);
	});

	test('a payout is refused twice by payout ID, and separately by UTR', async () => {
		const result = await sandbox.run(processPayoutFromRows, {
			items: [
				{ payout: ids.DOCS_PAYOUT_ID, utr: 'UTR1' },
				{ payout: ids.DOCS_PAYOUT_ID, utr: 'UTR2' },
				{ payout: ids.DEMO_PAYOUT_IDS[0], utr: 'UTR1' },
				{ payout: ids.DEMO_PAYOUT_IDS[1], utr: 'UTR3' },
			],
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((o) => o.json.error ?? 'sent')).toEqual([
			'sent',
			'Item 1: Not sent: duplicate of item 0 (same payout)',
			'Item 2: Not sent: duplicate of item 0 (same UTR (ignoring case and spaces))',
			'sent',
		]);
		expect(sandbox.requests).toHaveLength(2);
	});

	test('the Refuse Duplicates option off: both are sent', async () => {
		const result = await sandbox.run(
			{ ...parameters, options: { duplicateGuard: false } },
			{ items: rowsWithRepeat },
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(3);
	});
});

describe('Validate Only', () => {
	test('checks every item and outputs the requests, sending nothing', async () => {
		const result = await sandbox.run(
			{ ...refund({ validateOnly: true }), amount: '={{ $json.amount }}' },
			{ items: [{ amount: '1,500.00' }, { amount: 'abc' }], onError: 'continueRegularOutput' },
		);
		expect(sandbox.requests).toHaveLength(0);
		expect(result.output[0].json).toEqual({
			validateOnly: true,
			item: 0,
			method: 'POST',
			path: REFUND_PATH,
			body: { amount: 1500, type: 'cashback_refund' },
		});
		expect(result.output[1].json.error).toBe('Item 1: Amount is not a number: "abc"');
		expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('the Base URL must keep the token safe', () => {
	test.each([
		[
			'http://preprod.api.crego.io',
			'The Base URL of the Crego credential uses plain http: the token would travel unencrypted',
		],
		[
			'https://user:pass@preprod.api.crego.io',
			'The Base URL of the Crego credential contains a user name or password',
		],
		[
			'https://preprod.api.crego.io/?token=1',
			'The Base URL of the Crego credential contains a query (?...)',
		],
		[
			'https://preprod.api.crego.io/#x',
			'The Base URL of the Crego credential contains a fragment (#...)',
		],
		['preprod.api.crego.io', 'The Base URL of the Crego credential is not an absolute URL'],
		['ftp://preprod.api.crego.io', 'The Base URL of the Crego credential uses ftp, not https'],
	])('%s is refused before any request', async (baseUrl, message) => {
		const result = await sandbox.run(refund(), {
			credentials: { baseUrl, accessToken: SANDBOX_TOKEN },
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message.startsWith(message)).toBe(true);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each(['http://localhost', 'http://127.0.0.1', 'http://[::1]'])(
		'%s (this machine) may use plain http',
		async (host) => {
			const port = new URL(sandbox.url).port;
			const result = await sandbox.run(getRecord(), {
				credentials: { baseUrl: `${host}:${port}`, accessToken: SANDBOX_TOKEN },
			});
			expect(result.error?.message ?? '').not.toMatch(/Base URL/);
		},
	);
});
