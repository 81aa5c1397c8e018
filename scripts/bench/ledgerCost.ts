/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The ledger's cost at month-end, in process, with the in-memory twin of n8n's processed-data
 * store (the same hashing and list work as n8n's; a real database adds the write of the list):
 *  - 5,000 Process Payout rows at 300 ms with Refuse Duplicates on (the default): the
 *    month-end target again, now with the ledger, and the time spent in store calls; then
 *    the same with the workflow's list at its bound (200,000 References);
 *  - a sheet of 20,000 payouts sent, then run again the same day: the re-run's time and
 *    store time (it sends nothing).
 */
import { runWorkflow } from '../../test/helpers/engine';
import {
	processedDataStore,
	type MemoryProcessedDataStore,
} from '../../test/helpers/processedDataStore';
import { judge, record } from './results';
import { ids, TOKEN } from './sandboxProcess';

const payoutId = (i: number) => `5e780000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Counts the time spent inside the store's calls. */
function timed(store: MemoryProcessedDataStore) {
	let ms = 0;
	for (const method of [
		'checkProcessedAndRecord',
		'removeProcessed',
		'getProcessedDataCount',
	] as const) {
		const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
		(store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
			const started = performance.now();
			try {
				return await original(...args);
			} finally {
				ms += performance.now() - started;
			}
		};
	}
	return {
		take: () => {
			const taken = ms;
			ms = 0;
			return taken / 1000;
		},
	};
}

async function payouts(count: number, latencyMs: number) {
	const { createSandbox } = require('../../sandbox/server');
	const sandbox = createSandbox({ token: TOKEN, latencyMs });
	const url: string = await sandbox.start();
	const template = sandbox.state.payouts.get(ids.DOCS_PAYOUT_ID);
	for (let i = 0; i < count; i++)
		sandbox.state.payouts.set(payoutId(i), { ...template, id: payoutId(i), ref_id: `PAYL${i}` });
	const run = async (workflowId: string) => {
		const started = performance.now();
		const result = await runWorkflow({
			parameters: {
				resource: 'payout',
				operation: 'process',
				payoutId: '={{ $json.payout }}',
				utr: '={{ "UTRL" + $json.row }}',
				processedAt: '2023-08-28',
				debitBankId: ids.DOCS_DEBIT_BANK_ID,
			},
			items: Array.from({ length: count }, (_, row) => ({ payout: payoutId(row), row })),
			credentials: { baseUrl: url, accessToken: TOKEN },
			onError: 'continueRegularOutput',
			workflowId,
		});
		return { seconds: (performance.now() - started) / 1000, result };
	};
	return { sandbox, run };
}

export async function ledgerCost(quick: boolean) {
	const store = await processedDataStore();
	const clock = timed(store);
	const count = quick ? 1_000 : 5_000;
	{
		const { sandbox, run } = await payouts(count, 300);
		const { seconds, result } = await run('bench-ledger-month-end');
		const storeSeconds = clock.take();
		const done = result.output.filter((item) => item.json.message === undefined).length;
		const twice =
			[...new Set(sandbox.requests.map((r: { path: string }) => r.path))].length !==
			sandbox.requests.length;
		await sandbox.stop();
		record({
			part: 'ledger',
			case: 'Process Payout, ledger on (default)',
			items: count,
			latencyMs: 300,
			concurrency: 'paced ≤20',
			seconds,
			note: `store calls ${storeSeconds.toFixed(2)} s in all; ${done} done`,
		});
		judge(
			`${count.toLocaleString('en')} Process Payout at 300 ms with the ledger on: ≤ 2 minutes, every row once`,
			`${seconds.toFixed(1)} s (store ${storeSeconds.toFixed(2)} s), ${done} of ${count} done${twice ? ', SOME TWICE' : ''}`,
			seconds <= 120 && done === count && !twice,
		);
	}
	{
		// The workflow's list at its bound: 200,000 References with their done markers. Each row sent then costs n8n a search of that list to lift its hold.
		const { sandbox, run } = await payouts(count, 300);
		store.records.set('bench-ledger-full|', {
			mode: 'entries',
			hashes: Array.from({ length: 400_000 }, (_, i) => `reference-${i}`),
		});
		const { seconds, result } = await run('bench-ledger-full');
		const storeSeconds = clock.take();
		const done = result.output.filter((item) => item.json.message === undefined).length;
		await sandbox.stop();
		store.records.delete('bench-ledger-full|');
		record({
			part: 'ledger',
			case: "…with 200,000 References in the workflow's list",
			items: count,
			latencyMs: 300,
			concurrency: 'paced ≤20',
			seconds,
			note: `store calls ${storeSeconds.toFixed(2)} s in all; ${done} done`,
		});
		judge(
			`${count.toLocaleString('en')} Process Payout at 300 ms, the workflow's list full (200,000 References): ≤ 2 minutes`,
			`${seconds.toFixed(1)} s (store ${storeSeconds.toFixed(2)} s), ${done} of ${count} done`,
			seconds <= 120 && done === count,
		);
	}
	const big = quick ? 4_000 : 20_000;
	{
		const { sandbox, run } = await payouts(big, 0);
		const first = await run('bench-ledger-rerun');
		const firstStore = clock.take();
		const again = await run('bench-ledger-rerun');
		const againStore = clock.take();
		const skipped = again.result.output.filter((item) => item.json.alreadySent).length;
		await sandbox.stop();
		record({
			part: 'ledger',
			case: 'Process Payout sent (Crego instant)',
			items: big,
			latencyMs: 0,
			concurrency: 'paced ≤20',
			seconds: first.seconds,
			note: `store calls ${firstStore.toFixed(2)} s`,
		});
		record({
			part: 'ledger',
			case: 'the same sheet run again (sends nothing)',
			items: big,
			latencyMs: 0,
			concurrency: '-',
			seconds: again.seconds,
			note: `store calls ${againStore.toFixed(2)} s; ${skipped} skipped as sent`,
		});
		judge(
			`A re-run of ${big.toLocaleString('en')} payouts sends nothing`,
			`${skipped} of ${big} skipped, ${sandbox.requests.length - big} sent again; ${again.seconds.toFixed(1)} s (store ${againStore.toFixed(2)} s)`,
			skipped === big && sandbox.requests.length === big,
		);
	}
}
