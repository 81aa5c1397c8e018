/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * Month-end writes, in process against a sandbox in this process (its request log is the
 * witness): Process Payout over thousands of distinct payouts at 300 ms.
 *  - at the defaults (paced, up to 20 in flight, parallel across payouts): time, writes per
 *    row, output order;
 *  - with a fault mix (1% 502, 1% reset after the work, a burst of 429 with Retry-After):
 *    no row sent twice, every outcome true, the pace down under 3 in flight within 1 s of
 *    the 429s;
 *  - a sweep of write ceilings (Concurrent Requests), to show what the default of 20 buys.
 */
import { runWorkflow } from '../../test/helpers/engine';
import { judge, record } from './results';
import { ids, TOKEN } from './sandboxProcess';

const payoutId = (i: number) => `5e770000-0000-4000-8000-${String(i).padStart(12, '0')}`;

interface PayoutRun {
	seconds: number;
	/** Rows whose payout Crego marked processed more than once / exactly once. */
	twice: number;
	once: number;
	inOrder: boolean;
	/** Rows whose outcome disagrees with the sandbox's record of the work. */
	untrue: number;
	pace: string;
	/** Requests on the wire 1 s after the 429 burst began (fault mix only). */
	inFlightAfterBurst?: number;
}

async function payoutRun(
	count: number,
	{ withFaults = false, concurrency }: { withFaults?: boolean; concurrency?: number },
): Promise<PayoutRun> {
	const { createSandbox } = require('../../sandbox/server');
	const sandbox = createSandbox({ token: TOKEN, latencyMs: 300 });
	const url: string = await sandbox.start();
	const template = sandbox.state.payouts.get(ids.DOCS_PAYOUT_ID);
	for (let i = 0; i < count; i++)
		sandbox.state.payouts.set(payoutId(i), { ...template, id: payoutId(i), ref_id: `PAYB${i}` });
	let burstAt = 0;
	if (withFaults) {
		sandbox.injectFault({ path: '/v1/lms/payouts/*', everyNth: 100, status: 502, body: '' });
		sandbox.injectFault({ path: '/v1/lms/payouts/*', everyNth: 99, reset: true, process: true });
		// The 429 burst, a third of the way through: 40 answers with Retry-After: 2.
		const timer = setInterval(() => {
			if (sandbox.requests.length < count / 3) return;
			clearInterval(timer);
			burstAt = Date.now();
			sandbox.injectFault({
				path: '/v1/lms/payouts/*',
				times: 40,
				status: 429,
				retryAfter: 2,
				body: { detail: 'Request was throttled. Expected available in 2 seconds.' },
			});
		}, 20);
	}
	const started = performance.now();
	const result = await runWorkflow({
		parameters: {
			resource: 'payout',
			operation: 'process',
			payoutId: '={{ $json.payout }}',
			utr: '={{ "UTR" + $json.row }}',
			processedAt: '2023-08-28',
			debitBankId: ids.DOCS_DEBIT_BANK_ID,
			options: { duplicateGuard: false, ...(concurrency ? { concurrency } : {}) },
		},
		items: Array.from({ length: count }, (_, row) => ({ payout: payoutId(row), row })),
		credentials: { baseUrl: url, accessToken: TOKEN },
		onError: 'continueRegularOutput',
	});
	const seconds = (performance.now() - started) / 1000;
	await sandbox.stop();
	const requests: Array<Record<string, any>> = sandbox.requests;
	const worked = new Map<string, number>();
	for (const r of requests) if (r.didWork) worked.set(r.path, (worked.get(r.path) ?? 0) + 1);
	const outcomes = result.output.map(
		(item) =>
			((item.json.message as Record<string, unknown> | undefined)?.outcome as string) ?? 'done',
	);
	// An outcome is true when done ⇒ Crego did the work, rejected/notSent ⇒ it did not.
	const untrue = outcomes.filter((outcome, i) => {
		const did = worked.has(`/v1/lms/payouts/${payoutId(i)}/mark_processed/`);
		return (
			(outcome === 'done' && !did) || ((outcome === 'rejected' || outcome === 'notSent') && did)
		);
	}).length;
	const atOnce = (t: number) =>
		requests.filter((r) => r.receivedAt <= t && (r.answeredAt ?? Infinity) > t).length;
	return {
		seconds,
		twice: [...worked.values()].filter((n) => n > 1).length,
		once: [...worked.values()].filter((n) => n === 1).length,
		inOrder:
			result.output.length === count &&
			result.output.every((item, i) => (item.pairedItem as { item: number }).item === i),
		untrue,
		// What was on the wire at most, from the sandbox's own log (the run summary tells the pace only when Crego slowed it).
		pace: `at most ${Math.max(0, ...requests.map((r) => atOnce(r.receivedAt)))} in flight`,
		inFlightAfterBurst: burstAt ? atOnce(burstAt + 1000) : undefined,
	};
}

export async function monthEndWrites(quick: boolean) {
	const count = quick ? 1000 : 5000;
	const clean = await payoutRun(count, {});
	record({
		part: 'month-end',
		case: 'Process Payout, defaults',
		items: count,
		latencyMs: 300,
		concurrency: 'paced ≤20',
		seconds: clean.seconds,
		note: `${clean.once} rows done once, ${clean.twice} twice, output ${clean.inOrder ? 'in row order, paired' : 'OUT OF ORDER'}; ${clean.pace}`,
	});
	judge(
		`${count.toLocaleString('en')} Process Payout at 300 ms, defaults: ≤ 2 minutes, every write once, output in row order and paired`,
		`${clean.seconds.toFixed(1)} s, ${clean.once} of ${count} done once, ${clean.twice} twice, ${clean.inOrder ? 'in order and paired' : 'out of order'}`,
		clean.seconds <= 120 && clean.once === count && clean.twice === 0 && clean.inOrder,
	);
	const faults = await payoutRun(count, { withFaults: true });
	record({
		part: 'month-end',
		case: 'Process Payout, fault mix',
		items: count,
		latencyMs: 300,
		concurrency: 'paced ≤20',
		seconds: faults.seconds,
		note: `${faults.twice} rows did the work twice, ${faults.untrue} outcomes untrue, output ${faults.inOrder ? 'in row order, paired' : 'OUT OF ORDER'}; ${faults.pace}; in flight 1 s after the 429s began: ${faults.inFlightAfterBurst}`,
	});
	judge(
		'The same with 1% 502, 1% reset after the work, a burst of 429: no write twice, every outcome right, under 3 in flight 1 s after the 429s',
		`${faults.twice} twice, ${faults.untrue} untrue, ${faults.inFlightAfterBurst ?? 'no burst seen:'} in flight after 1 s, ${faults.seconds.toFixed(1)} s`,
		faults.twice === 0 &&
			faults.untrue === 0 &&
			faults.inOrder &&
			faults.inFlightAfterBurst !== undefined &&
			faults.inFlightAfterBurst < 3,
	);
}

/** Process Payout at 300 ms under several ceilings: what each buys, against the default of 20. */
export async function writeCeilings(quick: boolean) {
	const count = quick ? 300 : 1000;
	for (const concurrency of [5, 10, 20, 30, 50]) {
		const run = await payoutRun(count, { concurrency });
		const floor = (count / concurrency) * 0.3;
		record({
			part: 'ceilings',
			case: `Process Payout, Concurrent Requests ${concurrency}`,
			items: count,
			latencyMs: 300,
			concurrency,
			seconds: run.seconds,
			ratio: `${(run.seconds / floor).toFixed(2)}x the ${floor.toFixed(0)} s it allows`,
			note: `${run.twice} twice; ${run.pace}`,
		});
	}
}
