/**
 * Writes in parallel across loans, in row order within one loan: with Concurrent Requests
 * above 1, rows of different loans overlap while rows of the same loan (or payout, or UTR)
 * are never in flight together and reach Crego in row order. Witness: the sandbox's own
 * request log (when each request arrived and was answered).
 */
import { ids, type RecordedRequest } from './helpers/sandbox';
import { outcomeOf } from './helpers/outcome';
import { processPayoutFromRows } from './helpers/parameters';
import { useSandbox } from './helpers/useSandbox';

const sandbox = useSandbox();
const LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];

const refunds = (concurrency: number) => ({
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: '={{ $json.loan }}',
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
	options: { concurrency },
});

/** Row r: loan r % 4, amount 100 + r (so no two rows are the same refund). */
const rows = (count: number) =>
	Array.from({ length: count }, (_, r) => ({ loan: LOANS[r % LOANS.length], amount: 100 + r }));

const loanOf = (request: RecordedRequest) => request.path.split('/')[4];
const overlap = (a: RecordedRequest, b: RecordedRequest) =>
	a.receivedAt < b.answeredAt! && b.receivedAt < a.answeredAt!;

/** The most requests the sandbox was working on at one moment (a sweep over arrivals and answers; an answer at the same ms as an arrival comes first). */
function mostAtOnce(requests: RecordedRequest[]): number {
	const events = requests.flatMap((r) => [
		{ at: r.receivedAt, change: 1 },
		{ at: r.answeredAt!, change: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.change - b.change);
	let now = 0;
	let most = 0;
	for (const { change } of events) most = Math.max(most, (now += change));
	return most;
}

test('12 refunds over 4 loans, 6 in flight: loans overlap, one loan never does, each loan in row order, each row once', async () => {
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 120 });
	const result = await sandbox.run(refunds(6), { items: rows(12) });
	expect(result.error).toBeUndefined();
	const requests = sandbox.requests;
	expect(requests.map((r) => r.body.amount).sort()).toEqual(
		rows(12)
			.map((r) => r.amount)
			.sort(),
	);
	for (const loan of LOANS) {
		const ofLoan = requests
			.filter((r) => loanOf(r) === loan)
			.sort((a, b) => a.receivedAt - b.receivedAt);
		expect(ofLoan.map((r) => r.body.amount)).toEqual(
			rows(12)
				.filter((r) => r.loan === loan)
				.map((r) => r.amount),
		);
		for (let i = 1; i < ofLoan.length; i++)
			expect(ofLoan[i].receivedAt).toBeGreaterThanOrEqual(ofLoan[i - 1].answeredAt!);
	}
	// Four loans: four in flight at most, and more than one.
	expect(mostAtOnce(requests)).toBe(LOANS.length);
	// Output in row order, paired.
	expect(result.output.map((item) => [item.pairedItem, item.json.amount])).toEqual(
		rows(12).map((r, i) => [{ item: i }, r.amount]),
	);
});

test('a busy loan does not hold back the rows of other loans behind it', async () => {
	sandbox.injectFault({ path: `/v1/lms/loans/${LOANS[0]}/refunds/`, times: 0, delayMs: 400 });
	// Rows 0-2 on loan 0 (slow), rows 3-5 on loans 1-3.
	const items = [0, 0, 0, 1, 2, 3].map((loan, r) => ({ loan: LOANS[loan], amount: 200 + r }));
	await sandbox.run(refunds(4), { items });
	const slowDone = sandbox.requests.filter((r) => loanOf(r) === LOANS[0]).map((r) => r.answeredAt!);
	const others = sandbox.requests.filter((r) => loanOf(r) !== LOANS[0]);
	// The other loans' rows were all answered before loan 0's second row was sent.
	expect(Math.max(...others.map((r) => r.answeredAt!))).toBeLessThan(slowDone[1]);
});

test('an unknown outcome drops the run to one request at a time, at once (it regrows only by clean answers)', async () => {
	// The first matching rule applies: row 0's 502 first, then a delay for every other request.
	sandbox.injectFault({
		path: `/v1/lms/loans/${LOANS[0]}/refunds/`,
		status: 502,
		body: '<html>bad gateway</html>',
		process: true,
		delayMs: 40,
	});
	sandbox.injectFault({ path: '/v1/lms/loans/*', times: 0, delayMs: 80 });
	const result = await sandbox.run(refunds(4), {
		items: rows(12),
		onError: 'continueRegularOutput',
	});
	expect(outcomeOf(result.output[0])).toBe('unknown');
	const unknownAnswered = sandbox.requests.find((r) => r.status === 502)!.answeredAt!;
	const after = sandbox.requests.filter((r) => r.receivedAt > unknownAnswered).slice(0, 2);
	expect(after.length).toBe(2);
	expect(mostAtOnce(after)).toBe(1);
});

test('Process Payout: rows of one payout or one UTR share a lane', async () => {
	const parameters = {
		...processPayoutFromRows,
		options: { concurrency: 3, duplicateGuard: false },
	};
	sandbox.injectFault({ path: '/v1/lms/payouts/*', times: 0, delayMs: 100 });
	const [a, b, c] = [ids.DOCS_PAYOUT_ID, ...ids.DEMO_PAYOUT_IDS];
	// Rows 0 and 1: one payout; rows 1 and 2: one UTR (written differently).
	await sandbox.run(parameters, {
		items: [
			{ payout: a, utr: 'U1' },
			{ payout: a, utr: 'U2' },
			{ payout: b, utr: ' u2 ' },
			{ payout: c, utr: 'U3' },
		],
	});
	const row = (payout: string, utr?: string) =>
		sandbox.requests.find((r) => r.path.includes(payout) && (!utr || r.body.utr === utr))!;
	expect(overlap(row(a, 'U1'), row(a, 'U2'))).toBe(false);
	expect(overlap(row(a, 'U2'), row(b))).toBe(false);
	expect(overlap(row(a, 'U1'), row(c))).toBe(true);
});
