/**
 * Values as users have them: what the node accepts (and sends), and what it refuses
 * before any request. Every refusal must name the field, the item and the value, and
 * the sandbox's request log must stay empty.
 */
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const refund = (overrides: Record<string, unknown>) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount: 1,
	refundType: 'cashback_refund',
	...overrides,
});
const adjustment = (overrides: Record<string, unknown>) => ({
	resource: 'loan',
	operation: 'initiateAdjustment',
	loanId: ids.DOCS_LOAN_ID,
	amount: 1,
	adjustmentType: 'cashback',
	...overrides,
});
const tranche = (overrides: Record<string, unknown>) => ({
	resource: 'payout',
	operation: 'requestTranche',
	loanId: ids.DOCS_TRANCHE_LOAN_ID,
	amount: 5000,
	...overrides,
});
const processPayout = (overrides: Record<string, unknown>) => ({
	resource: 'payout',
	operation: 'process',
	payoutId: ids.DOCS_PAYOUT_ID,
	utr: '123123123123123',
	processedAt: '2023-08-28',
	debitBankId: ids.DOCS_DEBIT_BANK_ID,
	...overrides,
});
const getRecord = (overrides: Record<string, unknown>) => ({
	resource: 'record',
	operation: 'get',
	recordId: ids.DOCS_RECORD_ID,
	...overrides,
});

async function sentBody(parameters: Record<string, unknown>) {
	const result = await sandbox.run(parameters);
	expect(result.error).toBeUndefined();
	expect(sandbox.requests).toHaveLength(1);
	return sandbox.requests[0].body;
}

describe('accepted values are sent as Crego expects them', () => {
	test.each([
		['a plain number', 1000.5, 1000.5],
		['a numeric string', '1000.50', 1000.5],
		['Indian digit grouping', '1,00,000.50', 100000.5],
		['western digit grouping', '1,000,000.25', 1000000.25],
		['spaces around it', ' 42 ', 42],
		['four decimals (Crego rounds)', '100.2347', 100.2347],
		['a number from an expression', '={{ 2500.75 }}', 2500.75],
	])('amount as %s', async (_label, amount, expected) => {
		expect(await sentBody(refund({ amount }))).toEqual({
			amount: expected,
			type: 'cashback_refund',
		});
	});

	test.each([
		['Holdback Refund', 'holdback_refund'],
		['CASHBACK-REFUND', 'cashback_refund'],
	])('refund type %j from a spreadsheet is read as %s', async (refundType, expected) => {
		expect(
			(await sentBody(refund({ refundType: `={{ ${JSON.stringify(refundType)} }}` }))).type,
		).toBe(expected);
	});

	test.each([
		['"no" from a spreadsheet', '={{ "no" }}', {}],
		['"TRUE" from a spreadsheet', '={{ "TRUE" }}', { expand: 'payouts' }],
	])('Include Payouts as %s', async (_label, includePayouts, query) => {
		const result = await sandbox.run(getRecord({ includePayouts }));
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.query)).toEqual([query]);
	});

	test('IDs are trimmed', async () => {
		const body = await sentBody(tranche({ loanId: `  ${ids.DOCS_TRANCHE_LOAN_ID}\t` }));
		expect(body.loan_id).toBe(ids.DOCS_TRANCHE_LOAN_ID);
	});

	test('a UTR the spreadsheet turned into a safe integer is sent as text', async () => {
		expect((await sentBody(processPayout({ utr: '={{ 123123123123123 }}' }))).utr).toBe(
			'123123123123123',
		);
	});

	const IST_MIDNIGHT_2023_08_28 = 1693161000;
	test.each([
		['ISO date', '2023-08-28'],
		['ISO date-time without offset (the date picker)', '2023-08-28T00:00:00'],
		['ISO date-time in UTC', '2023-08-27T18:30:00Z'],
		['ISO date-time with IST offset', '2023-08-28T00:00:00+05:30'],
		['DD/MM/YYYY', '28/08/2023'],
		['DD-MM-YYYY', '28-08-2023'],
		['Unix seconds', 1693161000],
		['Unix seconds as text', '1693161000'],
		[
			'a Luxon DateTime from an expression',
			"={{ DateTime.fromISO('2023-08-28T00:00:00', { zone: 'Asia/Kolkata' }) }}",
		],
		['a JS Date from an expression', "={{ new Date('2023-08-27T18:30:00.000Z') }}"],
	])('processedAt as %s', async (_label, processedAt) => {
		expect((await sentBody(processPayout({ processedAt }))).processed_at).toBe(
			IST_MIDNIGHT_2023_08_28,
		);
	});

	test('a time of day without offset is read in IST', async () => {
		expect((await sentBody(processPayout({ processedAt: '28/08/2023 15:45' }))).processed_at).toBe(
			1693217700,
		);
	});

	test('the Business Timezone option changes how dates without an offset are read', async () => {
		const body = await sentBody(
			processPayout({ processedAt: '2023-08-28', options: { businessTimezone: 'Europe/London' } }),
		);
		expect(body.processed_at).toBe(1693177200); // 2023-08-28 00:00 BST
	});
});

describe('refused values stop the item before anything is sent', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['amount zero', refund({ amount: 0 }), /^Item 0: Amount must be at least 0.01: 0$/],
		['amount negative', refund({ amount: -5 }), /^Item 0: Amount must be at least 0.01: -5$/],
		[
			'amount negative text',
			adjustment({ amount: '-5.00' }),
			/^Item 0: Amount must be at least 0.01: "-5.00"$/,
		],
		['amount text', refund({ amount: 'abc' }), /^Item 0: Amount is not a number: "abc"$/],
		[
			'amount European decimals',
			tranche({ amount: '1.000,50' }),
			/^Item 0: Amount is not a number: "1.000,50"$/,
		],
		['amount NaN', refund({ amount: '={{ NaN }}' }), /^Item 0: Amount is not a number/],
		[
			'amount infinite',
			refund({ amount: '={{ Infinity }}' }),
			/^Item 0: Amount is not a finite number/,
		],
		['amount above 10^12', tranche({ amount: 1e13 }), /^Item 0: Amount must be at most 10\^12/],
		['amount an empty cell', refund({ amount: '={{ "" }}' }), /^Item 0: Amount is empty$/],
		[
			'amount beyond double precision',
			refund({ amount: '123456789012.123456' }),
			/^Item 0: Amount has more than 15 significant digits, more than can be sent exactly/,
		],
		[
			'loan ID not a UUID',
			refund({ loanId: 'LN-2023-0042' }),
			/^Item 0: Loan ID is not a Crego ID \(a UUID\): "LN-2023-0042"$/,
		],
		[
			'loan ID an empty cell',
			adjustment({ loanId: '={{ $json.missing }}' }),
			/^Item 0: Loan ID is empty$/,
		],
		[
			'loan ID a number',
			tranche({ loanId: '={{ 42 }}' }),
			/^Item 0: Loan ID is not a Crego ID \(a UUID\): 42$/,
		],
		[
			'loan ID with a path in it',
			refund({ loanId: `${ids.DOCS_LOAN_ID}/../../payouts` }),
			/^Item 0: Loan ID is not a Crego ID/,
		],
		[
			'refund type not documented',
			refund({ refundType: '={{ "excess_refund" }}' }),
			/^Item 0: Refund Type is not one of the values Crego accepts: "excess_refund"$/,
		],
		[
			'adjustment type not documented',
			adjustment({ adjustmentType: '={{ "cashback_refund" }}' }),
			/^Item 0: Adjustment Type is not one of the values Crego accepts/,
		],
		[
			'payout ID not a UUID',
			processPayout({ payoutId: 'PAY05JG8' }),
			/^Item 0: Payout ID is not a Crego ID \(a UUID\): "PAY05JG8"$/,
		],
		['UTR blank', processPayout({ utr: '   ' }), /^Item 0: UTR is empty$/],
		[
			'UTR an unsafe number',
			processPayout({ utr: '={{ 12345678901234567890 }}' }),
			/^Item 0: UTR is a number whose digits cannot be trusted: 12345678901234567000$/,
		],
		[
			'processedAt a spreadsheet serial day',
			processPayout({ processedAt: '={{ 45166 }}' }),
			/^Item 0: Processed At looks like a spreadsheet serial day number, not a date: 45166$/,
		],
		[
			'processedAt in milliseconds',
			processPayout({ processedAt: '={{ 1693161000000 }}' }),
			/^Item 0: Processed At looks like milliseconds/,
		],
		[
			'processedAt not a calendar date',
			processPayout({ processedAt: '31/02/2023' }),
			/^Item 0: Processed At is not a calendar date/,
		],
		[
			'processedAt text',
			processPayout({ processedAt: 'yesterday' }),
			/^Item 0: Processed At is not a date this node can read: "yesterday"$/,
		],
		[
			'processedAt before 2000',
			processPayout({ processedAt: '1999-12-31' }),
			/^Item 0: Processed At is outside the years 2000-2099/,
		],
		[
			'processedAt an empty cell',
			processPayout({ processedAt: '={{ "" }}' }),
			/^Item 0: Processed At is empty$/,
		],
		[
			'processedAt impossible time',
			processPayout({ processedAt: '2023-08-28T25:00:00' }),
			/^Item 0: Processed At has an impossible time of day/,
		],
		[
			'debit bank ID not a UUID',
			processPayout({ debitBankId: 'HDFC0039993' }),
			/^Item 0: Debit Bank ID is not a Crego ID/,
		],
		[
			'debit account number an unsafe number',
			processPayout({ debitBankAccountNo: '={{ 1.5 }}' }),
			/^Item 0: Debit Bank Account No is a number whose digits cannot be trusted/,
		],
		[
			'business timezone unknown',
			processPayout({ options: { businessTimezone: 'Mars/Olympus' } }),
			/^Item 0: Business Timezone is not a timezone name: "Mars\/Olympus"$/,
		],
		[
			'include payouts neither true nor false',
			getRecord({ includePayouts: '={{ "maybe" }}' }),
			/^Item 0: Include Payouts is neither true nor false: "maybe"$/,
		],
		[
			'record ID not a UUID',
			getRecord({ recordId: 'REC0XAM2' }),
			/^Item 0: Record ID is not a Crego ID \(a UUID\): "REC0XAM2"$/,
		],
	];

	test('n8n itself refuses a required field left empty in the editor', async () => {
		await expect(sandbox.run(refund({ loanId: '' }))).rejects.toThrow(
			'Parameter "Loan ID" is required',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test.each(cases)('%s', async (_label, parameters, message) => {
		const result = await sandbox.run(parameters);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(message);
		expect(result.error?.context.itemIndex).toBe(0);
		expect(result.error?.description).toBeTruthy();
		expect(result.output).toEqual([]);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('every item is checked before the first request', () => {
	const rows = [
		{ loan: ids.DOCS_LOAN_ID, amount: '100' },
		{ loan: ids.DEMO_LOAN_IDS[0], amount: '200.50' },
		{ loan: ids.DEMO_LOAN_IDS[1], amount: '300' },
		{ loan: ids.DEMO_LOAN_IDS[2], amount: 'three hundred' },
		{ loan: 'not-a-loan', amount: '500' },
	];
	const parameters = refund({ loanId: '={{ $json.loan }}', amount: '={{ $json.amount }}' });

	test('stopping on error: a bad row 3 stops the run before row 0 moves money', async () => {
		const result = await sandbox.run(parameters, { items: rows });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('Item 3: Amount is not a number: "three hundred"');
		expect(result.error?.context.itemIndex).toBe(3);
		expect(sandbox.requests).toEqual([]);
	});

	test('continuing on error: bad rows become error items in place, good rows are sent', async () => {
		const result = await sandbox.run(parameters, { items: rows, onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.path)).toEqual(
			rows.slice(0, 3).map((row) => `/v1/lms/loans/${row.loan}/refunds/`),
		);
		expect(result.output).toHaveLength(5);
		expect(result.output.map((o) => o.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(result.output.slice(0, 3).map((o) => o.json.amount)).toEqual([100, 200.5, 300]);
		expect(result.output[3].json).toMatchObject({
			error: 'Item 3: Amount is not a number: "three hundred"',
			message: { outcome: 'notSent' },
		});
		expect(result.output[4].json).toMatchObject({
			error: 'Item 4: Loan ID is not a Crego ID (a UUID): "not-a-loan"',
			message: { outcome: 'notSent' },
		});
	});

	test('with an error output: bad rows go to the error output, paired with their rows', async () => {
		const result = await sandbox.run(parameters, { items: rows, onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(3);
		expect(result.output.map((o) => o.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(result.errorOutput.map((o) => o.pairedItem)).toEqual([3, 4].map((item) => ({ item })));
		expect(result.errorOutput[0].json.error).toMatch(/^Item 3: Amount/);
	});
});
