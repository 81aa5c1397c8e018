/**
 * Each documented operation, run through n8n-core's engine against the sandbox over
 * real HTTP: the sandbox must receive exactly the request of the docs' example, and the
 * node must put out the documented response.
 */
import type { RunResult } from './helpers/engine';
import { ids } from './helpers/sandbox';
import { shapeDifferences } from './helpers/shape';
import { useSandbox } from './helpers/useSandbox';
import docs from './fixtures/docs-response-examples.json';

const sandbox = useSandbox();

/** Simplify off: these tests compare Crego's JSON, untouched, with the docs' examples. */
const run = (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) =>
	sandbox.run({ simple: false, ...parameters }, { items });

interface Expected {
	method: string;
	path: string;
	query?: Record<string, string>;
	/** The JSON body; undefined for a request that must carry no body. */
	body?: Record<string, unknown>;
}

/**
 * The whole exchange of a one-item run: the sandbox received exactly this one request,
 * authenticated, and the node put out exactly Crego's answer, shaped as the docs'
 * example, paired to the item. Returns that output.
 */
function expectDocumentedExchange(
	result: RunResult,
	expected: Expected,
	docsExample: Record<string, unknown>,
) {
	expect(result.error).toBeUndefined();
	expect(sandbox.requests).toHaveLength(1);
	const [request] = sandbox.requests;
	expect({
		method: request.method,
		path: request.path,
		query: request.query,
		body: request.rawBody === '' ? undefined : JSON.parse(request.rawBody),
	}).toEqual({ query: {}, ...expected });
	expect(request.headers.authorization).toBe(`Bearer ${sandbox.token}`);
	if (expected.body) expect(request.headers['content-type']).toMatch(/^application\/json/);
	else expect(request.headers['content-type']).toBeUndefined();

	expect(result.output).toHaveLength(1);
	expect(result.output[0].pairedItem).toEqual({ item: 0 });
	const { sent, ...json } = result.output[0].json;
	expect(json).toEqual(request.response);
	expect(shapeDifferences(json, docsExample)).toEqual([]);
	// A write's item also says which row it is and what it sent; a read's does not.
	if (expected.method === 'GET') expect(sent).toBeUndefined();
	else expect(sent).toMatchObject({ item: 0 });
	return json;
}

describe('Loan → Initiate Refund', () => {
	test('sends the docs example request and returns the documented payout', async () => {
		const result = await run({
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: '4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
			amount: 1,
			refundType: 'cashback_refund',
		});

		const payout = expectDocumentedExchange(
			result,
			{
				method: 'POST',
				path: '/v1/lms/loans/4541ca25-cf98-4b75-a2c8-db7d5a6b9e69/refunds/',
				body: { amount: 1, type: 'cashback_refund' },
			},
			docs.initiateRefund,
		);
		expect(payout).toMatchObject({
			type: 'cashback_refund',
			status: 'pending_approval',
			amount: 1,
			loan: null,
		});
	});

	test('holdback refund sends type holdback_refund with the decimals of the amount', async () => {
		const result = await run({
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DOCS_LOAN_ID,
			amount: 250.75,
			refundType: 'holdback_refund',
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests[0].rawBody).toBe('{"amount":250.75,"type":"holdback_refund"}');
		expect(result.output[0].json).toMatchObject({ type: 'holdback_refund', amount: 250.75 });
	});
});

describe('Loan → Initiate Adjustment', () => {
	test('sends the docs example request and returns the documented record', async () => {
		const result = await run({
			resource: 'loan',
			operation: 'initiateAdjustment',
			loanId: '4541ca25-cf98-4b75-a2c8-db7d5a6b9e69',
			amount: 1,
			adjustmentType: 'cashback',
		});

		const record = expectDocumentedExchange(
			result,
			{
				method: 'POST',
				path: '/v1/lms/loans/4541ca25-cf98-4b75-a2c8-db7d5a6b9e69/adjustments/',
				body: { amount: 1, type: 'cashback' },
			},
			docs.initiateAdjustment,
		);
		expect(record).toMatchObject({ type: 'cashback', status: 'processed', amount: 1 });
	});
});

describe('Payout → Request Tranche', () => {
	test('sends the docs example request and returns the documented payout', async () => {
		const result = await run({
			resource: 'payout',
			operation: 'requestTranche',
			loanId: 'f59b69c8-9e47-46a1-b2c9-83ae42666a30',
			amount: 5000,
		});

		const payout = expectDocumentedExchange(
			result,
			{
				method: 'POST',
				path: '/v1/lms/payouts/add_tranche/',
				body: { loan_id: 'f59b69c8-9e47-46a1-b2c9-83ae42666a30', amount: 5000 },
			},
			docs.requestTranche,
		);
		expect(payout).toMatchObject({
			type: 'disbursement',
			status: 'pending',
			amount: 5000,
			loan: 'f59b69c8-9e47-46a1-b2c9-83ae42666a30',
		});
	});
});

describe('Payout → Process', () => {
	test('sends the docs example request (no account number) and returns the processed payout', async () => {
		const result = await run({
			resource: 'payout',
			operation: 'process',
			payoutId: 'bb572e48-1d50-4a53-b5ae-37b23855f84f',
			utr: '123123123123123',
			processedAt: '2023-08-28',
			debitBankId: 'f808a4b5-d281-4988-8261-8c7ac0a8abbc',
		});

		// The docs' example body, to the value: 2023-08-28 in IST is 1693161000.
		const payout = expectDocumentedExchange(
			result,
			{
				method: 'PUT',
				path: '/v1/lms/payouts/bb572e48-1d50-4a53-b5ae-37b23855f84f/mark_processed/',
				body: {
					utr: '123123123123123',
					processed_at: 1693161000,
					debit_bank_id: 'f808a4b5-d281-4988-8261-8c7ac0a8abbc',
				},
			},
			docs.processPayout,
		);
		expect(payout).toMatchObject({ utr: '123123123123123', processed_at: 1693161000 });
		expect((payout.debit_bank as { id: string }).id).toBe('f808a4b5-d281-4988-8261-8c7ac0a8abbc');
	});

	test('sends debit_bank_account_no when it is filled', async () => {
		const result = await run({
			resource: 'payout',
			operation: 'process',
			payoutId: ids.DOCS_PAYOUT_ID,
			utr: 'HDFCR52023082812345678',
			processedAt: '2023-08-28T15:45:00+05:30',
			debitBankId: ids.DOCS_DEBIT_BANK_ID,
			debitBankAccountNo: '000405060708',
		});
		expect(result.error).toBeUndefined();
		expect(JSON.parse(sandbox.requests[0].rawBody)).toEqual({
			utr: 'HDFCR52023082812345678',
			processed_at: 1693217700,
			debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
			debit_bank_account_no: '000405060708',
		});
	});
});

describe('Record → Get', () => {
	test('sends GET with expand=payouts and no body, and returns the documented record', async () => {
		const result = await run({
			resource: 'record',
			operation: 'get',
			recordId: '4ebd506f-8727-4d16-863d-0442e1b75858',
		});

		const record = expectDocumentedExchange(
			result,
			{
				method: 'GET',
				path: '/v1/lms/records/4ebd506f-8727-4d16-863d-0442e1b75858/',
				query: { expand: 'payouts' },
			},
			docs.getRecord,
		);
		expect(record.payouts).toEqual([ids.DOCS_PAYOUT_ID]);
	});

	test('Include Payouts off sends no expand, and the record comes without payouts', async () => {
		const result = await run({
			resource: 'record',
			operation: 'get',
			recordId: ids.DOCS_RECORD_ID,
			includePayouts: false,
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests[0].query).toEqual({});
		expect(result.output[0].json).not.toHaveProperty('payouts');
		expect(result.output[0].json.id).toBe(ids.DOCS_RECORD_ID);
	});
});

describe('several items', () => {
	test('each item gives one output item, in order, paired with its input', async () => {
		const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
		const items = loans.map((loanId: string, i: number) => ({
			loan: loanId,
			amount: `${(i + 1) * 100}.50`,
		}));
		const result = await run(
			{
				resource: 'payout',
				operation: 'requestTranche',
				loanId: '={{ $json.loan }}',
				amount: '={{ $json.amount }}',
			},
			items,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.body)).toEqual(
			items.map((item) => ({ loan_id: item.loan, amount: Number(item.amount) })),
		);
		expect(result.output.map((o) => o.json.loan)).toEqual(loans);
		expect(result.output.map((o) => o.json.amount)).toEqual([100.5, 200.5, 300.5, 400.5]);
		expect(result.output.map((o) => o.pairedItem)).toEqual(
			loans.map((_: string, item: number) => ({ item })),
		);
	});

	test('a trailing slash on the Base URL is harmless', async () => {
		const result = await sandbox.run(
			{ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
			{ credentials: { baseUrl: `${sandbox.url}/`, accessToken: sandbox.token } },
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests[0].path).toBe(`/v1/lms/records/${ids.DOCS_RECORD_ID}/`);
	});
});
