/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * What the user sees when Crego says no, or says nothing: a NodeApiError with the HTTP
 * status and Crego's message, one request per item (never a resend), continue-on-fail
 * keeping every other item, and never the token.
 */
import http from 'node:http';

import { ids, WRONG_TOKEN } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const UNKNOWN_LOAN = '00000000-0000-4000-8000-000000000000';
const refund = (loanId: string) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId,
	amount: 1,
	refundType: 'cashback_refund',
});

test('a 404 keeps its status and Crego message, and names the item', async () => {
	const result = await sandbox.run(refund(UNKNOWN_LOAN));
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error?.message).toBe(`Item 0: Crego has no loan ${UNKNOWN_LOAN} (Loan ID)`);
	expect(result.error).toMatchObject({ httpCode: '404', context: { itemIndex: 0 } });
	expect(result.error?.description).toContain(
		`HTTP 404 to POST /v1/lms/loans/${UNKNOWN_LOAN}/refunds/`,
	);
	expect(sandbox.requests).toHaveLength(1);
});

test("a 400 lists Crego's field messages", async () => {
	const result = await sandbox.run({
		resource: 'payout',
		operation: 'process',
		payoutId: ids.DOCS_PAYOUT_ID,
		utr: 'UTR1',
		processedAt: '2023-08-28',
		debitBankId: UNKNOWN_LOAN,
	});
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error?.message).toBe(
		`Item 0: Crego has no debit bank account ${UNKNOWN_LOAN} (Debit Bank ID)`,
	);
	expect(result.error).toMatchObject({ httpCode: '400' });
	expect(sandbox.requests).toHaveLength(1);
});

test('a wrong token: one request (n8n does not resend the write), a clear message, no token anywhere', async () => {
	const wrongToken = WRONG_TOKEN;
	const result = await sandbox.run(refund(ids.DOCS_LOAN_ID), {
		credentials: { baseUrl: sandbox.url, accessToken: wrongToken },
	});
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error?.message).toBe('Item 0: Crego refused the access token');
	expect(result.error?.description).toContain('Access Token in the Crego credential');
	expect(result.error).toMatchObject({ httpCode: '401' });
	expect(sandbox.requests).toHaveLength(1);
	expect(sandbox.requests[0].headers.authorization).toBe(`Bearer ${wrongToken}`);
	expect(JSON.stringify(result.run)).not.toContain(wrongToken);
	expect(JSON.stringify(result.error)).not.toContain(wrongToken);
});

test('continue on fail: the failed item becomes an error item, the others go on', async () => {
	const loans = [ids.DOCS_LOAN_ID, UNKNOWN_LOAN, ids.DEMO_LOAN_IDS[0]];
	const result = await sandbox.run(refund('={{ $json.loan }}'), {
		items: loans.map((loan) => ({ loan })),
		onError: 'continueRegularOutput',
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.requests).toHaveLength(3);
	expect(result.output).toHaveLength(3);
	expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(result.output[0].json.status).toBe('pending_approval');
	expect(result.output[1].json).toMatchObject({
		error: `Item 1: Crego has no loan ${UNKNOWN_LOAN} (Loan ID)`,
		message: { outcome: 'rejected' },
	});
	expect(result.output[1].pairedItem).toEqual({ item: 1 });
	expect(result.output[2].json.status).toBe('pending_approval');
	expect(JSON.stringify(result.run)).not.toContain(sandbox.token);
});

test('continue with error output: the failed item goes to the error output', async () => {
	const loans = [UNKNOWN_LOAN, ids.DOCS_LOAN_ID];
	const result = await sandbox.run(refund('={{ $json.loan }}'), {
		items: loans.map((loan) => ({ loan })),
		onError: 'continueErrorOutput',
	});
	expect(result.output.map((o) => o.pairedItem)).toEqual([{ item: 1 }]);
	expect(result.errorOutput.map((o) => o.pairedItem)).toEqual([{ item: 0 }]);
	expect(result.errorOutput[0].json.error).toBe(
		`Item 0: Crego has no loan ${UNKNOWN_LOAN} (Loan ID)`,
	);
});

test('a server that is not there: the error says so and names the base URL', async () => {
	const closed = http.createServer();
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
	const { port } = closed.address() as { port: number };
	await new Promise((resolve) => closed.close(resolve));

	const result = await sandbox.run(
		{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
		{ credentials: { baseUrl: `http://127.0.0.1:${port}`, accessToken: sandbox.token } },
	);
	expect(result.error?.name).toBe('NodeApiError');
	// A read is tried again while the failure may pass: four attempts in all.
	expect(result.error?.message).toBe(
		`Item 0: Could not reach Crego at http://127.0.0.1:${port}: the connection was refused (tried 4 times)`,
	);
	expect(JSON.stringify(result.run)).not.toContain(sandbox.token);
});

describe('answers that are not JSON', () => {
	// A stand-in for a proxy in front of Crego: it answers each path with a fixed reply
	// and records what it received.
	const replies: Record<string, { status: number; type: string; body: string }> = {
		[`/v1/lms/records/${ids.DOCS_RECORD_ID}/`]: {
			status: 502,
			type: 'text/html',
			body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
		},
		[`/v1/lms/records/${ids.DEMO_RECORD_IDS[0]}/`]: { status: 500, type: 'text/plain', body: '' },
		[`/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`]: {
			status: 201,
			type: 'text/plain',
			body: 'Created',
		},
	};
	const received: string[] = [];
	const proxy = http.createServer((req, res) => {
		received.push(`${req.method} ${req.url}`);
		const reply = replies[(req.url ?? '').split('?')[0]] ?? {
			status: 404,
			type: 'text/plain',
			body: 'no',
		};
		res.writeHead(reply.status, { 'Content-Type': reply.type });
		res.end(reply.body);
	});
	let baseUrl: string;
	beforeAll(async () => {
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
	});
	afterAll(async () => {
		proxy.closeAllConnections();
		await new Promise((resolve) => proxy.close(resolve));
	});
	beforeEach(() => {
		received.length = 0;
	});

	test('an HTML error page becomes a readable message', async () => {
		const result = await sandbox.run(
			{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
			{ credentials: { baseUrl, accessToken: 't' } },
		);
		expect(result.error?.message).toBe('Item 0: Crego had a server error (HTTP 502)');
		expect(result.error).toMatchObject({ httpCode: '502' });
		// A read is tried again after a gateway error: four attempts in all.
		expect(received).toEqual(
			Array(4).fill(`GET /v1/lms/records/${ids.DOCS_RECORD_ID}/?expand=payouts`),
		);
	});

	test('an empty error body still gives the status', async () => {
		const result = await sandbox.run(
			{ resource: 'record', operation: 'get', recordId: ids.DEMO_RECORD_IDS[0] },
			{ credentials: { baseUrl, accessToken: 't' } },
		);
		expect(result.error?.message).toBe('Item 0: Crego had a server error (HTTP 500)');
		expect(result.error).toMatchObject({ httpCode: '500' });
	});

	test('a success with an unreadable body is an output item with the raw text, not an error', async () => {
		const result = await sandbox.run(refund(ids.DOCS_LOAN_ID), {
			credentials: { baseUrl, accessToken: 't' },
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((o) => o.json)).toEqual([
			{
				statusCode: 201,
				responseText: 'Created',
				sent: { item: 0, loan_id: ids.DOCS_LOAN_ID, amount: 1, type: 'cashback_refund' },
			},
		]);
		expect(received).toHaveLength(1);
	});
});
