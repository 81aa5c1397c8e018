/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The memory part's own process (started by inProcess.ts → memory()): runs `count` Get
 * Record items against a sandbox at 0 ms, through the Crego node (Simplify on, as by
 * default) or through the probe node that does nothing but n8n's request helper, and
 * prints as one JSON line the peak RSS growth over the run, the heap still held after it
 * (the output) and the time. A process of its own, so nothing earlier counts.
 * Usage: memoryRun.ts <count> crego|probe
 */
import { Logger } from '@n8n/backend-common';

import { runWorkflow } from '../../test/helpers/engine';
import { probeNode, probeParameters } from './inProcess';
import { recordItems, startSandbox, TOKEN } from './sandboxProcess';

for (const level of ['error', 'warn', 'info', 'debug'] as const) Logger.prototype[level] = () => {};

async function main() {
	const count = Number(process.argv[2]);
	const probe = process.argv[3] === 'probe';
	const sandbox = await startSandbox(0);
	const input = recordItems(count);
	global.gc?.();
	const before = process.memoryUsage();
	let peak = before.rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = performance.now();
	const result = await runWorkflow({
		parameters: probe
			? probeParameters('withAuthentication')
			: {
					resource: 'record',
					operation: 'get',
					recordId: '={{ $json.record }}',
					options: { concurrency: 25 },
				},
		...(probe ? { node: probeNode() } : {}),
		items: input,
		credentials: { baseUrl: sandbox.url, accessToken: TOKEN },
	});
	const seconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	global.gc?.();
	const held = process.memoryUsage().heapUsed - before.heapUsed;
	await sandbox.stop();
	const mb = (bytes: number) => Math.round(bytes / 1048576);
	console.log(
		JSON.stringify({
			items: result.output.length,
			seconds,
			rssGrowthMb: mb(peak - before.rss),
			peakRssMb: mb(peak),
			heapHeldAfterMb: mb(held),
		}),
	);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
