/**
 * What a person reads names rows one way: with Options → Row Number (the sheet's row) the
 * headlines, the lists of a stopped run, the duplicate messages, the error items and the
 * success items all say "Row 4" / `row: 4`; without it, n8n's item number ("Item 2" /
 * `item: 2`). Success items of writes say which row, loan or payout and Reference they
 * belong to. And the words around them: summaries that count what was read, advice given
 * once, sentences that end.
 */
import type { IDataObject } from 'n8n-workflow';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
const UNKNOWN_LOAN = '00000000-0000-4000-8000-00000000beef';

/** Refunds read from a sheet whose header is row 1: item i is sheet row i + 2. */
const refunds = (options: IDataObject = {}) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: '={{ $json.loan }}',
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
	options: {
		rowNumber: '={{ $json.row }}',
		reference: '={{ $json.reference ?? "" }}',
		concurrency: 1,
		...options,
	},
});
const sheet = (loans: string[]) =>
	loans.map((loan, i) => ({ row: i + 2, loan, amount: 100 + i, reference: `INV-${i + 2}` }));

test('error output: the error item and the success items name the sheet row, the loan and the Reference; the headline says "Row N"', async () => {
	const result = await sandbox.run(refunds(), {
		items: sheet([LOANS[0], LOANS[1], UNKNOWN_LOAN, LOANS[2]]),
		onError: 'continueErrorOutput',
	});
	expect(result.output.map((item) => item.json.sent)).toEqual([
		{ row: 2, loan_id: LOANS[0], amount: 100, type: 'cashback_refund', reference: 'INV-2' },
		{ row: 3, loan_id: LOANS[1], amount: 101, type: 'cashback_refund', reference: 'INV-3' },
		{ row: 5, loan_id: LOANS[2], amount: 103, type: 'cashback_refund', reference: 'INV-5' },
	]);
	expect(result.errorOutput).toHaveLength(1);
	const { error, message } = result.errorOutput[0].json as { error: string; message: IDataObject };
	expect(error).toBe(`Row 4: Crego has no loan ${UNKNOWN_LOAN} (Loan ID)`);
	expect(message).toMatchObject({
		outcome: 'rejected',
		moneyMoved: 'no',
		row: 4,
		loan_id: UNKNOWN_LOAN,
		reference: 'INV-4',
		httpStatus: 404,
	});
	expect(message).not.toHaveProperty('item');
	expect(result.hints.at(-1)).toMatch(/^Crego: 3 done, 1 rejected by Crego/);
});

test('set to stop: the stopped run lists rows by the sheet, done, unknown and not sent', async () => {
	sandbox.injectFault({
		path: `/v1/lms/loans/${LOANS[2]}/refunds/`,
		status: 500,
		body: 'Internal Server Error',
		contentType: 'text/plain',
	});
	const result = await sandbox.run(refunds(), {
		items: sheet([LOANS[0], LOANS[1], LOANS[2], LOANS[3], LOANS[0]]),
	});
	expect(result.error?.message).toMatch(
		/^Row 4: Outcome unknown: Crego had a server error \(HTTP 500\) \[already done: row 2 \(\w+\), row 3 \(\w+\); outcome unknown: row 4\]$/,
	);
	const description = result.error?.description ?? '';
	expect(description).toContain('Not sent (safe to send again): rows 5-6.');
	// The advice to check in Crego once, and Crego's own words as a sentence.
	expect(description.match(/check in crego/gi)).toHaveLength(1);
	expect(description).toContain('Crego answered HTTP 500 to POST /v1/lms/loans/');
	expect(description).toMatch(/refunds\/: Internal Server Error\.\n/);
	expect(description).not.toMatch(/item/i);
});

test('set to stop: a repeated row names the row it repeats', async () => {
	const rows = sheet([LOANS[0], LOANS[1], LOANS[0]]);
	rows[2].amount = 100;
	const result = await sandbox.run(refunds({ reference: '' }), { items: rows });
	expect(result.error?.message).toBe(
		'Row 4: Not sent: duplicate of row 2 (same loan, refund type and amount)',
	);
	expect(sandbox.requests).toHaveLength(0);
});

test("without Row Number: n8n's item numbers, the same way everywhere", async () => {
	const result = await sandbox.run(refunds({ rowNumber: '' }), {
		items: sheet([LOANS[0], UNKNOWN_LOAN]),
		onError: 'continueErrorOutput',
	});
	expect(result.output[0].json.sent).toMatchObject({ item: 0, loan_id: LOANS[0] });
	expect(result.errorOutput[0].json.error).toMatch(/^Item 1: Crego has no loan/);
	expect(result.errorOutput[0].json.message).toMatchObject({ item: 1 });
});

test('Validate Only shows the row; a Row Number that is not a whole number is refused before anything is sent', async () => {
	const preview = await sandbox.run(refunds({ validateOnly: true }), { items: sheet([LOANS[0]]) });
	expect(preview.output[0].json).toMatchObject({ validateOnly: true, row: 2, method: 'POST' });
	const refused = await sandbox.run(refunds(), {
		items: [{ row: 'two', loan: LOANS[0], amount: 1 }],
	});
	expect(refused.error?.message).toBe('Item 0: Row Number is not a whole number: "two"');
	expect(sandbox.requests).toHaveLength(0);
});

test('a listing: the run summary counts what was read, not the one request', async () => {
	const result = await sandbox.run({
		resource: 'settlement',
		operation: 'getAll',
		returnAll: true,
	});
	expect(result.output).toHaveLength(28);
	expect(result.hints.at(-1)).toBe('Crego: 28 items read.');
});

test('API Request: a path written from /v1/lms/ on ("settlements/") is read under it, and Simplify reads the page envelope all the way down', async () => {
	const result = await sandbox.run({
		resource: 'apiRequest',
		operation: 'send',
		method: 'GET',
		path: 'settlements/',
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.requests.map((request) => request.path)).toEqual(['/v1/lms/settlements/']);
	const first = (result.output[0].json.results as IDataObject[])[0];
	expect(first.remaining_amount).toBe(36673.74);
	expect(first.date).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999\+05:30$/);
	const written = await sandbox.run({
		resource: 'apiRequest',
		operation: 'send',
		method: 'GET',
		path: 'v1/lms/settlements/',
	});
	expect(written.error).toBeUndefined();
	const outside = await sandbox.run({
		resource: 'apiRequest',
		operation: 'send',
		method: 'GET',
		path: '../accounts/',
	});
	expect(outside.error?.message).toMatch(/^Item 0: Path contains \. or \.\. segments/);
	expect(sandbox.requests).toHaveLength(2);
});
