/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Settlements with pages, Update Loan Params, the API Request resource and Simplify,
 * through the engine against the sandbox.
 */
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const { settlementId, demandId } = require('../sandbox/seed') as {
	settlementId: (n: number) => string;
	demandId: (n: number) => string;
};

const settlements = (parameters: Record<string, unknown> = {}) => ({
	resource: 'settlement',
	operation: 'getAll',
	simple: false,
	...parameters,
});
const numbers = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => settlementId(from + i));

describe('Settlement → Get Many', () => {
	test('Return All follows the pages until count is reached: one item per settlement', async () => {
		const result = await sandbox.run(
			settlements({ returnAll: true, filters: { loanId: ids.DOCS_LOAN_ID } }),
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', '/v1/lms/settlements/', { loan: ids.DOCS_LOAN_ID }],
			['GET', '/v1/lms/settlements/', { loan: ids.DOCS_LOAN_ID, page: '2' }],
		]);
		expect(result.output.map((o) => o.json.id)).toEqual(numbers(1, 23));
		expect(
			result.output.every((o) => o.pairedItem && (o.pairedItem as { item: number }).item === 0),
		).toBe(true);
		expect(result.output[0].json).toEqual(
			sandbox.requests[0].response.results &&
				(sandbox.requests[0].response.results as unknown[])[0],
		);
	});

	test('Limit across a page boundary: 20 items from two pages, no third request', async () => {
		const result = await sandbox.run(settlements({ limit: 20 }));
		expect(result.output.map((o) => o.json.id)).toEqual(numbers(1, 20));
		expect(sandbox.requests.map((r) => r.query.page)).toEqual([undefined, '2']);
	});

	test('Limit within the first page: one request', async () => {
		const result = await sandbox.run(settlements({ limit: 3 }));
		expect(result.output).toHaveLength(3);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('a server that ignores the page parameter: an error with the counts, no repeated items', async () => {
		sandbox.ignorePageParameter();
		const result = await sandbox.run(settlements({ returnAll: true }), {
			onError: 'continueRegularOutput',
		});
		expect(sandbox.requests).toHaveLength(2);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json.error).toBe(
			'Item 0: Crego answered page 2 with results already received: it seems to ignore the page parameter (got 15 of 28)',
		);
	});

	test('filters by demand, and Include Record sends expand=record', async () => {
		const result = await sandbox.run(
			settlements({
				returnAll: true,
				filters: { demandId: demandId(24) },
				options: { includeRecord: true },
			}),
		);
		expect(sandbox.requests[0].query).toEqual({ demand: demandId(24), expand: 'record' });
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({
			id: settlementId(24),
			account: ids.DEMO_LOAN_IDS[0],
			record: { id: ids.DOCS_RECORD_ID },
		});
	});

	test('a filter that is not a UUID is refused before any request', async () => {
		const result = await sandbox.run(settlements({ filters: { loanId: 'LN-1' } }));
		expect(result.error?.message).toBe('Item 0: Loan ID is not a Crego ID (a UUID): "LN-1"');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('Simplify: dates as ISO 8601 in IST, amounts without float noise', async () => {
		const result = await sandbox.run(settlements({ simple: true, limit: 1 }));
		expect(result.output[0].json).toEqual({
			id: settlementId(1),
			date: '2024-01-05T23:59:59.999+05:30',
			amount: 26586.26,
			due_amount: 26586.26,
			outstanding_amount: 0,
			remaining_amount: 36673.74,
			dpd: 1,
			peak_dpd: 1,
			account: ids.DOCS_LOAN_ID,
			demand: demandId(1),
			record: ids.DOCS_RECORD_ID,
		});
		expect(
			sandbox.requests[0].response.results &&
				(sandbox.requests[0].response.results as Array<{ remaining_amount: number }>)[0]
					.remaining_amount,
		).toBe(36673.740000000005);
	});
});

describe('Account → Update Loan Params', () => {
	const lead = '2b4d6f80-1a3c-4e5f-9a7b-c9d1e3f5a7b9';
	const program = '7c9e1a3b-5d7f-4a9c-8e1b-3d5f7a9c1e3b';
	const update = (updateFields: Record<string, unknown>) => ({
		resource: 'account',
		operation: 'updateLoanParams',
		leadId: lead,
		programId: program,
		updateFields,
	});

	test('sends PATCH with every value as a string, as the docs specify', async () => {
		const result = await sandbox.run(
			update({
				approvedLineAmount: '5,00,000',
				emiCount: 12,
				flatRoiValue: 1.5,
				pfValue: '2',
				pfValueType: 'percentage',
			}),
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => [r.method, r.path, JSON.parse(r.rawBody)])).toEqual([
			[
				'PATCH',
				'/v1/lms/accounts/initiate_loan_params/',
				{
					lead_id: lead,
					program_id: program,
					line_detail: { approved_line_amount: '500000' },
					loan_data: {
						emi_count: '12',
						flat_roi_value: '1.5',
						pf_value: '2',
						pf_value_type: 'percentage',
					},
				},
			],
		]);
		expect(result.output.map((o) => o.json)).toEqual([
			{ sent: { item: 0, lead_id: lead, program_id: program } },
		]);
	});

	test('only the fields added are sent', async () => {
		await sandbox.run(update({ emiCount: '24' }));
		expect(JSON.parse(sandbox.requests[0].rawBody)).toEqual({
			lead_id: lead,
			program_id: program,
			loan_data: { emi_count: '24' },
		});
	});

	test.each([
		[{ emiCount: 0 }, 'Item 0: EMI Count is not a whole number from 1 to 1000000: 0'],
		[{ emiCount: 2.5 }, 'Item 0: EMI Count is not a whole number: 2.5'],
		[{ flatRoiValue: -1 }, 'Item 0: Flat ROI must be at least 0: -1'],
		[{ approvedLineAmount: 'lots' }, 'Item 0: Approved Line Amount is not a number: "lots"'],
	])('refuses %j before sending', async (fields, message) => {
		const result = await sandbox.run(update(fields));
		expect(result.error?.message).toBe(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('the duplicate guard knows it by lead and program', async () => {
		const result = await sandbox.run(
			{ ...update({ emiCount: '={{ $json.emis }}' }) },
			{ items: [{ emis: 12 }, { emis: 24 }], onError: 'continueRegularOutput' },
		);
		expect(sandbox.requests).toHaveLength(1);
		expect(result.output[1].json.error).toBe(
			'Item 1: Not sent: duplicate of item 0 (same lead and program)',
		);
	});
});

describe('API Request', () => {
	const api = (parameters: Record<string, unknown>) => ({
		resource: 'apiRequest',
		operation: 'send',
		simple: false,
		...parameters,
	});

	test('a GET with query parameters, through the same transport', async () => {
		const result = await sandbox.run(
			api({
				method: 'GET',
				path: `/v1/lms/records/${ids.DOCS_RECORD_ID}/`,
				queryParameters: { parameter: [{ name: 'expand', value: 'payouts' }] },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(
			sandbox.requests.map((r) => [r.method, r.path, r.query, r.rawBody, r.headers.authorization]),
		).toEqual([
			[
				'GET',
				`/v1/lms/records/${ids.DOCS_RECORD_ID}/`,
				{ expand: 'payouts' },
				'',
				`Bearer ${sandbox.token}`,
			],
		]);
		expect(result.output[0].json.payouts).toEqual([ids.DOCS_PAYOUT_ID]);
	});

	test('a POST with a JSON body; a 5xx leaves its outcome unknown, sent once', async () => {
		sandbox.injectFault({ path: '/v1/lms/payouts/add_tranche/', status: 502, body: '' });
		const result = await sandbox.run(
			api({
				method: 'POST',
				path: '/v1/lms/payouts/add_tranche/',
				jsonBody: JSON.stringify({ loan_id: ids.DOCS_TRANCHE_LOAN_ID, amount: 10 }),
			}),
		);
		expect(result.error?.message).toMatch(/^Item 0: Outcome unknown: Crego had a server error/);
		expect(sandbox.requests).toHaveLength(1);
		expect(JSON.parse(sandbox.requests[0].rawBody)).toEqual({
			loan_id: ids.DOCS_TRANCHE_LOAN_ID,
			amount: 10,
		});
	});

	test('Follow Pages outputs one item per result', async () => {
		const result = await sandbox.run(
			api({ method: 'GET', path: '/v1/lms/settlements/', options: { followPages: true } }),
		);
		expect(result.output).toHaveLength(28);
		expect(sandbox.requests).toHaveLength(2);
	});

	test.each([
		['https://evil.example/v1/lms/loans/', 'is a full URL, not a path'],
		['//evil.example/v1/lms/loans/', 'points to another host'],
		['/v1/lms/../../admin/', 'contains . or .. segments'],
		['/v1/lms/%2e%2e/admin/', 'contains an encoded dot or slash'],
		['/v1/lms/loans%2F..%2Fadmin/', 'contains an encoded dot or slash'],
		['/v1/accounts/', 'is not under /v1/lms/'],
		['/v1/lms/loans/?token=1', 'contains a query, fragment, space or backslash'],
		['/v1/lms/loans\\..\\admin', 'contains a query, fragment, space or backslash'],
		['/v1/lms//loans/', 'contains an empty segment (//)'],
		['javascript:alert(1)', 'is a full URL, not a path'],
	])('refuses the path %s', async (path, reason) => {
		const result = await sandbox.run(api({ method: 'GET', path }));
		expect(result.error?.message).toBe(`Item 0: Path ${reason}: ${JSON.stringify(path)}`);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Simplify on the five', () => {
	test('a refund payout: the fields a user acts on, timestamps in IST', async () => {
		const result = await sandbox.run({
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DOCS_LOAN_ID,
			amount: 1,
			refundType: 'cashback_refund',
		});
		const json = result.output[0].json;
		expect(Object.keys(json).sort()).toEqual(
			[
				'account',
				'amount',
				'created_at',
				'credit_bank',
				'date',
				'debit_bank',
				'id',
				'loan',
				'method',
				'payout_to',
				'processed_at',
				'ref_id',
				'sent',
				'status',
				'topup',
				'type',
				'utr',
			].sort(),
		);
		expect(json.sent).toEqual({
			item: 0,
			loan_id: ids.DOCS_LOAN_ID,
			amount: 1,
			type: 'cashback_refund',
		});
		expect(json.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+05:30$/);
		expect(json.credit_bank).toEqual({
			account_holder_name: 'Testing',
			account_no: '123123123123',
			ifsc: 'HDFC0039993',
			account_type: 'current',
		});
	});

	test('a record in another business timezone', async () => {
		const result = await sandbox.run({
			resource: 'record',
			operation: 'get',
			recordId: ids.DOCS_RECORD_ID,
			options: { businessTimezone: 'Europe/London' },
		});
		expect(result.output[0].json).toMatchObject({
			date: '2022-09-05T19:28:44.802+01:00',
			amount: 13442,
			payouts: [ids.DOCS_PAYOUT_ID],
		});
	});
});
