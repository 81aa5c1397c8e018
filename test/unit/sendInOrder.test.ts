/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The lanes scheduler (run/sendInOrder.ts) with answers the test releases by hand:
 * which rows are in flight at each moment, never a clock.
 */
import type { ItemResult } from '../../nodes/Crego/vocabulary/itemResult';
import { sendInOrder, type Schedule } from '../../nodes/Crego/run/sendInOrder';

/** A run whose rows answer when the test says; `started` lists rows in the order they started. */
function harness(
	count: number,
	schedule: Partial<Schedule> & { concurrency: () => number },
	stopOnError = false,
) {
	const started: number[] = [];
	const pending = new Map<number, (result: ItemResult) => void>();
	const run = sendInOrder(count, schedule, stopOnError, (itemIndex) => {
		started.push(itemIndex);
		return new Promise<ItemResult>((resolve) => pending.set(itemIndex, resolve));
	});
	const settle = async (itemIndex: number, result: Partial<ItemResult> = {}) => {
		const resolve = pending.get(itemIndex);
		if (!resolve)
			throw new Error(`row ${itemIndex} is not in flight (started: ${started.join(',')})`);
		pending.delete(itemIndex);
		resolve({ items: [{ json: { itemIndex } }], outcome: 'done', ...result });
		await new Promise((tick) => setImmediate(tick));
	};
	return { run, started, inFlight: () => [...pending.keys()].sort((a, b) => a - b), settle };
}

test.each([1, 2, 3, 5, 8])(
	'at most %i in flight, started in row order, output in row order whatever order answers come in',
	async (limit) => {
		const rows = 12;
		const { run, started, inFlight, settle } = harness(rows, { concurrency: () => limit });
		await new Promise((tick) => setImmediate(tick));
		let peak = 0;
		while (inFlight().length) {
			peak = Math.max(peak, inFlight().length);
			// Answers come back newest first.
			await settle(inFlight().at(-1)!);
		}
		const sent = await run;
		expect(peak).toBe(Math.min(limit, rows));
		expect(started).toEqual(Array.from({ length: rows }, (_, i) => i));
		expect(sent.results.map((result) => result?.items[0].json.itemIndex)).toEqual(
			Array.from({ length: rows }, (_, i) => i),
		);
	},
);

test('rows of one lane never fly together and keep their order; other lanes go past a busy one', async () => {
	const lanes = ['loan|a', 'loan|a', 'loan|b', 'loan|a', 'loan|c'];
	const { run, started, inFlight, settle } = harness(lanes.length, {
		concurrency: () => 4,
		lanesOf: (i) => [lanes[i]],
	});
	await new Promise((tick) => setImmediate(tick));
	// Row 1 waits for row 0 (same loan); row 3 waits behind row 1; rows 2 and 4 go.
	expect(inFlight()).toEqual([0, 2, 4]);
	await settle(0);
	expect(inFlight()).toEqual([1, 2, 4]);
	await settle(1);
	expect(inFlight()).toEqual([2, 3, 4]);
	for (const row of inFlight()) await settle(row);
	await run;
	expect(started).toEqual([0, 2, 4, 1, 3]);
});

test('stop on error: nothing starts after a failure, the rows in flight are waited for', async () => {
	const { run, started, inFlight, settle } = harness(6, { concurrency: () => 2 }, true);
	await new Promise((tick) => setImmediate(tick));
	const error = Object.assign(new Error('row 1 failed'), { node: {} }) as never;
	await settle(1, { outcome: 'rejected', error });
	expect(inFlight()).toEqual([0]);
	await settle(0);
	const sent = await run;
	expect(started).toEqual([0, 1]);
	expect(sent.stoppedBy?.itemIndex).toBe(1);
	expect(sent.results.slice(2)).toEqual([undefined, undefined, undefined, undefined]);
});

test("n8n's Stop: no row starts after it; the run ends when the rows in flight have answered", async () => {
	const stop = new AbortController();
	const { run, started, inFlight, settle } = harness(6, {
		concurrency: () => 2,
		stop: stop.signal,
	});
	await new Promise((tick) => setImmediate(tick));
	stop.abort();
	await settle(0);
	expect(inFlight()).toEqual([1]);
	await settle(1);
	const sent = await run;
	expect(started).toEqual([0, 1]);
	expect(sent.results.filter(Boolean)).toHaveLength(2);
});

test('the limit is read before each start: lowered mid-run, it holds new rows back', async () => {
	let limit = 3;
	const { run, inFlight, settle } = harness(6, { concurrency: () => limit });
	await new Promise((tick) => setImmediate(tick));
	expect(inFlight()).toEqual([0, 1, 2]);
	limit = 1;
	await settle(0);
	await settle(1);
	expect(inFlight()).toEqual([2]);
	await settle(2);
	expect(inFlight()).toEqual([3]);
	for (const row of [3, 4, 5]) await settle(row);
	await run;
});
