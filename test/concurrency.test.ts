/**
 * Bounded concurrency: requests in flight at once up to the option (the default pace is
 * test/pace.test.ts's); output order and pairing always those of the input, and the
 * write rules hold.
 * The sandbox's log of arrival and answer times is the witness for how many were in flight.
 */
import { ids, type RecordedRequest } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

/** The most requests the sandbox was working on at the same moment. */
function maxInFlight(requests: RecordedRequest[]): number {
	return Math.max(
		...requests.map(
			(r) =>
				requests.filter(
					(other) =>
						other.receivedAt <= r.receivedAt && (other.answeredAt ?? Infinity) > r.receivedAt,
				).length,
		),
	);
}

const RECORDS = [ids.DOCS_RECORD_ID, ...ids.DEMO_RECORD_IDS];
const getRecords = (options: Record<string, unknown> = {}) => ({
	resource: 'record',
	operation: 'get',
	recordId: '={{ $json.record }}',
	simple: false,
	options,
});
const recordItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ record: RECORDS[i % RECORDS.length] }));

test('reads: up to Concurrent Requests in flight, output in input order and paired, whatever order the answers come in', async () => {
	sandbox.injectFault({ path: '/v1/lms/records/*', everyNth: 3, delayMs: 120 });
	sandbox.injectFault({ path: '/v1/lms/records/*', times: 0, delayMs: 30 });
	const result = await sandbox.run(getRecords({ concurrency: 5 }), { items: recordItems(24) });
	expect(result.error).toBeUndefined();
	expect(result.output.map((o) => o.json.id)).toEqual(recordItems(24).map((item) => item.record));
	expect(result.output.map((o) => o.pairedItem)).toEqual(
		Array.from({ length: 24 }, (_, item) => ({ item })),
	);
	expect(sandbox.requests).toHaveLength(24);
	expect(maxInFlight(sandbox.requests)).toBe(5);
	const answerOrder = [...sandbox.requests]
		.sort((a, b) => a.answeredAt! - b.answeredAt!)
		.map((r) => sandbox.requests.indexOf(r));
	expect(answerOrder).not.toEqual([...answerOrder].sort((a, b) => a - b));
});

const refunds = (options: Record<string, unknown> = {}) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
	options,
});
const amounts = (count: number) => Array.from({ length: count }, (_, i) => ({ amount: i + 1 }));

test('writes: one at a time by default, in row order', async () => {
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 20 });
	const result = await sandbox.run(refunds(), { items: amounts(8) });
	expect(result.error).toBeUndefined();
	expect(maxInFlight(sandbox.requests)).toBe(1);
	expect(sandbox.requests.map((r) => (r.body as { amount: number }).amount)).toEqual([
		1, 2, 3, 4, 5, 6, 7, 8,
	]);
});

test('writes with 3 in flight: each sent exactly once, output in order, unknown outcomes in place', async () => {
	sandbox.injectFault({ path: '/v1/lms/loans/*', everyNth: 4, status: 503, body: '' });
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 30 });
	// Four loans, so rows can be in flight together (rows of one loan never are).
	const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
	const items = amounts(12).map((row, i) => ({ ...row, loan: loans[i % loans.length] }));
	const result = await sandbox.run(
		{ ...refunds({ concurrency: 3 }), loanId: '={{ $json.loan }}' },
		{ items, onError: 'continueRegularOutput' },
	);
	expect(maxInFlight(sandbox.requests)).toBe(3);
	expect(
		sandbox.requests.map((r) => (r.body as { amount: number }).amount).sort((a, b) => a - b),
	).toEqual(amounts(12).map((a) => a.amount));
	expect(result.output.map((o) => o.pairedItem)).toEqual(
		Array.from({ length: 12 }, (_, item) => ({ item })),
	);
	const unknown = result.output.flatMap((o, i) =>
		String(o.json.error ?? '').includes(': Outcome unknown') ? [i] : [],
	);
	expect(unknown).toHaveLength(3);
	for (const i of unknown)
		expect(
			sandbox.requests.find((r) => (r.body as { amount: number }).amount === i + 1)?.status,
		).toBe(503);
});

test('writes with 3 in flight still refuse duplicates before anything is sent', async () => {
	const result = await sandbox.run(refunds({ concurrency: 3 }), {
		items: [{ amount: 5 }, { amount: 6 }, { amount: 5 }],
	});
	expect(result.error?.message).toBe(
		'Item 2: Not sent: duplicate of item 0 (same loan, refund type and amount)',
	);
	expect(sandbox.requests).toHaveLength(0);
});

test('stopping on an error with writes in flight: nothing new starts, and the error lists what was done', async () => {
	sandbox.injectFault({
		path: '/v1/lms/loans/*',
		everyNth: 5,
		status: 400,
		body: { amount: ['Too large.'] },
	});
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 20 });
	const result = await sandbox.run(refunds({ concurrency: 2 }), { items: amounts(20) });
	expect(result.error?.message).toMatch(
		/^Item \d+: Crego refused Amount: Too large \[already done: item 0 \(/,
	);
	expect(sandbox.requests.length).toBeLessThanOrEqual(6);
});
