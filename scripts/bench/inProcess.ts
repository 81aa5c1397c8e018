/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * In process (n8n-core's engine): Get Record through the Crego node against a plain axios
 * loop at the same concurrency (the floor for any node), a probe node doing only n8n's
 * request helpers (where the overhead lies), and the memory a long sheet takes.
 */
import axios from 'axios';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { INodeType } from 'n8n-workflow';

import { runWorkflow } from '../../test/helpers/engine';
import { judge, median, record } from './results';
import { ids, recordItems, startSandbox, TOKEN } from './sandboxProcess';

export const CONCURRENCY = 25;

/** The Crego node through n8n-core's engine; seconds for the whole workflow run. `concurrency` undefined: the node's defaults (paced, up to 50 for reads). */
async function cregoInProcess(url: string, count: number, concurrency?: number, simple = false) {
	const started = performance.now();
	const result = await runWorkflow({
		parameters: {
			resource: 'record',
			operation: 'get',
			recordId: '={{ $json.record }}',
			simple,
			options: concurrency ? { concurrency } : {},
		},
		items: recordItems(count),
		credentials: { baseUrl: url, accessToken: TOKEN },
	});
	const seconds = (performance.now() - started) / 1000;
	if (result.error || result.output.length !== count)
		throw new Error(`Crego node run failed: ${result.error?.message ?? result.output.length}`);
	return seconds;
}

/** The floor: the same GETs with plain axios, the same concurrency, nothing else. */
async function axiosLoop(url: string, count: number, concurrency: number) {
	const agent = new http.Agent({ keepAlive: false });
	const started = performance.now();
	let next = 0;
	const results = new Array(count);
	const worker = async () => {
		while (next < count) {
			const index = next++;
			const response = await axios.get(`${url}/v1/lms/records/${ids.DOCS_RECORD_ID}/`, {
				params: { expand: 'payouts' },
				headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
				httpAgent: agent,
			});
			results[index] = response.data;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return (performance.now() - started) / 1000;
}

/** What the probe does per item: n8n's plain helper, the authenticated one, or that plus reading the record ID from an expression. */
export type ProbeLevel = 'httpRequest' | 'withAuthentication' | 'withExpression';

const { BenchProbe } = require('./probe/BenchProbe.node.js');

export function probeParameters(level: ProbeLevel) {
	return {
		recordId: level === 'withExpression' ? '={{ $json.record }}' : ids.DOCS_RECORD_ID,
		authenticated: level !== 'httpRequest',
		concurrency: CONCURRENCY,
	};
}

export const probeNode = () => ({ type: 'bench.probe', nodeType: new BenchProbe() as INodeType });

async function probeInProcess(url: string, count: number, level: ProbeLevel) {
	const started = performance.now();
	const result = await runWorkflow({
		parameters: probeParameters(level),
		items: recordItems(count),
		credentials: { baseUrl: url, accessToken: TOKEN },
		node: probeNode(),
	});
	if (result.output.length !== count) throw new Error(`probe run failed: ${result.error?.message}`);
	return (performance.now() - started) / 1000;
}

export async function inProcess(quick: boolean) {
	const sizes = quick ? [200, 1000] : [1000, 10000];
	await atZeroLatency(sizes);
	const sandbox = await startSandbox(150);
	for (const count of sizes) {
		const floor = await axiosLoop(sandbox.url, count, CONCURRENCY);
		const crego = await cregoInProcess(sandbox.url, count, CONCURRENCY);
		record({
			part: 'in process',
			case: 'axios loop (floor)',
			items: count,
			latencyMs: 150,
			concurrency: CONCURRENCY,
			seconds: floor,
		});
		record({
			part: 'in process',
			case: 'Crego node (n8n-core engine)',
			items: count,
			latencyMs: 150,
			concurrency: CONCURRENCY,
			seconds: crego,
			ratio: `${(crego / floor).toFixed(2)}x floor`,
		});
		if (count === sizes[0]) {
			// The default (paced, up to 50 for reads) and one at a time (200 items: 150 ms each adds up).
			record({
				part: 'in process',
				case: 'Crego node, defaults (paced)',
				items: count,
				latencyMs: 150,
				concurrency: 'paced ≤50',
				seconds: await cregoInProcess(sandbox.url, count),
			});
			record({
				part: 'in process',
				case: 'Crego node, one at a time',
				items: 200,
				latencyMs: 150,
				concurrency: 1,
				seconds: await cregoInProcess(sandbox.url, 200, 1),
			});
		}
	}
	await sandbox.stop();
}

/**
 * At 0 ms every microsecond per item shows. One run varies by ±20% on a shared machine, so
 * each contender runs three times, interleaved, and its median counts: the axios floor, the
 * probe at each level (what n8n itself costs any node), and the Crego node.
 */
async function atZeroLatency(sizes: number[]) {
	const sandbox = await startSandbox(0);
	const { url } = sandbox;
	const contenders: Array<{ label: string; run: (count: number) => Promise<number> }> = [
		{ label: 'axios loop (floor)', run: (count) => axiosLoop(url, count, CONCURRENCY) },
		{
			label: 'probe: engine + httpRequest',
			run: (count) => probeInProcess(url, count, 'httpRequest'),
		},
		{
			label: 'probe: + httpRequestWithAuthentication',
			run: (count) => probeInProcess(url, count, 'withAuthentication'),
		},
		{
			label: 'probe: + the record ID from an expression',
			run: (count) => probeInProcess(url, count, 'withExpression'),
		},
		{
			label: 'Crego node (n8n-core engine)',
			run: (count) => cregoInProcess(url, count, CONCURRENCY),
		},
	];
	for (const contender of contenders) await contender.run(50); // warm up every path
	for (const count of sizes) {
		const times: number[][] = contenders.map(() => []);
		for (let round = 0; round < 3; round++)
			for (const [index, contender] of contenders.entries())
				times[index].push(await contender.run(count));
		const medians = times.map((each) => median(each, (seconds) => seconds));
		const [floor, , , withExpression, crego] = medians;
		for (const [index, contender] of contenders.entries()) {
			const note = `median of ${times[index].map((t) => t.toFixed(2)).join(', ')} s${index === contenders.length - 1 ? `; ${(crego / withExpression).toFixed(2)}x the probe with an expression` : ''}`;
			record({
				part: 'in process',
				case: contender.label,
				items: count,
				latencyMs: 0,
				concurrency: CONCURRENCY,
				seconds: medians[index],
				ratio: `${(medians[index] / floor).toFixed(2)}x floor`,
				note,
			});
		}
		if (count === sizes[1]) {
			judge(
				`In process, ${count.toLocaleString('en')} items at 0 ms: Crego ≤ 1.3× the axios loop`,
				`${(crego / floor).toFixed(2)}× (n8n's helper with the ID read from an expression, doing nothing else: ${(withExpression / floor).toFixed(2)}×)`,
				crego / floor <= 1.3,
			);
		}
	}
	await sandbox.stop();
}

/**
 * Peak RSS growth while `count` items go through the node (0 ms, 25 in flight, Simplify on
 * as by default), each run in a fresh process of its own (memoryRun.ts). Garbage collection
 * makes one run's peak vary by ±25%: three runs, judged by their median, and one run of the
 * probe that does nothing but n8n's request helper, for what any node pays.
 */
export async function memory(quick: boolean) {
	const count = quick ? 5000 : 50000;
	const crego = [memoryRun(count, 'crego'), memoryRun(count, 'crego'), memoryRun(count, 'crego')];
	const middle = median(crego, (run) => run.rssGrowthMb);
	const probe = memoryRun(count, 'probe');
	const growths = crego.map((run) => run.rssGrowthMb).join(', ');
	record({
		part: 'memory',
		case: 'Crego node, peak RSS growth (median of 3)',
		items: count,
		latencyMs: 0,
		concurrency: CONCURRENCY,
		seconds: middle.seconds,
		note: `${middle.rssGrowthMb} MB (runs: ${growths} MB; peak RSS ${middle.peakRssMb} MB; ${middle.heapHeldAfterMb} MB of heap held after, the output)`,
	});
	record({
		part: 'memory',
		case: "probe: only n8n's request helper",
		items: count,
		latencyMs: 0,
		concurrency: CONCURRENCY,
		seconds: probe.seconds,
		note: `${probe.rssGrowthMb} MB (peak RSS ${probe.peakRssMb} MB; ${probe.heapHeldAfterMb} MB held after)`,
	});
	judge(
		`${count.toLocaleString('en')} items through the node: peak RSS growth < 300 MB`,
		`${middle.rssGrowthMb} MB, median of ${growths} MB (n8n's request helper alone: ${probe.rssGrowthMb} MB)`,
		middle.rssGrowthMb < 300 && crego.every((run) => run.items === count),
	);
}

function memoryRun(count: number, node: 'crego' | 'probe') {
	const child = spawnSync(
		process.execPath,
		['--expose-gc', '--import', 'tsx', path.join(__dirname, 'memoryRun.ts'), String(count), node],
		{ encoding: 'utf8' },
	);
	const line = child.stdout.trim().split('\n').pop() ?? '';
	if (child.status !== 0 || !line.startsWith('{'))
		throw new Error(`memory run failed: ${child.stderr.slice(-2000)}`);
	return JSON.parse(line) as {
		items: number;
		seconds: number;
		rssGrowthMb: number;
		peakRssMb: number;
		heapHeldAfterMb: number;
	};
}
