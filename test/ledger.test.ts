/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Exactly once across executions: the ledger in n8n's processed-data store (here its
 * in-memory twin, with n8n's semantics), and resume after n8n's Retry. Every test runs
 * executions through n8n-core's engine and counts, in the sandbox's request log, how
 * often each row reached Crego.
 */
import type { IDataObject } from 'n8n-workflow';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';
import { outcomeOf } from './helpers/outcome';
import { processPayoutFromRows } from './helpers/parameters';
import { amountKey } from '../nodes/Crego/writeSafety/duplicateKeys';

/** What a moved clock leaves real: timers and the event loop, so the ledger's waits and the sockets still run. */
const REAL_TIMERS: FakeableAPI[] = [
	'nextTick',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
	'queueMicrotask',
	'hrtime',
	'performance',
];

const sandbox = useSandbox();

const LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
const refunds = (options: Record<string, unknown> = {}) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: '={{ $json.loan }}',
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
	options: {
		reference: '={{ $json.reference ?? "" }}',
		sendAgain: '={{ $json.sendAgain ?? false }}',
		...options,
	},
});
/** A sheet of refunds: row i refunds 100 + i on loan i. */
const sheet = (count: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
	Array.from({ length: count }, (_, i) => ({
		loan: LOANS[i % LOANS.length],
		amount: 100 + i,
		...extra(i),
	}));
/** How many times each row of the sheet reached Crego (by its amount). */
const sendsPerRow = (count: number) =>
	Array.from(
		{ length: count },
		(_, i) =>
			sandbox.requests.filter((r) => r.method === 'POST' && r.body.amount === 100 + i).length,
	);
const outcomes = (items: Array<{ json: IDataObject }>) =>
	items.map(({ json }) =>
		json.alreadySent
			? 'alreadySent'
			: json.alreadyDone
				? 'alreadyDone'
				: (outcomeOf({ json }) ?? 'done'),
	);
const continueRun = { onError: 'continueRegularOutput' as const };

describe('the same sheet run again', () => {
	test('a second execution sends nothing, and says per row that this node sent it today', async () => {
		const first = await sandbox.run(refunds(), { items: sheet(4), ...continueRun });
		expect(outcomes(first.output)).toEqual(['done', 'done', 'done', 'done']);
		const second = await sandbox.run(refunds(), { items: sheet(4), ...continueRun });
		expect(sendsPerRow(4)).toEqual([1, 1, 1, 1]);
		expect(outcomes(second.output)).toEqual([
			'alreadySent',
			'alreadySent',
			'alreadySent',
			'alreadySent',
		]);
		expect(second.output[0].json).toMatchObject({
			alreadySent: true,
			sentOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			reason: expect.stringMatching(
				/^Not sent again: this node sent it on business day \d{4}-\d{2}-\d{2} \(same loan, refund type and amount\), and Crego did it\.$/,
			),
		});
	});

	test('also with the node set to stop on error: the repeat is skipped, not a failure, and a new row in the sheet is sent', async () => {
		await sandbox.run(refunds(), { items: sheet(3) });
		const again = await sandbox.run(refunds(), { items: sheet(4) });
		expect(again.error).toBeUndefined();
		expect(outcomes(again.output)).toEqual(['alreadySent', 'alreadySent', 'alreadySent', 'done']);
		expect(sendsPerRow(4)).toEqual([1, 1, 1, 1]);
	});

	test('at scale: a sheet of 200 rows run again costs a fixed handful of store calls, not a few per row', async () => {
		await sandbox.run(refunds(), { items: sheet(200) });
		sandbox.store!.calls = 0;
		const again = await sandbox.run(refunds(), { items: sheet(200) });
		expect(outcomes(again.output).every((o) => o === 'alreadySent')).toBe(true);
		// Two to see the store is there (how full the node's list and the workflow's are), one for the ledger's layout, two to read where today began, one to claim every row, one to tell done from unknown, one to drop the claim's token. No row is sent, so none is held.
		expect(sandbox.store!.calls).toBe(8);
		expect(sandbox.requests).toHaveLength(200);
	});

	test('the detail n8n keeps in static data (runs not started from the editor) names the execution', async () => {
		const staticData = {};
		await sandbox.run(refunds(), {
			items: sheet(1),
			mode: 'trigger',
			executionId: '101',
			staticData,
		});
		const again = await sandbox.run(refunds(), {
			items: sheet(1),
			mode: 'trigger',
			executionId: '102',
			staticData,
		});
		expect(again.output[0].json).toMatchObject({
			sentInExecution: '101',
			ref_id: sandbox.requests[0].response.ref_id,
		});
		expect(again.output[0].json.reason).toMatch(/ in execution 101 at \d{4}-\d{2}-\d{2}T/);
	});

	test('the next business day, the same row is a new refund (a monthly repeat)', async () => {
		await sandbox.run(refunds(), { items: sheet(2) });
		jest.useFakeTimers({
			now: Date.now() + 24 * 3_600_000,
			doNotFake: REAL_TIMERS,
		});
		try {
			const tomorrow = await sandbox.run(refunds(), { items: sheet(2) });
			expect(outcomes(tomorrow.output)).toEqual(['done', 'done']);
		} finally {
			jest.useRealTimers();
		}
		expect(sendsPerRow(2)).toEqual([2, 2]);
	});
});

test("Update Loan Params: a later run may correct a lead's parameters the same day; the same values again are a repeat", async () => {
	const params = (emis: number) => ({
		resource: 'account',
		operation: 'updateLoanParams',
		leadId: ids.DEMO_LOAN_IDS[0],
		programId: ids.DEMO_LOAN_IDS[1],
		updateFields: { emiCount: emis },
	});
	await sandbox.run(params(12));
	const corrected = await sandbox.run(params(24), continueRun);
	const repeated = await sandbox.run(params(24), continueRun);
	expect([outcomes(corrected.output), outcomes(repeated.output)]).toEqual([
		['done'],
		['alreadySent'],
	]);
	expect(sandbox.requests.map((r) => (r.body.loan_data as IDataObject).emi_count)).toEqual([
		'12',
		'24',
	]);
});

test('month-end: a sheet of 20,000 payouts run three times the same day sends nothing the second and third time (claim tokens take one value per run, not per row)', async () => {
	const template = sandbox.state.payouts.get(ids.DOCS_PAYOUT_ID);
	const payoutId = (i: number) => `5e770000-0000-4000-8000-${String(i).padStart(12, '0')}`;
	const rows = Array.from({ length: 20_000 }, (_, i) => ({
		payout: payoutId(i),
		utr: `UTRME${i}`,
	}));
	for (let i = 0; i < rows.length; i++)
		sandbox.state.payouts.set(payoutId(i), { ...template, id: payoutId(i), ref_id: `PAYME${i}` });
	const first = await sandbox.run(processPayoutFromRows, { items: rows, ...continueRun });
	expect(
		first.output.every((item) => item.json.ref_id !== undefined && !item.json.alreadySent),
	).toBe(true);
	for (const again of [2, 3]) {
		const run = await sandbox.run(processPayoutFromRows, { items: rows, ...continueRun });
		expect({
			again,
			alreadySent: run.output.filter((item) => item.json.alreadySent).length,
		}).toEqual({ again, alreadySent: 20_000 });
	}
	expect(sandbox.requests.filter((request) => request.didWork)).toHaveLength(20_000);
	expect(sandbox.requests).toHaveLength(20_000);
}, 600_000);

test('outcomes are written in batches: 2,000 rows cost a few store calls per 500 rows, not one per row, and every row is recorded done', async () => {
	sandbox.store!.calls = 0;
	const first = await sandbox.run(refunds(), { items: sheet(2_000) });
	expect(outcomes(first.output).every((o) => o === 'done')).toBe(true);
	const calls = sandbox.store!.calls;
	// Opening (2 counts), the claim and its holds (2 writes, 2 token checks), four calls per batch of 500 at most, the run's token at the end.
	expect(calls).toBeLessThanOrEqual(6 + 4 * 4 + 1 + 4);
	const again = await sandbox.run(refunds(), { items: sheet(2_000) });
	expect(outcomes(again.output).every((o) => o === 'alreadySent')).toBe(true);
	expect(sandbox.requests).toHaveLength(2_000);
	// Nothing left held in the workflow's list (only the ledger's layout marker): every row was settled.
	expect(sandbox.store!.records.get('wf-test|')?.hashes).toHaveLength(1);
}, 120_000);

/** Runs at a moment of the clock (timers stay real). */
async function at<T>(iso: string, work: () => Promise<T>): Promise<T> {
	jest.useFakeTimers({
		now: Date.parse(iso),
		doNotFake: REAL_TIMERS,
	});
	try {
		return await work();
	} finally {
		jest.useRealTimers();
	}
}
const md5 = (value: string): string =>
	require('node:crypto').createHash('md5').update(value).digest('base64');
const NODE_LIST = 'wf-test|n:subject';
const WORKFLOW_LIST = 'wf-test|';
const hashesOf = (list: string) => sandbox.store!.records.get(list)?.hashes ?? [];

describe('capacity by business day: the node keeps today and the day before, References and unknowns for good', () => {
	/** Noon IST on day `n` of December 2026. */
	const day = (n: number) => `2026-12-${String(n).padStart(2, '0')}T06:30:00+00:00`;
	const dayValue = (n: number, loan: number, amount: number) =>
		md5(
			`crego1|day|2026-12-${String(n).padStart(2, '0')}|refund|${LOANS[loan].toLowerCase()}|cashback_refund|${amountKey(amount)}`,
		);

	test("a day's keys leave the node's list two business days later; a row of unknown outcome from that day is still refused", async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[3]}/refunds/`,
			status: 502,
			body: '',
			process: true,
		});
		const first = await at(day(1), () =>
			sandbox.run(refunds(), { items: sheet(4), ...continueRun }),
		);
		expect(outcomes(first.output)).toEqual(['done', 'done', 'done', 'unknown']);
		await at(day(2), () =>
			sandbox.run(refunds(), {
				items: sheet(3).map((row) => ({ ...row, amount: row.amount + 50 })),
				...continueRun,
			}),
		);
		expect(hashesOf(NODE_LIST)).toEqual(
			expect.arrayContaining([dayValue(1, 0, 100), dayValue(2, 0, 150)]),
		);
		const third = await at(day(3), () =>
			sandbox.run(refunds(), { items: sheet(4), ...continueRun }),
		);
		// Day 1's keys are gone (day 2's stay); its done rows are new writes on day 3 (the business-day rule), its unknown row is held.
		expect(hashesOf(NODE_LIST)).not.toContain(dayValue(1, 0, 100));
		expect(hashesOf(NODE_LIST)).toEqual(
			expect.arrayContaining([dayValue(2, 0, 150), dayValue(3, 0, 100)]),
		);
		expect(outcomes(third.output)).toEqual(['done', 'done', 'done', 'unknown']);
		expect(third.output[3].json.error).toMatch(
			/Not sent again: this node sent it on an earlier business day .*and its outcome was unknown$/,
		);
		expect(sendsPerRow(4)).toEqual([2, 2, 2, 1]);
	});

	test('a business day that could pass 200,000 values is refused before anything is recorded or sent; the next day has room, and the day after drops it', async () => {
		// Today (2 December) began with an empty list, and took 199,995 values since.
		const today = '2026-12-02';
		sandbox.store!.records.set(NODE_LIST, {
			mode: 'entries',
			hashes: [
				md5(`crego1|start|${today}`),
				...Array.from({ length: 199_995 }, (_, i) => `today-${i}`),
			],
		});
		sandbox.store!.records.set(WORKFLOW_LIST, {
			mode: 'entries',
			hashes: [md5('crego1|layout|days|subject')],
		});
		const full = await at(day(2), () => sandbox.run(refunds(), { items: sheet(4) }));
		expect(full.error?.message).toBe(
			"Nothing sent: the ledger could not record the rows (this node's ledger is full for business day 2026-12-02: it took 199,996 of the 200,000 values a day may take, and this run may add 9)",
		);
		expect(full.error?.description).toMatch(
			/^Nothing was recorded or sent\. .*The next business day it has room again/,
		);
		expect(hashesOf(NODE_LIST)).toHaveLength(199_996);
		const nextDay = await at(day(3), () => sandbox.run(refunds(), { items: sheet(4) }));
		expect(outcomes(nextDay.output)).toEqual(['done', 'done', 'done', 'done']);
		// The day before is kept whole.
		expect(hashesOf(NODE_LIST)).toContain('today-0');
		await at(day(4), () => sandbox.run(refunds(), { items: sheet(1) }));
		// Two days on, the 2nd is gone.
		expect(hashesOf(NODE_LIST).filter((hash) => hash.startsWith('today-'))).toEqual([]);
		expect(hashesOf(NODE_LIST).length).toBeLessThan(30);
		expect(sandbox.requests).toHaveLength(5);
	});

	test('100,000 References over five business days, then the first sheet again: nothing sent; the node keeps two days', async () => {
		// Refunds of one loan go one at a time: 500 loans, so the sheet goes out 20 at a time as a month-end sheet would.
		const loans = Array.from(
			{ length: 500 },
			(_, i) => `1a000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		);
		for (const loan of loans) (sandbox.state as unknown as { loans: Set<string> }).loans.add(loan);
		const referenced = (run: number) =>
			Array.from({ length: 20_000 }, (_, i) => ({
				loan: loans[i % loans.length],
				amount: 1_000 + run * 20_000 + i,
				reference: `INV-${run}-${i}`,
			}));
		for (let run = 0; run < 5; run++) {
			const result = await at(day(10 + run), () =>
				sandbox.run(refunds(), { items: referenced(run), ...continueRun }),
			);
			expect({
				run,
				done: result.output.filter((item) => !item.json.message && !item.json.alreadySent).length,
			}).toEqual({ run, done: 20_000 });
		}
		const again = await at(day(15), () =>
			sandbox.run(refunds(), {
				items: referenced(0).map((row) => ({ ...row, amount: row.amount + 1 })),
				...continueRun,
			}),
		);
		expect(again.output.filter((item) => item.json.alreadySent).length).toBe(20_000);
		expect(sandbox.requests).toHaveLength(100_000);
		// References and their done markers in the workflow's list; the node's list holds about two days of rows, not five.
		expect(hashesOf(WORKFLOW_LIST).length).toBeGreaterThanOrEqual(200_000);
		expect(hashesOf(NODE_LIST).length).toBeLessThan(2 * 20_000 * 4);
	}, 600_000);
});

describe('across midnight in the business timezone (IST)', () => {
	test('a refund whose answer was lost at 23:59:58 IST (Crego did it) is not sent again by a re-run at 00:00:02 IST, nor days later; Send Again releases it', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[0]}/refunds/`,
			status: 502,
			body: '',
			process: true,
		});
		const lost = await at('2026-12-07T18:29:58+00:00', () =>
			sandbox.run(refunds(), { items: sheet(1), ...continueRun }),
		);
		expect(outcomes(lost.output)).toEqual(['unknown']);
		for (const later of [
			'2026-12-07T18:30:02+00:00',
			'2026-12-10T09:00:00+00:00',
			'2027-01-07T09:00:00+00:00',
		]) {
			const run = await at(later, () =>
				sandbox.run(refunds(), { items: sheet(1), ...continueRun }),
			);
			expect({ later, outcomes: outcomes(run.output) }).toEqual({ later, outcomes: ['unknown'] });
			expect(run.output[0].json.error).toMatch(
				/^Item 0: Not sent again: this node sent it on an earlier business day .*\(same loan, refund type and amount\), and its outcome was unknown$/,
			);
		}
		expect(sendsPerRow(1)).toEqual([1]);
		const released = await at('2027-01-07T09:00:05+00:00', () =>
			sandbox.run(refunds(), { items: sheet(1, () => ({ sendAgain: true })), ...continueRun }),
		);
		expect(outcomes(released.output)).toEqual(['done']);
		expect(sendsPerRow(1)).toEqual([2]);
	});

	test('a refund Crego did at 23:59:58 IST is a new write after midnight (the business-day rule)', async () => {
		await at('2026-12-07T18:29:58+00:00', () =>
			sandbox.run(refunds(), { items: sheet(1), ...continueRun }),
		);
		const nextDay = await at('2026-12-07T18:30:02+00:00', () =>
			sandbox.run(refunds(), { items: sheet(1), ...continueRun }),
		);
		expect(outcomes(nextDay.output)).toEqual(['done']);
		expect(sendsPerRow(1)).toEqual([2]);
	});
});

describe('capacity of a ledger written before business days were kept apart: 200,000 values, none ever dropped', () => {
	const KEY = 'wf-test|n:subject';
	/** The node's ledger already holding `count` values of earlier runs. */
	const filledWith = (count: number) =>
		sandbox.store!.records.set(KEY, {
			mode: 'entries',
			hashes: Array.from({ length: count }, (_, i) => `earlier-${i}`),
		});

	test('a run that fits is sent, and not one earlier value is dropped to make room', async () => {
		filledWith(199_990);
		const result = await sandbox.run(refunds(), { items: sheet(2) });
		expect(outcomes(result.output)).toEqual(['done', 'done']);
		const hashes = sandbox.store!.records.get(KEY)!.hashes;
		// Two refunds: a value and a done marker each, and nothing of the earlier values gone.
		expect(hashes).toHaveLength(199_994);
		expect(hashes[0]).toBe('earlier-0');
	});

	test('a run that could pass the bound is refused before anything is recorded or sent, saying how full and what to do', async () => {
		filledWith(199_995);
		const result = await sandbox.run(refunds(), { items: sheet(4) });
		expect(result.error?.message).toBe(
			"Nothing sent: the ledger could not record the rows (this node's ledger is full: it holds 199,995 of 200,000 values, and this run may add 9)",
		);
		expect(result.error?.description).toMatch(
			/^Nothing was recorded or sent\. .*a copy of this node/,
		);
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.store!.records.get(KEY)!.hashes).toHaveLength(199_995);
	});
});

describe('Reference', () => {
	test('a Reference once sent is refused on any later day; two equal rows with different references are both sent', async () => {
		const invoices = (refs: string[]) =>
			refs.map((reference) => ({ loan: ids.DOCS_LOAN_ID, amount: 500, reference }));
		const first = await sandbox.run(refunds(), {
			items: invoices(['INV-1', 'INV-2']),
			...continueRun,
		});
		expect(outcomes(first.output)).toEqual(['done', 'done']);
		jest.useFakeTimers({
			now: Date.now() + 40 * 24 * 3_600_000,
			doNotFake: REAL_TIMERS,
		});
		try {
			const later = await sandbox.run(refunds(), {
				items: invoices([' inv-2 ', 'INV-3']),
				...continueRun,
			});
			expect(outcomes(later.output)).toEqual(['alreadySent', 'done']);
			expect(later.output[0].json.reason).toMatch(
				/^Not sent again: this node sent Reference "inv-2" before \(a Reference is used once\) \(same Reference\)/,
			);
			expect(later.output[0].json.sent).toMatchObject({ item: 0, reference: 'inv-2' });
		} finally {
			jest.useRealTimers();
		}
		expect(sandbox.requests).toHaveLength(3);
	});

	test('spaces and case are ignored, as documented: "INV 7" then "inv7" is one Reference; a ledger written before this rule still refuses its own form', async () => {
		const first = await sandbox.run(refunds(), {
			items: [{ loan: ids.DOCS_LOAN_ID, amount: 10, reference: 'INV 7' }],
			...continueRun,
		});
		expect(outcomes(first.output)).toEqual(['done']);
		const again = await sandbox.run(refunds(), {
			items: [{ loan: ids.DEMO_LOAN_IDS[0], amount: 11, reference: 'inv7' }],
			...continueRun,
		});
		expect(outcomes(again.output)).toEqual(['alreadySent']);
		// A ledger written by the release before: "INV 8" kept its single space, and Crego did it (References then lived in the node's list).
		const md5 = (value: string) =>
			require('node:crypto').createHash('md5').update(value).digest('base64');
		const legacy = 'crego1|always|ref|INV 8';
		sandbox.store!.records.set('wf-legacy|n:subject', {
			mode: 'entries',
			hashes: [md5(legacy), md5(`crego1|done|${legacy}`)],
		});
		const legacyRow = await sandbox.run(refunds(), {
			items: [{ loan: ids.DEMO_LOAN_IDS[1], amount: 12, reference: 'INV  8' }],
			workflowId: 'wf-legacy',
			...continueRun,
		});
		expect(outcomes(legacyRow.output)).toEqual(['alreadySent']);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('Process Payout keeps its payout and UTR rules with References: two References never make one UTR or one payout two', async () => {
		const process = { ...processPayoutFromRows, options: { reference: '={{ $json.reference }}' } };
		const first = await sandbox.run(process, {
			items: [{ payout: ids.DEMO_PAYOUT_IDS[0], utr: 'UTR 777', reference: 'BANK-1' }],
			...continueRun,
		});
		expect(outcomes(first.output)).toEqual(['done']);
		const later = await sandbox.run(process, {
			items: [
				{ payout: ids.DEMO_PAYOUT_IDS[1], utr: 'utr777', reference: 'BANK-2' },
				{ payout: ids.DEMO_PAYOUT_IDS[0], utr: 'UTR778', reference: 'BANK-3' },
			],
			...continueRun,
		});
		expect(outcomes(later.output)).toEqual(['alreadySent', 'alreadySent']);
		expect(later.output.map((item) => item.json.reason)).toEqual([
			expect.stringMatching(/\(same UTR \(ignoring case and spaces\)\), and Crego did it\.$/),
			expect.stringMatching(/\(same payout\), and Crego did it\.$/),
		]);
		// Within one sheet too.
		const sheetOf = await sandbox.run(process, {
			items: [
				{ payout: ids.DOCS_PAYOUT_ID, utr: 'UTR 900', reference: 'BANK-4' },
				{ payout: ids.DEMO_PAYOUT_IDS[1], utr: 'utr900', reference: 'BANK-5' },
			],
			...continueRun,
		});
		expect(sheetOf.output[1].json.error).toBe(
			'Item 1: Not sent: duplicate of item 0 (same UTR (ignoring case and spaces))',
		);
		expect(sandbox.requests.filter((request) => request.didWork)).toHaveLength(2);
	});

	test('a row with a Reference and a row without one for the same refund the same day are one refund, either way round; two References for it are two', async () => {
		const row = (loan: string, reference?: string) => ({
			loan,
			amount: 700,
			...(reference ? { reference } : {}),
		});
		const [a, b, c] = LOANS;
		// Without, then with; with two References, then without.
		for (const items of [
			[row(a)],
			[row(a, 'INV-70')],
			[row(b, 'INV-71')],
			[row(b, 'INV-72')],
			[row(b)],
		])
			await sandbox.run(refunds(), { items, ...continueRun });
		const sent = (loan: string) =>
			sandbox.requests.filter((request) => request.method === 'POST' && request.path.includes(loan))
				.length;
		expect([sent(a), sent(b)]).toEqual([1, 2]);
		// Within one sheet, either way round.
		const sheetOf = await sandbox.run(refunds(), {
			items: [row(c, 'INV-73'), row(c, 'INV-74'), row(c), row(c, 'INV-75')],
			...continueRun,
		});
		expect(outcomes(sheetOf.output)).toEqual(['done', 'done', 'notSent', 'done']);
		expect(sheetOf.output[2].json.error).toBe(
			'Item 2: Not sent: duplicate of item 0 (same loan, refund type and amount)',
		);
		const plainFirst = await sandbox.run(refunds(), {
			items: [row(LOANS[3]), row(LOANS[3], 'INV-76')],
			...continueRun,
		});
		expect(outcomes(plainFirst.output)).toEqual(['done', 'notSent']);
		// The next business day, a row with a new Reference is a new refund.
		jest.useFakeTimers({
			now: Date.now() + 24 * 3_600_000,
			doNotFake: REAL_TIMERS,
		});
		try {
			const nextDay = await sandbox.run(refunds(), { items: [row(a, 'INV-77')], ...continueRun });
			expect(outcomes(nextDay.output)).toEqual(['done']);
		} finally {
			jest.useRealTimers();
		}
	});

	test('the same Reference twice in one sheet: the second is refused before anything is sent', async () => {
		const result = await sandbox.run(refunds(), {
			items: [
				{ loan: ids.DOCS_LOAN_ID, amount: 1, reference: 'T-9' },
				{ loan: ids.DEMO_LOAN_IDS[0], amount: 2, reference: 't-9' },
			],
		});
		expect(result.error?.message).toBe('Item 1: Not sent: duplicate of item 0 (same Reference)');
		expect(sandbox.requests).toEqual([]);
	});
});

describe('write-ahead: recorded before sending, released when Crego certainly did nothing', () => {
	test('a row is in the ledger while its request is in flight', async () => {
		sandbox.injectFault({ path: '/v1/lms/loans/*', delayMs: 300 });
		const running = sandbox.run(refunds(), { items: sheet(1) });
		while (sandbox.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
		const inFlight = [...sandbox.store!.records.values()].reduce(
			(sum, record) => sum + record.hashes.length,
			0,
		);
		await running;
		// In the node's list: where the business day began, the row's value, and the claim token the run keeps until it ends (one per run, not per row). In the workflow's: the ledger's layout, and the row's hold.
		expect(inFlight).toBe(5);
	});

	test('a rejected row is released: fixed and run again, it goes through', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
			status: 400,
			body: { amount: ['Refund exceeds the cashback balance.'] },
		});
		const first = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(first.output)).toEqual(['rejected', 'done']);
		const again = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(again.output)).toEqual(['done', 'alreadySent']);
		expect(sendsPerRow(2)).toEqual([2, 1]);
	});

	test('a row refused by the breaker or never reached is released too', async () => {
		sandbox.injectFault({
			path: '/v1/lms/loans/*',
			times: 0,
			status: 429,
			retryAfter: 0,
			body: { detail: 'Request was throttled.' },
		});
		const first = await sandbox.run(refunds(), { items: sheet(1), ...continueRun });
		expect(outcomes(first.output)).toEqual(['notSent']);
		// Only bookkeeping is left: where the day began (node's list) and the ledger's layout (workflow's).
		expect([...sandbox.store!.records.values()].map((record) => record.hashes.length)).toEqual([
			1, 1,
		]);
	});

	test('a row whose outcome was unknown stays recorded: the next execution refuses it as unknown, and with the node set to stop, before anything is sent', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
			status: 503,
			body: '',
		});
		await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		const continued = await sandbox.run(refunds(), { items: sheet(3), ...continueRun });
		expect(outcomes(continued.output)).toEqual(['unknown', 'alreadySent', 'done']);
		expect(continued.output[0].json.error).toMatch(
			/^Item 0: Not sent again: this node sent it on business day .* \(same loan, refund type and amount\), and its outcome was unknown$/,
		);
		const stopped = await sandbox.run(refunds(), { items: sheet(4) });
		expect(stopped.error?.message).toMatch(/^Item 0: Not sent again: .*its outcome was unknown$/);
		expect(sendsPerRow(4)).toEqual([1, 1, 1, 0]);
	});

	test('Send Again lets a checked row through, and only that row', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
			status: 504,
			body: '',
		});
		await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		const released = await sandbox.run(refunds(), {
			items: sheet(2, (i) => ({ sendAgain: i === 0 ? 'yes' : 'no' })),
			...continueRun,
		});
		expect(outcomes(released.output)).toEqual(['done', 'alreadySent']);
		expect(sendsPerRow(2)).toEqual([2, 1]);
		// Sent again and done: a third run refuses it as done.
		const third = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(third.output)).toEqual(['alreadySent', 'alreadySent']);
	});

	test('the store failing at the moment of recording: nothing is sent, and every row says it is safe to send again', async () => {
		sandbox.store!.failWhen = (method, items) =>
			method === 'checkProcessedAndRecord' &&
			items.some((item) => String(item).includes('|claim|'));
		const result = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(result.output)).toEqual(['notSent', 'notSent']);
		expect(result.output[0].json.error).toBe(
			'Nothing sent: the ledger could not record the rows (SQLITE_BUSY: database is locked)',
		);
		expect(sendsPerRow(2)).toEqual([0, 0]);
	});

	test('the store failing after Crego did the row: the row is done, and stays recorded, so a re-run does not pay it again', async () => {
		sandbox.store!.failWhen = (method, items) =>
			method === 'checkProcessedAndRecord' &&
			items.some((item) => String(item).startsWith('crego1|done|'));
		const result = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(result.output)).toEqual(['done', 'done']);
		sandbox.store!.failWhen = undefined;
		const again = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		expect(outcomes(again.output)).toEqual(['unknown', 'unknown']);
		expect(sendsPerRow(2)).toEqual([1, 1]);
	});

	test('n8n dies after sending (no outcome written, nothing released): the rows are refused as unknown the same day and on every later day, until Send Again', async () => {
		// From the first request on, every store call fails, as when the process is gone.
		sandbox.store!.failWhen = () => sandbox.requests.length > 0;
		await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
		sandbox.store!.failWhen = undefined;
		for (const days of [0, 1, 3, 30]) {
			jest.useFakeTimers({
				now: Date.now() + days * 24 * 3_600_000,
				doNotFake: REAL_TIMERS,
			});
			try {
				const again = await sandbox.run(refunds(), { items: sheet(2), ...continueRun });
				expect({ days, outcomes: outcomes(again.output) }).toEqual({
					days,
					outcomes: ['unknown', 'unknown'],
				});
			} finally {
				jest.useRealTimers();
			}
		}
		expect(sendsPerRow(2)).toEqual([1, 1]);
		const released = await sandbox.run(refunds(), {
			items: sheet(2, (i) => ({ sendAgain: i === 0 })),
			...continueRun,
		});
		expect(outcomes(released.output)).toEqual(['done', 'unknown']);
		expect(sendsPerRow(2)).toEqual([2, 1]);
	});

	test('Validate Only records nothing', async () => {
		await sandbox.run(refunds({ validateOnly: true }), { items: sheet(3) });
		expect(sandbox.store!.records.size).toBe(0);
		const real = await sandbox.run(refunds(), { items: sheet(3) });
		expect(outcomes(real.output)).toEqual(['done', 'done', 'done']);
	});

	test('a row another execution sends meanwhile is refused at the moment of sending', async () => {
		sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 100 });
		const [a, b] = await Promise.all([
			sandbox.run(refunds(), { items: sheet(3), ...continueRun }),
			sandbox.run(refunds(), { items: sheet(3), ...continueRun }),
		]);
		expect(sendsPerRow(3)).toEqual([1, 1, 1]);
		expect([...outcomes(a.output), ...outcomes(b.output)].filter((o) => o === 'done')).toHaveLength(
			3,
		);
	});
});

describe("n8n's Retry resumes a failed run", () => {
	// One at a time (Concurrent Requests 1), so the run stops with rows 4-5 never sent.
	const oneAtATime = () => refunds({ concurrency: 1 });

	test('set to stop: stopped by a 500 on row 3 of 5, then retried: rows 4-5 sent, then the run fails naming row 3 (never "Succeeded", never an error on the success output); retried again: nothing sent, same failure', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[2]}/refunds/`,
			status: 500,
			body: { detail: 'Server error.' },
		});
		const failed = await sandbox.run(oneAtATime(), { items: sheet(5) });
		expect(failed.error?.message).toMatch(
			/^Item 2: Outcome unknown: Crego had a server error \(HTTP 500\) \[already done: item 0 \(\w+\), item 1 \(\w+\); outcome unknown: item 2\]$/,
		);
		expect(sendsPerRow(5)).toEqual([1, 1, 1, 0, 0]);

		for (const retryOf of [failed.run]) {
			const retried = await sandbox.run(oneAtATime(), { items: sheet(5), retryOf });
			expect(sendsPerRow(5)).toEqual([1, 1, 1, 1, 1]);
			expect(retried.output).toEqual([]);
			expect(retried.error?.message).toMatch(
				/^Item 2: Not sent again: its outcome is unknown \(an earlier attempt sent it and got no certain answer\) \[already done: item 0 \(\w+\), item 1 \(\w+\), item 3 \(\w+\), item 4 \(\w+\); outcome unknown: item 2\]$/,
			);
			expect((retried.error as any).context.itemOutcomes).toEqual([
				'done',
				'done',
				'unknown',
				'done',
				'done',
			]);
			expect(retried.error?.description).toContain('Options → Send Again');
			// The advice to check in Crego is given once.
			expect(retried.error?.description?.match(/check in crego/gi)).toHaveLength(1);
			const again = await sandbox.run(oneAtATime(), { items: sheet(5), retryOf: retried.run });
			expect(sendsPerRow(5)).toEqual([1, 1, 1, 1, 1]);
			expect(again.error?.message).toMatch(/^Item 2: Not sent again: its outcome is unknown/);
		}
	});

	test('with the error output: the run goes on past the unknown row; run again, rows Crego did are skipped and the unknown row leaves on the error output, never on the success output', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[2]}/refunds/`,
			status: 500,
			body: { detail: 'Server error.' },
		});
		// Run as a schedule would (n8n keeps the detail of earlier sends only for runs not started from the editor).
		const errorOutput = {
			onError: 'continueErrorOutput' as const,
			mode: 'trigger' as const,
			staticData: {},
		};
		const failed = await sandbox.run(oneAtATime(), { items: sheet(5), ...errorOutput });
		// Continue: the run went on past the 500.
		expect(sendsPerRow(5)).toEqual([1, 1, 1, 1, 1]);
		const firstAnswers = sandbox.requests
			.filter((r) => r.status === 201)
			.map((r) => r.response.ref_id);
		// An execution set to continue does not fail, so n8n offers no Retry of it: running it again is a new execution, and the ledger holds every row.
		const rerun = await sandbox.run(oneAtATime(), { items: sheet(5), ...errorOutput });
		expect(sendsPerRow(5)).toEqual([1, 1, 1, 1, 1]);
		expect(outcomes(rerun.output)).toEqual([
			'alreadySent',
			'alreadySent',
			'alreadySent',
			'alreadySent',
		]);
		expect(rerun.output.map((o) => o.json.ref_id)).toEqual(firstAnswers);
		expect(outcomes(rerun.errorOutput)).toEqual(['unknown']);
		expect(rerun.errorOutput[0].json.message).toMatchObject({
			outcome: 'unknown',
			moneyMoved: 'unknown',
			item: 2,
			loan_id: LOANS[2],
		});
		void failed;
	});

	test('a retry that fails again, and is retried again, still sends each row once', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[1]}/refunds/`,
			status: 400,
			body: { amount: ['Too large.'] },
		});
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[1]}/refunds/`,
			status: 400,
			body: { amount: ['Too large.'] },
		});
		const failed = await sandbox.run(oneAtATime(), { items: sheet(4) });
		const failedAgain = await sandbox.run(oneAtATime(), { items: sheet(4), retryOf: failed.run });
		expect(failedAgain.error?.message).toMatch(/^Item 1: Crego refused Amount: Too large/);
		const finished = await sandbox.run(oneAtATime(), { items: sheet(4), retryOf: failedAgain.run });
		expect(outcomes(finished.output)).toEqual(['alreadyDone', 'done', 'done', 'done']);
		// Row 1 was rejected twice (nothing done), then went through; the others once.
		expect(sendsPerRow(4)).toEqual([1, 3, 1, 1]);
		expect(sandbox.requests.filter((r) => r.didWork)).toHaveLength(4);
	});

	test('with writes in parallel (the default): stopped by a 500, then retried — every row reaches Crego once, each outcome right', async () => {
		sandbox.injectFault({
			path: `/v1/lms/loans/${LOANS[2]}/refunds/`,
			status: 500,
			body: { detail: 'Server error.' },
			delayMs: 100,
		});
		const failed = await sandbox.run(refunds(), { items: sheet(8) });
		expect(failed.error?.message).toMatch(
			/^Item 2: Outcome unknown: Crego had a server error \(HTTP 500\)/,
		);
		const sentFirst = sendsPerRow(8);
		// Rows of other loans went in parallel: more than rows 0-2 were sent before the 500 came back.
		expect(sentFirst.filter((sends) => sends === 1).length).toBeGreaterThan(3);
		const retried = await sandbox.run(refunds(), { items: sheet(8), retryOf: failed.run });
		expect(retried.error?.message).toMatch(/^Item 2: Not sent again: its outcome is unknown/);
		expect(sendsPerRow(8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
		expect((retried.error as any).context.itemOutcomes).toEqual(
			sentFirst.map((_, row) => (row === 2 ? 'unknown' : 'done')),
		);
		// Row 2's 500 came before the work: it stays unknown (a person checks Crego), never sent twice.
		expect(sandbox.requests.filter((r) => r.didWork)).toHaveLength(7);
	});

	test("a loop's next batch is not a retry, and a retried loop resumes its failed batch", async () => {
		sandbox.injectFault({ path: `/v1/lms/loans/${LOANS[3]}/refunds/`, status: 502, body: '' });
		const failed = await sandbox.run(refunds(), { items: sheet(6), batchSize: 2 });
		expect(sendsPerRow(6)).toEqual([1, 1, 1, 1, 0, 0]);
		const retried = await sandbox.run(refunds(), {
			items: sheet(6),
			batchSize: 2,
			retryOf: failed.run,
		});
		// The retried batch (rows 3-4) holds the unknown row: it fails there, naming it; the next batch is not sent.
		expect(retried.error?.message).toMatch(/^Item 1: Not sent again: its outcome is unknown/);
		expect(sendsPerRow(6)).toEqual([1, 1, 1, 1, 0, 0]);
	});
});
