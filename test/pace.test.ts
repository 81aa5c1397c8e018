/**
 * The adaptive pace (run/pace.ts), as Crego sees it: the sandbox's log of when each
 * request arrived and was answered is the witness. A run starts with 4 in flight, grows
 * while answers are quick and clean, up to Concurrent Requests (default 50 for reads, 20
 * for writes); a burst of 429 with Retry-After holds every new request until it has
 * passed and drops the pace to at most 2 at once; the run summary says the pace.
 */
import { ids, type RecordedRequest } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();

const RECORDS = [ids.DOCS_RECORD_ID, ...ids.DEMO_RECORD_IDS];
const getRecords = (options: Record<string, unknown> = {}) => ({
	resource: 'record',
	operation: 'get',
	recordId: '={{ $json.record }}',
	options,
});
const recordItems = (count: number) =>
	Array.from({ length: count }, (_, i) => ({ record: RECORDS[i % RECORDS.length] }));

/** How many requests the sandbox was working on when `request` arrived (itself included). */
const atArrival = (requests: RecordedRequest[], request: RecordedRequest) =>
	requests.filter(
		(other) =>
			other.receivedAt <= request.receivedAt && (other.answeredAt ?? Infinity) > request.receivedAt,
	).length;

test('reads at the defaults: 4 at first, then growing while answers are quick, never above 50', async () => {
	sandbox.injectFault({ path: '/v1/lms/records/*', times: 0, delayMs: 40 });
	const result = await sandbox.run(getRecords(), { items: recordItems(400) });
	expect(result.error).toBeUndefined();
	const requests = [...sandbox.requests].sort((a, b) => a.receivedAt - b.receivedAt);
	expect(Math.max(...requests.slice(0, 4).map((r) => atArrival(requests, r)))).toBeLessThanOrEqual(
		4,
	);
	const most = Math.max(...requests.map((r) => atArrival(requests, r)));
	// How fast it grows is the unit layer's to prove, on an injected clock (test/unit/pace.test.ts): here, only that it grows and stays bounded.
	expect(most).toBeGreaterThan(4);
	expect(most).toBeLessThanOrEqual(50);
	// Nothing slowed it down: the summary says what was read, and nothing of the pace.
	expect(result.hints.at(-1)).toBe('Crego: 400 items read.');
});

test('a burst of 429 with Retry-After: no new request until it has passed, then at most 2 at once', async () => {
	// Rules apply in turn: 60 quick answers (the pace grows), six 429s with Retry-After: 1, then quick again.
	sandbox.injectFault({ path: '/v1/lms/records/*', times: 60, delayMs: 60 });
	sandbox.injectFault({
		path: '/v1/lms/records/*',
		times: 6,
		status: 429,
		retryAfter: 1,
		delayMs: 20,
		body: { detail: 'Request was throttled. Expected available in 1 second.' },
	});
	sandbox.injectFault({ path: '/v1/lms/records/*', times: 0, delayMs: 60 });
	const result = await sandbox.run(getRecords(), { items: recordItems(300) });
	expect(result.error).toBeUndefined();
	const requests = [...sandbox.requests].sort((a, b) => a.receivedAt - b.receivedAt);
	const first429 = requests.find((r) => r.status === 429)!;
	expect(
		Math.max(
			...requests
				.filter((r) => r.receivedAt < first429.receivedAt)
				.map((r) => atArrival(requests, r)),
		),
	).toBeGreaterThan(4);
	// Held: nothing new arrives while the Retry-After runs (those in flight may still arrive as 429s).
	const during = requests.filter(
		(r) => r.receivedAt > first429.answeredAt! + 50 && r.receivedAt < first429.answeredAt! + 950,
	);
	expect(during).toEqual([]);
	// Then slow: the first requests after it go at most 2 at once (the pace grows again from there).
	const after = requests.filter((r) => r.receivedAt >= first429.answeredAt! + 950).slice(0, 3);
	expect(after.length).toBeGreaterThan(0);
	expect(Math.max(...after.map((r) => atArrival(requests, r)))).toBeLessThanOrEqual(2);
	// Every read answered in the end, in order.
	expect(result.output.map((item) => item.json.id)).toEqual(
		recordItems(300).map((item) => item.record),
	);
	// Crego slowed it down: the summary says so, with what was in flight at most.
	expect(result.hints.at(-1)).toMatch(
		/^Crego: 300 items read\. Crego was slow or limiting requests, so the node slowed down: at most \d+ in flight at once \(Concurrent Requests 50\)\.$/,
	);
});

test('writes by default: several loans in parallel, one loan at a time', async () => {
	const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 60 });
	const items = Array.from({ length: 24 }, (_, i) => ({
		loan: loans[i % loans.length],
		amount: 10 + i,
	}));
	const result = await sandbox.run(
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: '={{ $json.loan }}',
			amount: '={{ $json.amount }}',
			refundType: 'cashback_refund',
		},
		{ items },
	);
	expect(result.error).toBeUndefined();
	const requests = sandbox.requests;
	expect(Math.max(...requests.map((r) => atArrival(requests, r)))).toBe(loans.length);
	expect(requests.map((r) => r.body.amount).sort()).toEqual(items.map((i) => i.amount).sort());
	expect(result.hints.at(-1)).toBe('Crego: 24 done.');
});
