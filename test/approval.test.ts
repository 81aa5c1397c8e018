/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Maker–checker through n8n-core's engine against the sandbox: Validate Only (version 2)
 * describes the batch, Approved Batch sends exactly it once, and anything else — a
 * changed sheet, an edited batch, an empty mapping, the same approval again, two
 * executions resuming one approval — sends nothing. Every claim is held against the
 * sandbox's own request log.
 */
import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const BAD_LOAN = '00000000-0000-4000-8000-000000000000';

/** The maker's sheet: rows 2-6 of refunds; row 4's amount is not a number. */
const SHEET = [
	{ row: 2, loan: ids.DOCS_LOAN_ID, amount: '1500', type: 'cashback_refund', ref: 'CB-1' },
	{ row: 3, loan: ids.DEMO_LOAN_IDS[0], amount: '250.75', type: 'holdback_refund', ref: 'HB-1' },
	{ row: 4, loan: ids.DEMO_LOAN_IDS[1], amount: 'abc', type: 'cashback_refund', ref: 'CB-2' },
	{ row: 5, loan: ids.DEMO_LOAN_IDS[2], amount: '100000.50', type: 'holdback_refund', ref: 'HB-2' },
	{ row: 6, loan: ids.DEMO_LOAN_IDS[2], amount: '0.10', type: 'cashback_refund', ref: 'CB-3' },
];

const refunds = (options: Record<string, unknown> = {}) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: { __rl: true, mode: 'id', value: '={{ $json.loan }}' },
	amount: '={{ $json.amount }}',
	refundType: '={{ $json.type }}',
	options: { rowNumber: '={{ $json.row }}', reference: '={{ $json.ref }}', ...options },
});

const continueRun = { onError: 'continueRegularOutput' as const, typeVersion: 2 };

async function validate(sheet = SHEET, typeVersion = 2) {
	const result = await sandbox.run(refunds({ validateOnly: true }), {
		...continueRun,
		typeVersion,
		items: sheet,
	});
	expect(sandbox.requests).toHaveLength(0);
	return result;
}

async function batchOf(sheet = SHEET) {
	const { output } = await validate(sheet);
	return output.at(-1)!.json.batch as Record<string, any>;
}

const send = (approvedBatch: unknown, sheet = SHEET, extra: Record<string, unknown> = {}) =>
	sandbox.run(refunds({ approvedBatch, ...extra }), {
		...continueRun,
		items: sheet,
		mode: 'trigger',
	});

const sentPaths = () => sandbox.requests.map((request) => request.path).sort();
const GOOD_ROWS = [SHEET[0], SHEET[1], SHEET[3], SHEET[4]];
const refundPath = (loan: string) => `/v1/lms/loans/${loan}/refunds/`;

test('Validate Only on version 2 ends with the batch: figures, summary lines, every row, a digest; nothing sent', async () => {
	const { output } = await validate();
	expect(output).toHaveLength(SHEET.length + 1);
	const last = output.at(-1)!;
	expect(last.pairedItem).toEqual(SHEET.map((_, item) => ({ item })));
	const batch = last.json.batch as Record<string, any>;
	expect(batch).toMatchObject({
		operation: 'loan/initiateRefund',
		rows: 5,
		toSend: 4,
		refused: 1,
		totalAmount: 101751.35,
		refusedRows: [{ row: 4, reason: 'Row 4: Amount is not a number: "abc"' }],
	});
	expect(batch.digest).toMatch(/^[0-9a-f]{64}$/);
	expect(batch.entries).toHaveLength(5);
	expect(batch.entries[1]).toEqual({
		row: 3,
		values: {
			loan_id: ids.DEMO_LOAN_IDS[0],
			amount: 250.75,
			type: 'holdback_refund',
			reference: 'HB-1',
		},
		method: 'POST',
		path: refundPath(ids.DEMO_LOAN_IDS[0]),
		body: { amount: 250.75, type: 'holdback_refund' },
	});
	expect(batch.summary.split('\n')).toEqual([
		'Loan → Initiate Refund: 5 rows, 4 to send, 1 refused.',
		'',
		'To send (total ₹1,01,751.35):',
		`- Row 2: loan_id ${ids.DOCS_LOAN_ID}, amount 1500, type cashback_refund, reference CB-1`,
		`- Row 3: loan_id ${ids.DEMO_LOAN_IDS[0]}, amount 250.75, type holdback_refund, reference HB-1`,
		`- Row 5: loan_id ${ids.DEMO_LOAN_IDS[2]}, amount 100000.5, type holdback_refund, reference HB-2`,
		`- Row 6: loan_id ${ids.DEMO_LOAN_IDS[2]}, amount 0.1, type cashback_refund, reference CB-3`,
		'',
		'Refused (not sent):',
		'- Row 4: Amount is not a number: "abc"',
		'',
		`Batch ${batch.digest.slice(0, 12)}`,
	]);
});

test('the same sheet validated twice makes the same digest; a changed amount, another one', async () => {
	const first = await batchOf();
	expect((await batchOf()).digest).toBe(first.digest);
	const changed = SHEET.map((row) => (row.row === 3 ? { ...row, amount: '250.76' } : row));
	expect((await batchOf(changed)).digest).not.toBe(first.digest);
	// Written another way, the same money: 1500 and "1,500.00" are one amount.
	const rewritten = SHEET.map((row) => (row.row === 2 ? { ...row, amount: '1,500.00' } : row));
	expect((await batchOf(rewritten)).digest).toBe(first.digest);
});

test('version 1 Validate Only is unchanged: one item per row, no batch', async () => {
	const { output } = await validate(SHEET, 1);
	expect(output).toHaveLength(SHEET.length);
	expect(output.some((item) => 'batch' in item.json)).toBe(false);
});

test('the approved batch is sent, each row once; the same approval again sends nothing', async () => {
	const batch = await batchOf();
	const result = await send(batch);
	expect(result.error).toBeUndefined();
	expect(sentPaths()).toEqual(GOOD_ROWS.map((row) => refundPath(row.loan)).sort());
	expect(result.output.filter((item) => item.json.status === 'pending_approval')).toHaveLength(4);

	const again = await send(batch);
	expect(sandbox.requests).toHaveLength(4);
	expect(again.output).toHaveLength(SHEET.length);
	for (const item of again.output) {
		expect(item.json.error).toMatch(/^Nothing sent: this approved batch was sent before/);
		expect(item.json.message).toMatchObject({ outcome: 'notSent', moneyMoved: 'no' });
	}
	// Only the digest, mapped on its own, is the same approval.
	await send(batch.digest);
	expect(sandbox.requests).toHaveLength(4);
});

test('the digest alone approves as the whole batch does', async () => {
	const batch = await batchOf();
	const result = await send(`  ${batch.digest.toUpperCase()} `);
	expect(result.error).toBeUndefined();
	expect(sentPaths()).toHaveLength(4);
});

test.each([
	[
		'an amount changed',
		(sheet: typeof SHEET) =>
			sheet.map((row) => (row.row === 3 ? { ...row, amount: '260.75' } : row)),
		'Row 3: amount 250.75 → 260.75',
	],
	[
		'a row added',
		(sheet: typeof SHEET) => [...sheet, { ...sheet[0], row: 7, ref: 'CB-9' }],
		'Row 7 added',
	],
	['a row removed', (sheet: typeof SHEET) => sheet.filter((row) => row.row !== 5), 'Row 5 removed'],
	[
		'a refused row fixed',
		(sheet: typeof SHEET) => sheet.map((row) => (row.row === 4 ? { ...row, amount: '40' } : row)),
		'Row 4: was refused, now to send',
	],
	[
		'a loan changed',
		(sheet: typeof SHEET) =>
			sheet.map((row) => (row.row === 2 ? { ...row, loan: ids.DEMO_LOAN_IDS[1] } : row)),
		`Row 2: loan_id ${ids.DOCS_LOAN_ID} → ${ids.DEMO_LOAN_IDS[1]}`,
	],
])(
	'the sheet changed after approval (%s): nothing sent, the error names the change',
	async (_what, change, named) => {
		const batch = await batchOf();
		const result = await send(batch, change(SHEET));
		expect(sandbox.requests).toHaveLength(0);
		const messages = result.output.map((item) => item.json.error as string);
		for (const message of messages) {
			expect(message).toMatch(/^Nothing sent: the rows are not the batch that was approved/);
			expect(message).toContain(named);
		}
		// The approval was not used: the approved sheet itself still sends.
		await send(batch);
		expect(sandbox.requests).toHaveLength(4);
	},
);

test('set to stop on error, a changed sheet fails the run before anything is sent', async () => {
	const batch = await batchOf();
	const result = await sandbox.run(refunds({ approvedBatch: batch }), {
		typeVersion: 2,
		items: GOOD_ROWS.map((row) => (row.row === 6 ? { ...row, amount: '0.2' } : row)),
	});
	expect(result.error?.message).toMatch(
		/^Nothing sent: the rows are not the batch that was approved/,
	);
	expect(sandbox.requests).toHaveLength(0);
});

test.each([
	['empty', ''],
	['null', null],
	['an object without a digest', { rows: 5 }],
	['text that is no batch', 'approved'],
])('Approved Batch that maps nothing (%s) sends nothing', async (_what, value) => {
	const result = await send(value);
	expect(sandbox.requests).toHaveLength(0);
	for (const item of result.output)
		expect(item.json.error).toMatch(
			/^Nothing sent: Approved Batch (holds no batch|has no digest)$/,
		);
});

test('a batch edited after it was made (an amount raised in its rows) is refused', async () => {
	const batch = await batchOf();
	const edited = structuredClone(batch);
	edited.entries[0].body.amount = 15000;
	edited.entries[0].values.amount = 15000;
	const result = await send(
		edited,
		SHEET.map((row) => (row.row === 2 ? { ...row, amount: '15000' } : row)),
	);
	expect(sandbox.requests).toHaveLength(0);
	expect(result.output[0].json.error).toBe(
		'Nothing sent: the approved batch was changed after it was made (its rows no longer match its digest)',
	);
});

test('Approved Batch with Refuse Duplicates off is refused: only the ledger makes an approval pay once', async () => {
	const batch = await batchOf();
	const result = await send(batch, SHEET, { duplicateGuard: false });
	expect(sandbox.requests).toHaveLength(0);
	expect(result.output[0].json.error).toBe(
		'Nothing sent: Approved Batch needs Refuse Duplicates on',
	);
});

test('two executions resuming one approval at once: one pays, the other sends nothing', async () => {
	const batch = await batchOf();
	const [a, b] = await Promise.all([send(batch), send(batch)]);
	expect(sentPaths()).toEqual(GOOD_ROWS.map((row) => refundPath(row.loan)).sort());
	const refusedRuns = [a, b].filter((run) =>
		run.output.every((item) => /^Nothing sent:/.test(String(item.json.error))),
	);
	expect(refusedRuns).toHaveLength(1);
});

test('an approved batch whose rows were partly sent before: those are skipped as already sent, the rest sent', async () => {
	// Rows sent before (the ledger knows their References) are skipped; the approval sends only the rest.
	const batch = await batchOf();
	await sandbox.run(refunds(), { ...continueRun, items: [SHEET[0]], mode: 'trigger' });
	expect(sandbox.requests).toHaveLength(1);
	const result = await send(batch);
	expect(sandbox.requests).toHaveLength(4);
	expect(result.output[0].json).toMatchObject({ alreadySent: true });
});

test('a row with the bad loan: Crego refuses it, the rest of the approved batch is done', async () => {
	const sheet = SHEET.map((row) => (row.row === 6 ? { ...row, loan: BAD_LOAN } : row));
	const batch = await batchOf(sheet);
	const result = await send(batch, sheet);
	expect(sandbox.requests.map((request) => request.status).sort()).toEqual([201, 201, 201, 404]);
	expect(result.output.find((item) => item.json.message)?.json.message).toBeDefined();
});

test('an approval already used is refused before Send Again forgets anything: the rows keep their record', async () => {
	const sheet = GOOD_ROWS.map((row) => ({ ...row, again: row.row === 2 }));
	const parameters = refunds({
		approvedBatch: '={{ $json.batch }}',
		sendAgain: '={{ $json.again }}',
	});
	const batch = await (async () => {
		const { output } = await sandbox.run(
			refunds({ validateOnly: true, sendAgain: '={{ $json.again }}' }),
			{
				...continueRun,
				items: sheet,
			},
		);
		return output.at(-1)!.json.batch;
	})();
	const items = sheet.map((row) => ({ ...row, batch }));
	await sandbox.run(parameters, { ...continueRun, items, mode: 'trigger' });
	expect(sandbox.requests).toHaveLength(4);
	const again = await sandbox.run(parameters, { ...continueRun, items, mode: 'trigger' });
	expect(again.output[0].json.error).toMatch(/^Nothing sent: this approved batch was sent before/);
	// Row 2 without Send Again and without an approval: the ledger still knows it was sent.
	const plain = await sandbox.run(refunds(), {
		...continueRun,
		items: [GOOD_ROWS[0]],
		mode: 'trigger',
	});
	expect(plain.output[0].json).toMatchObject({ alreadySent: true });
	expect(sandbox.requests).toHaveLength(4);
});
