/**
 * Write safety as one room (writeSafety/writeSafety.ts, its one entry), against n8n's
 * processed-data store in memory (the engine suites' twin of it): what a run of writes does with each row across
 * executions, business days and outcomes — no engine, no HTTP. Only the calendar is
 * faked (Date); the ledger's claim windows are real waits of 300 ms.
 */
import * as refund from '../../nodes/Crego/actions/loan/initiateRefund.operation';
import type { Outcome } from '../../nodes/Crego/vocabulary/outcome';
import { readWriteRow } from '../../nodes/Crego/writeSafety/writeRow';
import { openWriteSafety } from '../../nodes/Crego/writeSafety/writeSafety';
import { MemoryProcessedDataStore, mockContext } from './helpers/mockContext';

jest.setTimeout(20_000);

const LOANS = [
	'f59b69c8-9e47-46a1-b2c9-83ae42666a30',
	'0b1f7c2e-3d4a-4b5c-8d6e-7f8091a2b3c4',
	'5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
];
type Row = { loan: number; amount: number; reference?: string; sendAgain?: boolean };

/** One execution of a run of refunds: each row is settled without sending, refused, or sent with the outcome given. */
async function execution(
	store: MemoryProcessedDataStore,
	staticData: Record<string, unknown>,
	executionId: string,
	rows: Row[],
	outcomes: Outcome[] = [],
) {
	const items = rows.map((row) => ({
		loanId: LOANS[row.loan],
		amount: row.amount,
		refundType: 'cashback_refund',
		options: { reference: row.reference ?? '', sendAgain: row.sendAgain ?? false },
	}));
	const context = mockContext(items, { store, staticData, executionId });
	const writeRows = items.map((_, itemIndex) =>
		readWriteRow(context, itemIndex, refund.prepareRequest.call(context, itemIndex)),
	);
	const safety = await openWriteSafety(context, writeRows, {
		duplicateGuard: true,
		businessTimezone: 'Asia/Kolkata',
		continueOnFail: true,
	});
	const told: string[] = [];
	for (const [itemIndex, row] of writeRows.entries()) {
		const settled = safety.settled(itemIndex);
		if (settled) {
			told.push(settled.kind === 'error' ? `refused (${settled.outcome})` : settled.kind);
			continue;
		}
		const refusal = safety.beforeSend(itemIndex);
		if (refusal) {
			told.push('refused (breaker)');
			continue;
		}
		const outcome = outcomes[itemIndex] ?? 'done';
		if (outcome === 'notSent') {
			// Never started (a run stopped first): released at the end.
			told.push('never started');
			continue;
		}
		const place = safety.started(itemIndex);
		await safety.afterSend(
			itemIndex,
			place,
			row,
			outcome,
			outcome === 'done' ? { ref_id: `R${itemIndex}` } : undefined,
		);
		told.push(`sent (${outcome})`);
	}
	await safety.finish({ completed: true });
	return told;
}

const IST_NOON = (day: string) => new Date(`${day}T12:00:00+05:30`);

beforeEach(() =>
	jest.useFakeTimers({
		doNotFake: [
			'setTimeout',
			'clearTimeout',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'nextTick',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
		now: IST_NOON('2026-12-07'),
	}),
);
afterEach(() => jest.useRealTimers());

test('run again the same day: done rows are not sent again, rows with an unknown outcome are refused, rejected and never-started rows go', async () => {
	const store = new MemoryProcessedDataStore();
	const staticData = {};
	const sheet: Row[] = [
		{ loan: 0, amount: 100 },
		{ loan: 1, amount: 200 },
		{ loan: 2, amount: 300 },
		{ loan: 0, amount: 400 },
	];
	expect(
		await execution(store, staticData, '1', sheet, ['done', 'unknown', 'rejected', 'notSent']),
	).toEqual(['sent (done)', 'sent (unknown)', 'sent (rejected)', 'never started']);
	expect(await execution(store, staticData, '2', sheet)).toEqual([
		'alreadySent',
		'refused (unknown)',
		'sent (done)',
		'sent (done)',
	]);
	// Send Again, set by a person who checked Crego, lets the unknown row go; nothing else changes.
	expect(
		await execution(
			store,
			staticData,
			'3',
			sheet.map((row, i) => ({ ...row, sendAgain: i === 1 })),
		),
	).toEqual(['alreadySent', 'sent (done)', 'alreadySent', 'alreadySent']);
});

test('two equal rows in one sheet: the second is refused before anything is sent', async () => {
	expect(
		await execution(new MemoryProcessedDataStore(), {}, '1', [
			{ loan: 0, amount: 100 },
			{ loan: 0, amount: 100 },
		]),
	).toEqual(['sent (done)', 'refused (notSent)']);
});

test('the next business day is a new day for rows without a Reference; a Reference is used once, for ever', async () => {
	const store = new MemoryProcessedDataStore();
	const staticData = {};
	const sheet: Row[] = [
		{ loan: 0, amount: 100 },
		{ loan: 1, amount: 200, reference: 'INV-1' },
	];
	expect(await execution(store, staticData, '1', sheet)).toEqual(['sent (done)', 'sent (done)']);
	// 23:59 IST is still the same business day; 00:01 the next.
	jest.setSystemTime(new Date('2026-12-07T23:59:00+05:30'));
	expect(await execution(store, staticData, '2', sheet)).toEqual(['alreadySent', 'alreadySent']);
	jest.setSystemTime(new Date('2026-12-08T00:01:00+05:30'));
	expect(await execution(store, staticData, '3', sheet)).toEqual(['sent (done)', 'alreadySent']);
});

test('two rows equal but for their References are two refunds; the same Reference written another way is the same', async () => {
	const store = new MemoryProcessedDataStore();
	expect(
		await execution(store, {}, '1', [
			{ loan: 0, amount: 100, reference: 'INV-1' },
			{ loan: 0, amount: 100, reference: 'INV-2' },
			{ loan: 2, amount: 5, reference: ' inv-1 ' },
		]),
	).toEqual(['sent (done)', 'sent (done)', 'refused (notSent)']);
});

test('three unknown outcomes in a row stop the writes for the execution', async () => {
	const sheet: Row[] = [0, 1, 2, 3, 4].map((i) => ({ loan: i % 3, amount: 10 + i }));
	expect(
		await execution(new MemoryProcessedDataStore(), {}, '1', sheet, [
			'unknown',
			'unknown',
			'unknown',
		]),
	).toEqual([
		'sent (unknown)',
		'sent (unknown)',
		'sent (unknown)',
		'refused (breaker)',
		'refused (breaker)',
	]);
});
