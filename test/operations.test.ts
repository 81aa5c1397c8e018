/**
 * Each documented operation, run through n8n-core's engine against the sandbox over
 * real HTTP: the sandbox must receive exactly the request of the docs' example, and the
 * node must put out the documented response.
 */
import { runWorkflow } from './helpers/engine';
import { ids, startSandbox, type RecordedRequest, type RunningSandbox } from './helpers/sandbox';
import { shapeDifferences } from './helpers/shape';
import docs from './fixtures/docs-response-examples.json';

let sandbox: RunningSandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.stop();
});
beforeEach(() => sandbox.reset());

const run = (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) =>
	runWorkflow({ parameters: parameters as never, items, credentials: { baseUrl: sandbox.url, accessToken: sandbox.token } });

function expectAuthenticatedJson(request: RecordedRequest) {
	expect(request.headers.authorization).toBe(`Bearer ${sandbox.token}`);
	if (request.method !== 'GET') expect(request.headers['content-type']).toMatch(/^application\/json/);
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

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/lms/loans/4541ca25-cf98-4b75-a2c8-db7d5a6b9e69/refunds/');
		expect(request.query).toEqual({});
		expect(JSON.parse(request.rawBody)).toEqual({ amount: 1, type: 'cashback_refund' });
		expectAuthenticatedJson(request);

		expect(result.output).toHaveLength(1);
		const payout = result.output[0].json;
		expect(payout).toEqual(request.response);
		expect(shapeDifferences(payout, docs.initiateRefund)).toEqual([]);
		expect(payout).toMatchObject({ type: 'cashback_refund', status: 'pending_approval', amount: 1, loan: null });
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
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

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/lms/loans/4541ca25-cf98-4b75-a2c8-db7d5a6b9e69/adjustments/');
		expect(JSON.parse(request.rawBody)).toEqual({ amount: 1, type: 'cashback' });
		expectAuthenticatedJson(request);

		const record = result.output[0].json;
		expect(record).toEqual(request.response);
		expect(shapeDifferences(record, docs.initiateAdjustment)).toEqual([]);
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

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/lms/payouts/add_tranche/');
		expect(JSON.parse(request.rawBody)).toEqual({ loan_id: 'f59b69c8-9e47-46a1-b2c9-83ae42666a30', amount: 5000 });
		expectAuthenticatedJson(request);

		const payout = result.output[0].json;
		expect(payout).toEqual(request.response);
		expect(shapeDifferences(payout, docs.requestTranche)).toEqual([]);
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

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('PUT');
		expect(request.path).toBe('/v1/lms/payouts/bb572e48-1d50-4a53-b5ae-37b23855f84f/mark_processed/');
		// The docs' example body, to the value: 2023-08-28 in IST is 1693161000.
		expect(JSON.parse(request.rawBody)).toEqual({
			utr: '123123123123123',
			processed_at: 1693161000,
			debit_bank_id: 'f808a4b5-d281-4988-8261-8c7ac0a8abbc',
		});
		expectAuthenticatedJson(request);

		const payout = result.output[0].json;
		expect(payout).toEqual(request.response);
		expect(shapeDifferences(payout, docs.processPayout)).toEqual([]);
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
		const result = await run({ resource: 'record', operation: 'get', recordId: '4ebd506f-8727-4d16-863d-0442e1b75858' });

		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(1);
		const [request] = sandbox.requests;
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/lms/records/4ebd506f-8727-4d16-863d-0442e1b75858/');
		expect(request.query).toEqual({ expand: 'payouts' });
		expect(request.rawBody).toBe('');
		expect(request.headers['content-type']).toBeUndefined();
		expectAuthenticatedJson(request);

		const record = result.output[0].json;
		expect(record).toEqual(request.response);
		expect(shapeDifferences(record, docs.getRecord)).toEqual([]);
		expect(record.payouts).toEqual([ids.DOCS_PAYOUT_ID]);
	});

	test('Include Payouts off sends no expand, and the record comes without payouts', async () => {
		const result = await run({ resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID, includePayouts: false });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests[0].query).toEqual({});
		expect(result.output[0].json).not.toHaveProperty('payouts');
		expect(result.output[0].json.id).toBe(ids.DOCS_RECORD_ID);
	});
});

describe('several items', () => {
	test('each item gives one output item, in order, paired with its input', async () => {
		const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
		const items = loans.map((loanId: string, i: number) => ({ loan: loanId, amount: `${(i + 1) * 100}.50` }));
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
		expect(result.output.map((o) => o.pairedItem)).toEqual(loans.map((_: string, item: number) => ({ item })));
	});

	test('a trailing slash on the Base URL is harmless', async () => {
		const result = await runWorkflow({
			parameters: { resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID },
			credentials: { baseUrl: `${sandbox.url}/`, accessToken: sandbox.token },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.requests[0].path).toBe(`/v1/lms/records/${ids.DOCS_RECORD_ID}/`);
	});
});
