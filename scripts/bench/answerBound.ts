/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * An answer past the node's bound: a refund whose 201 is a gzip bomb (617 KB on the wire,
 * 600 MiB expanded). Each side runs in a process of its own, so its peak memory (maxRSS)
 * is its own:
 *  - the node, through n8n-core's engine (test/helpers/answerMemory.ts): peak RSS growth
 *    over a warmed-up run, and time;
 *  - n8n's request helper as it reads an answer by default (`encoding: 'text'`, no size
 *    limit; what the node did before issue 21 and what n8n's HTTP Request node does), the
 *    same 201 from the same sandbox.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { judge, record } from './results';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);

/** The helper's default read, as a probe: n8n-core's httpRequest with the helper's options. */
const HELPER_PROBE = `
const { createSandbox } = require('./sandbox/server');
(async () => {
	const { Container } = require('@n8n/di');
	const { OutboundHttp } = require('@n8n/backend-network');
	const sandbox = createSandbox({ token: 't0ken-for-bench', maxLifetimeMs: 120000 });
	const url = await sandbox.start();
	const path = '/v1/lms/loans/4541ca25-cf98-4b75-a2c8-db7d5a6b9e69/refunds/';
	sandbox.injectFault({ path, bombMiB: 600, process: true });
	const before = process.resourceUsage().maxRSS;
	const started = Date.now();
	let outcome;
	try {
		const answer = await Container.get(OutboundHttp).requests().request({ method: 'POST', url: url + path, body: { amount: 1, type: 'cashback_refund' }, json: true, encoding: 'text', returnFullResponse: true, ignoreHttpStatusErrors: true, headers: { Authorization: 'Bearer t0ken-for-bench' } });
		outcome = 'read ' + Math.round(String(answer.body).length / 1048576) + ' MiB';
	} catch (error) { outcome = 'failed: ' + (error.code || error.message); }
	const ms = Date.now() - started;
	process.stdout.write(JSON.stringify({ peakGrowthMiB: (process.resourceUsage().maxRSS - before) / 1024, ms, outcome }));
	await sandbox.stop();
})();
`;

export async function answerBound(): Promise<void> {
	const node = JSON.parse(
		(
			await run(
				process.execPath,
				[require.resolve('tsx/cli'), 'test/helpers/answerMemory.ts', '600'],
				{ cwd: root, timeout: 120_000 },
			)
		).stdout,
	) as {
		peakBeforeMiB: number;
		peakAfterMiB: number;
		ms: number;
	};
	const nodeGrowth = node.peakAfterMiB - node.peakBeforeMiB;
	record({
		part: 'answers',
		case: 'the node: 201 with a 600 MiB gzip bomb',
		items: 1,
		latencyMs: 0,
		concurrency: 1,
		seconds: node.ms / 1000,
		note: `peak RSS +${nodeGrowth.toFixed(0)} MiB, done, body not read`,
	});
	let helper: { peakGrowthMiB: number; ms: number; outcome: string } | undefined;
	try {
		helper = JSON.parse(
			(
				await run(process.execPath, ['-e', HELPER_PROBE], {
					cwd: root,
					timeout: 120_000,
					maxBuffer: 1 << 20,
				})
			).stdout,
		);
		record({
			part: 'answers',
			case: "n8n's helper, default read, the same 201",
			items: 1,
			latencyMs: 0,
			concurrency: 1,
			seconds: helper!.ms / 1000,
			note: `peak RSS +${helper!.peakGrowthMiB.toFixed(0)} MiB, ${helper!.outcome}`,
		});
	} catch (error) {
		record({
			part: 'answers',
			case: "n8n's helper, default read, the same 201",
			items: 1,
			latencyMs: 0,
			concurrency: 1,
			seconds: NaN,
			note: `probe failed: ${(error as Error).message.split('\n')[0]}`,
		});
	}
	judge(
		'a 600 MiB gzip bomb raises peak RSS by less than 50 MB',
		`+${nodeGrowth.toFixed(0)} MiB${helper ? ` (n8n's helper reading it whole: +${helper.peakGrowthMiB.toFixed(0)} MiB)` : ''}`,
		nodeGrowth < 50,
	);
	judge(
		'… and is answered in under a second',
		`${node.ms} ms${helper ? ` (the helper: ${helper.ms} ms)` : ''}`,
		node.ms < 1000,
	);
}
