/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The ledger on a slow database, and two workers at once. n8n's processed-data store
 * reads a record, then writes the whole record back, with no lock: a write can undo
 * another's. Here its in-memory twin is made slow (each call 1 s or 3 s, half before the
 * read, half before the write) and the same sheet is run by two executions of "two
 * processes" (two copies of the node's modules, so neither process's one-at-a-time queue
 * of store calls holds the other back), the second started 0 to 2 s after the first.
 * Whatever the timing, no row reaches Crego twice (the sandbox's log says), and every row
 * either was done by one of them or says why it was not sent.
 */
import type { INodeType } from 'n8n-workflow';

import { ids } from './helpers/sandbox';
import { useSandbox } from './helpers/useSandbox';
import { outcomeOf } from './helpers/outcome';

const sandbox = useSandbox();

/** The node as a second worker process holds it: its own copy of every module (n8n-workflow shared, as n8n loads it once). */
function nodeOfAnotherProcess(): INodeType {
	const workflow = require('n8n-workflow');
	let Crego: new () => INodeType;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => workflow);
		Crego = require('../dist/nodes/Crego/Crego.node').Crego;
	});
	return new Crego!();
}

const LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];
const refunds = {
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: '={{ $json.loan }}',
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
};

/** A seeded sequence in [0, 1) (mulberry32): the store's jitter repeats from run to run. */
function seeded(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Store calls of 1 s and 3 s (each query jittered from a quarter to 1.75 times), the second execution 0 to 2 s after the first. */
const OFFSETS = [0, 500, 1000, 1500, 2000];
const CASES = [1000, 3000].flatMap((latencyMs) =>
	OFFSETS.map((offsetMs) => ({ latencyMs, offsetMs })),
);

describe.each([1000, 3000])('store calls of %i ms', (latencyMs) => {
	// Set in the tests (the file's beforeEach makes the store fast again): the concurrent cases share it.
	const jitter = seeded(latencyMs);

	test.concurrent.each(CASES.filter((c) => c.latencyMs === latencyMs))(
		'the second execution $offsetMs ms after the first: no row is sent twice, and every row says truly what became of it',
		async ({ offsetMs }) => {
			sandbox.store!.latencyMs = latencyMs;
			sandbox.store!.jitter = jitter;
			// Amounts of this case only, so the log tells its rows apart.
			const sheet = LOANS.slice(0, 3).map((loan, i) => ({
				loan,
				amount: latencyMs * 10 + offsetMs + i + 1,
			}));
			const workflowId = `race-${latencyMs}-${offsetMs}`;
			const first = sandbox.run(refunds, {
				items: sheet,
				workflowId,
				onError: 'continueRegularOutput',
			});
			await new Promise((resolve) => setTimeout(resolve, offsetMs));
			const second = sandbox.run(refunds, {
				items: sheet,
				workflowId,
				onError: 'continueRegularOutput',
				node: {
					type: 'n8n-nodes-crego.crego',
					nodeType: nodeOfAnotherProcess(),
					parameters: refunds,
				},
			});
			const results = await Promise.all([first, second]);
			const worked = sheet.map(
				({ amount }) =>
					sandbox.requests.filter((request) => request.didWork && request.body.amount === amount)
						.length,
			);
			expect(worked.every((times) => times <= 1)).toBe(true);
			// Each row: "done" only from the execution that sent it; the other says why not.
			sheet.forEach((_, row) => {
				const said = results.map(
					({ output }) =>
						outcomeOf(output[row]) ?? (output[row].json.alreadySent ? 'alreadySent' : 'done'),
				);
				expect(said.filter((outcome) => outcome === 'done').length).toBe(worked[row]);
				for (const outcome of said)
					expect(['done', 'notSent', 'alreadySent', 'unknown']).toContain(outcome);
			});
		},
		180_000,
	);
});

describe("one execution's store writes much slower than the other's calls (1 s each)", () => {
	/** Runs the sheet twice, the second execution's claim write `factor` times slower, started just before the first's write lands. */
	const slowFactors = new Map<string, number>();
	/** Store calls of 1 s, and the claim writes of execution race-b-<factor> slow by that factor (set per test: the file's beforeEach makes the store fast again). */
	function slowStore() {
		sandbox.store!.latencyMs = 1000;
		sandbox.store!.jitter = undefined;
		sandbox.store!.slowWrite = {
			when: (items) => items.some((item) => String(item).includes('|claim|race-b-')),
			factor: (items) =>
				slowFactors.get(
					/\|claim\|(race-b-[\d.]+)\|/.exec(
						items.map(String).find((item) => item.includes('|claim|race-b-')) ?? '',
					)?.[1] ?? '',
				) ?? 1,
		};
	}

	async function race(factor: number, base: number) {
		slowStore();
		slowFactors.set(`race-b-${factor}`, factor);
		const sheet = LOANS.slice(0, 3).map((loan, i) => ({ loan, amount: base + i }));
		const workflowId = `race-slow-${factor}`;
		const first = sandbox.run(refunds, {
			items: sheet,
			workflowId,
			executionId: `race-a-${factor}`,
			onError: 'continueRegularOutput',
		});
		// The first's claim reads at 2 s (after its store check) and writes at 3 s: the second reads at 2.9 s, before that write.
		await new Promise((resolve) => setTimeout(resolve, 900));
		const second = sandbox.run(refunds, {
			items: sheet,
			workflowId,
			executionId: `race-b-${factor}`,
			onError: 'continueRegularOutput',
			node: {
				type: 'n8n-nodes-crego.crego',
				nodeType: nodeOfAnotherProcess(),
				parameters: refunds,
			},
		});
		const results = await Promise.all([first, second]);
		const worked = sheet.map(
			({ amount }) =>
				sandbox.requests.filter((request) => request.didWork && request.body.amount === amount)
					.length,
		);
		return { results, worked };
	}

	test.concurrent(
		"2.5 times slower (within the rule: no call more than twice as long as the claim's own): the replaced claim is caught before sending",
		async () => {
			const { worked } = await race(2.5, 5001);
			expect(worked.every((times) => times <= 1)).toBe(true);
			expect(worked.reduce((a, b) => a + b, 0)).toBe(3);
		},
		120_000,
	);

	test.concurrent(
		'a claim call over 20 s (22 s here): nothing is sent, the rows are released, and a later run sends them once',
		async () => {
			slowStore();
			slowFactors.set('race-b-21', 21);
			const sheet = LOANS.slice(0, 2).map((loan, i) => ({ loan, amount: 9501 + i }));
			const workflowId = 'race-too-slow';
			const slow = await sandbox.run(refunds, {
				items: sheet,
				workflowId,
				executionId: 'race-b-21',
			});
			expect(slow.error?.message).toMatch(
				/^Nothing sent: the ledger could not record the rows \(n8n's database took 2\d\.\d s to record the rows, too slow to claim them safely against other executions\)$/,
			);
			expect(slow.error?.description).toContain('It is safe to run them again.');
			expect(
				sandbox.requests.filter((request) => [9501, 9502].includes(request.body.amount as number)),
			).toEqual([]);
			const later = await sandbox.run(refunds, {
				items: sheet,
				workflowId,
				executionId: 'race-a-later',
			});
			expect(later.error).toBeUndefined();
			expect(
				sheet.map(
					({ amount }) =>
						sandbox.requests.filter((request) => request.didWork && request.body.amount === amount)
							.length,
				),
			).toEqual([1, 1]);
		},
		180_000,
	);
});

test('a claim replaced after its check (a writer slower than the rule): the run says so loudly when it ends', async () => {
	sandbox.store!.latencyMs = 0;
	// The refund is answered 1.5 s late: the run is still sending when a stale writer replaces the ledger's record.
	sandbox.injectFault({ path: `/v1/lms/loans/${LOANS[0]}/refunds/`, delayMs: 1500 });
	const workflowId = 'race-replaced';
	const running = sandbox.run(refunds, { items: [{ loan: LOANS[0], amount: 9001 }], workflowId });
	await new Promise((resolve) => setTimeout(resolve, 900));
	const record = sandbox.store!.records.get(`${workflowId}|n:subject`);
	expect(record?.hashes.length).toBeGreaterThan(0);
	// What a writer that read the record before this run's claim writes back: nothing of this run.
	sandbox.store!.records.set(`${workflowId}|n:subject`, { mode: 'entries', hashes: [] });
	const result = await running;
	expect(result.hints).toContainEqual(
		expect.stringMatching(/another execution rewrote the ledger while this run was sending/),
	);
	// The row itself was done once, and says so; its item carries the warning too.
	expect(result.output[0].json.ref_id).toEqual(expect.any(String));
	expect(result.output[0].json.ledgerWarning).toMatch(
		/^Another execution rewrote the ledger while this run was sending .*it may have sent this row too\. Check this row in Crego for a double\.$/,
	);
	expect(sandbox.requests.filter((request) => request.didWork)).toHaveLength(1);
});
