/**
 * `npm run bench`: how fast the node is, measured, every figure from this run against the
 * same sandbox. Prints a table (and writes it as JSON to bench-results.json):
 *  1. in process (n8n-core's engine): Get Record over 1,000 and 10,000 items at 0 and 150 ms
 *     latency — the Crego node vs a plain axios loop at the same concurrency (the floor),
 *     and, at 0 ms, a probe node doing only n8n's request helpers (where the overhead is);
 *  2. memory: peak RSS growth while 10,000 items go through the node;
 *  3. in a real n8n 2.41.1: 1,000 items at 150 ms through the Crego node and through n8n's
 *     HTTP Request node with the Crego credential, at equal concurrency and at its default;
 *  4. the package: load time and tarball size.
 *  0. month-end writes: Process Payout over 5,000 distinct payouts at 300 ms, at the
 *     defaults, then with a fault mix (see monthEndWrites);
 * Options: --quick (smaller runs, for a try), --no-n8n (skip part 3), --month-end (part 0 only).
 * A benchmark, not a test: it asserts nothing.
 */
import { Logger } from '@n8n/backend-common';
import axios from 'axios';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { LoggerProxy, type IExecuteFunctions, type INodeExecutionData, type INodeType, type NodeConnectionType } from 'n8n-workflow';

import { runWorkflow } from '../../test/helpers/engine';
import { chain, packPackage, workflowFile } from '../../test/helpers/n8nFiles';

const { ids } = require('../../sandbox/seed');

const root = path.resolve(__dirname, '../..');
const quick = process.argv.includes('--quick');
const withN8n = !process.argv.includes('--no-n8n');
const onlyMonthEnd = process.argv.includes('--month-end');
const TOKEN = 'bench-token';
const CONCURRENCY = 25;

// n8n-core logs every node error; a benchmark wants its table only.
for (const level of ['error', 'warn', 'info', 'debug'] as const) Logger.prototype[level] = () => {};
LoggerProxy.init({ error() {}, warn() {}, info() {}, debug() {} } as never);

interface Row {
	part: string;
	case: string;
	items: number;
	latencyMs: number;
	concurrency: number | string;
	seconds: number;
	itemsPerSecond: number;
	ratio?: string;
	note?: string;
}
const rows: Row[] = [];

function record(row: Omit<Row, 'itemsPerSecond'>) {
	const full = { ...row, itemsPerSecond: Math.round(row.items / row.seconds) };
	rows.push(full);
	console.log(
		`${full.part.padEnd(11)} ${full.case.padEnd(34)} ${String(full.items).padStart(6)} items  ${String(full.latencyMs).padStart(3)} ms  c=${String(full.concurrency).padEnd(4)} ${full.seconds.toFixed(2).padStart(7)} s  ${String(full.itemsPerSecond).padStart(6)}/s ${full.ratio ?? ''} ${full.note ?? ''}`,
	);
	return full;
}

/**
 * The sandbox in a process of its own (`npm run sandbox`), so its work does not share the
 * measured process's event loop: on 2 cores, client and server each get one.
 */
let nextPort = 18900;
async function startSandbox(latencyMs: number) {
	const port = nextPort++;
	const child = spawn(process.execPath, [path.join(root, 'sandbox/cli.js'), '--port', String(port), '--token', TOKEN, '--latency', String(latencyMs)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (chunk) => String(chunk).includes('listening') && resolve());
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	const stop = () =>
		new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	return { sandbox: { stop }, url: `http://127.0.0.1:${port}` };
}

const items = (count: number) => Array.from({ length: count }, () => ({ record: ids.DOCS_RECORD_ID }));

/** The Crego node through n8n-core's engine; seconds for the whole workflow run. */
/** `concurrency` undefined: the node's defaults (the adaptive pace, up to 50 for reads). */
async function cregoInProcess(url: string, count: number, concurrency?: number) {
	const started = performance.now();
	const result = await runWorkflow({
		parameters: { resource: 'record', operation: 'get', recordId: '={{ $json.record }}', simple: false, options: concurrency ? { concurrency } : {} },
		items: items(count),
		credentials: { baseUrl: url, accessToken: TOKEN },
	});
	const seconds = (performance.now() - started) / 1000;
	if (result.error || result.output.length !== count) throw new Error(`Crego node run failed: ${result.error?.message ?? result.output.length}`);
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

/**
 * A probe node that does nothing but n8n's request helper per item, at the same
 * concurrency: it splits the node's overhead into what n8n's helpers cost and what the
 * Crego node itself adds.
 */
function probeNode(withAuthentication: boolean, concurrency: number): INodeType {
	return {
		description: {
			displayName: 'Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'n8n request helper only',
			defaults: { name: 'Probe' },
			inputs: ['main' as NodeConnectionType],
			outputs: ['main' as NodeConnectionType],
			credentials: [{ name: 'cregoApi', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const input = this.getInputData();
			const credentials = await this.getCredentials('cregoApi');
			const output: INodeExecutionData[] = new Array(input.length);
			let next = 0;
			const worker = async () => {
				while (next < input.length) {
					const index = next++;
					const options = {
						method: 'GET' as const,
						url: `${credentials.baseUrl}/v1/lms/records/${ids.DOCS_RECORD_ID}/`,
						qs: { expand: 'payouts' },
						json: true,
						encoding: 'text' as const,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					};
					const response = withAuthentication
						? await this.helpers.httpRequestWithAuthentication.call(this, 'cregoApi', options, {
								credentialsDecrypted: { id: 'bench', name: 'bench', type: 'cregoApi', data: credentials },
							})
						: await this.helpers.httpRequest({ ...options, headers: { Authorization: `Bearer ${String(credentials.accessToken)}` } });
					output[index] = { json: JSON.parse(response.body), pairedItem: { item: index } };
				}
			};
			await Promise.all(Array.from({ length: concurrency }, worker));
			return [output];
		},
	};
}

async function probeInProcess(url: string, count: number, concurrency: number, withAuthentication: boolean) {
	const started = performance.now();
	const result = await runWorkflow({
		parameters: {},
		items: items(count),
		credentials: { baseUrl: url, accessToken: TOKEN },
		node: { type: 'bench.probe', nodeType: probeNode(withAuthentication, concurrency) },
	});
	if (result.output.length !== count) throw new Error(`probe run failed: ${result.error?.message}`);
	return (performance.now() - started) / 1000;
}

async function inProcess() {
	const sizes = quick ? [200, 1000] : [1000, 10000];
	for (const latencyMs of [0, 150]) {
		const { sandbox, url } = await startSandbox(latencyMs);
		for (const count of sizes) {
			await cregoInProcess(url, Math.min(count, 50), CONCURRENCY); // warm up both paths
			await axiosLoop(url, Math.min(count, 50), CONCURRENCY);
			const floor = await axiosLoop(url, count, CONCURRENCY);
			const crego = await cregoInProcess(url, count, CONCURRENCY);
			record({ part: 'in process', case: 'axios loop (floor)', items: count, latencyMs, concurrency: CONCURRENCY, seconds: floor });
			record({ part: 'in process', case: 'Crego node (n8n-core engine)', items: count, latencyMs, concurrency: CONCURRENCY, seconds: crego, ratio: `${(crego / floor).toFixed(2)}x floor` });
			if (latencyMs === 0) {
				const bare = await probeInProcess(url, count, CONCURRENCY, false);
				const helper = await probeInProcess(url, count, CONCURRENCY, true);
				record({ part: 'in process', case: 'probe: engine + httpRequest', items: count, latencyMs, concurrency: CONCURRENCY, seconds: bare, ratio: `${(bare / floor).toFixed(2)}x floor` });
				record({ part: 'in process', case: 'probe: + httpRequestWithAuthentication', items: count, latencyMs, concurrency: CONCURRENCY, seconds: helper, ratio: `${(helper / floor).toFixed(2)}x floor`, note: `Crego node ${(crego / helper).toFixed(2)}x this` });
			}
			if (latencyMs === 150 && count === sizes[0]) {
				// The default (10 in flight) and one at a time (200 items: 150 ms each adds up).
				record({ part: 'in process', case: 'Crego node, defaults (paced)', items: count, latencyMs, concurrency: 'paced ≤50', seconds: await cregoInProcess(url, count) });
				record({ part: 'in process', case: 'Crego node, one at a time', items: 200, latencyMs, concurrency: 1, seconds: await cregoInProcess(url, 200, 1) });
			}
		}
		await sandbox.stop();
	}
}

async function memory() {
	const count = quick ? 2000 : 10000;
	const { sandbox, url } = await startSandbox(0);
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const seconds = await cregoInProcess(url, count, CONCURRENCY);
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	await sandbox.stop();
	const growthMb = Math.round((peak - before) / 1048576);
	record({ part: 'memory', case: 'Crego node, peak RSS growth', items: count, latencyMs: 0, concurrency: CONCURRENCY, seconds, note: `${growthMb} MB (RSS ${Math.round(peak / 1048576)} MB)` });
	return growthMb;
}

function packageFigures() {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-bench-pack-'));
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }));
	// n8n has n8n-workflow loaded already: time our package on top of it.
	const script = `require('n8n-workflow');const t=performance.now();const {Crego}=require(${JSON.stringify(path.join(root, 'dist/nodes/Crego/Crego.node.js'))});new Crego();console.log(performance.now()-t)`;
	const load = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root });
	const loadMs = Number(load.stdout.trim());
	console.log(`package     tarball ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.files.length} files; load + construct ${loadMs.toFixed(1)} ms (with n8n-workflow already loaded)`);
	fs.rmSync(packDir, { recursive: true, force: true });
	return { tarball: packed, loadMs, tarballPath: undefined };
}

/** Part 3: a real n8n, with `n8n execute`; each node's own execution time from the run data. */
async function realN8n() {
	const { ensureN8n } = require('../n8n/runtime');
	const { createN8nInstance } = require('../n8n/instance');
	const count = quick ? 200 : 1000;
	const runtime = await ensureN8n('2.41.1');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-bench-n8n-'));
	const { sandbox, url } = await startSandbox(150);
	const n8n = createN8nInstance({ runtime, dataDir, port: 5731, brokerPort: 6731 });
	const tarball = packPackage();
	await n8n.installPackage(tarball);
	await n8n.importCredentials([{ id: 'crego-bench', name: 'Crego bench', type: 'cregoApi', data: { baseUrl: url, accessToken: TOKEN } }]);
	const variants = [
		{ id: 'benchCrego', node: cregoNode(CONCURRENCY), label: 'Crego node', concurrency: CONCURRENCY },
		{ id: 'benchHttpBatched', node: httpNode(url, CONCURRENCY), label: 'HTTP Request node, batched', concurrency: CONCURRENCY },
		{ id: 'benchHttpDefault', node: httpNode(url), label: 'HTTP Request node, its default', concurrency: 'all' },
		{ id: 'benchCregoDefault', node: cregoNode(), label: 'Crego node, its defaults (paced)', concurrency: 'paced ≤50' },
	];
	const files = variants.map((variant) => benchWorkflow(variant.id, variant.node, count));
	await n8n.importWorkflows(files);
	const times: Record<string, number> = {};
	for (const variant of variants) {
		const result = await n8n.execute(variant.id);
		const task = result.run?.data?.resultData?.runData?.Lookup?.[0];
		const out = task?.data?.main?.[0]?.length ?? 0;
		if (result.code !== 0 || out !== count) throw new Error(`${variant.label}: exit ${result.code}, ${out} items\n${result.stdout.slice(-2000)}`);
		times[variant.id] = task.executionTime / 1000;
		record({
			part: 'real n8n',
			case: variant.label,
			items: count,
			latencyMs: 150,
			concurrency: variant.concurrency,
			seconds: times[variant.id],
			ratio: variant.id === 'benchCrego' ? undefined : `${(times.benchCrego / times[variant.id]).toFixed(2)}x (Crego c=25 / this)`,
			note: 'node execution time',
		});
	}
	await sandbox.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
}

function cregoNode(concurrency?: number) {
	return {
		type: 'n8n-nodes-crego.crego',
		typeVersion: 1,
		parameters: { resource: 'record', operation: 'get', recordId: '={{ $json.record }}', simple: false, options: concurrency ? { concurrency } : {} },
		credentials: { cregoApi: { id: 'crego-bench', name: 'Crego bench' } },
	};
}

function httpNode(url: string, batchSize?: number) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url: `=${url}/v1/lms/records/{{ $json.record }}/?expand=payouts`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'cregoApi',
			options: batchSize ? { batching: { batch: { batchSize, batchInterval: 0 } } } : {},
		},
		credentials: { cregoApi: { id: 'crego-bench', name: 'Crego bench' } },
	};
}

/** Start → 1,000 rows → one item each → the node under test; the file to import. */
function benchWorkflow(id: string, node: object, count: number): string {
	const nodes = [
		{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'n2',
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: { assignments: { assignments: [{ id: 'a', name: 'records', type: 'array', value: `={{ Array.from({ length: ${count} }, () => '${ids.DOCS_RECORD_ID}') }}` }] }, options: {} },
		},
		{ id: 'n3', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [400, 0], parameters: { fieldToSplitOut: 'records', options: { destinationFieldName: 'record' } } },
		{ id: 'n4', name: 'Lookup', position: [600, 0], ...node },
	];
	return workflowFile({ id, name: id, nodes, connections: chain(nodes.map((each) => each.name)) });
}

/**
 * Month-end writes: Process Payout over many distinct payouts at 300 ms, the node at its
 * defaults (paced, up to 20 in flight, parallel across payouts), in process against a
 * sandbox in this process (its request log is the witness): time, writes per row, output
 * order; then the same with a fault mix (1% 502, 1% reset after the work, a burst of 429
 * with Retry-After) — no row sent twice, every outcome true, the pace down under 3 in
 * flight within 1 s of the 429s.
 */
async function monthEndWrites() {
	const { createSandbox } = require('../../sandbox/server');
	const count = quick ? 1000 : 5000;
	const payoutId = (i: number) => `5e770000-0000-4000-8000-${String(i).padStart(12, '0')}`;
	for (const withFaults of [false, true]) {
		const sandbox = createSandbox({ token: TOKEN, latencyMs: 300 });
		const url: string = await sandbox.start();
		const template = sandbox.state.payouts.get(ids.DOCS_PAYOUT_ID);
		for (let i = 0; i < count; i++) sandbox.state.payouts.set(payoutId(i), { ...template, id: payoutId(i), ref_id: `PAYB${i}` });
		let burstAt = 0;
		if (withFaults) {
			sandbox.injectFault({ path: '/v1/lms/payouts/*', everyNth: 100, status: 502, body: '' });
			sandbox.injectFault({ path: '/v1/lms/payouts/*', everyNth: 99, reset: true, process: true });
			// The 429 burst, a third of the way through: 40 answers with Retry-After: 2.
			const timer = setInterval(() => {
				if (sandbox.requests.length < count / 3) return;
				clearInterval(timer);
				burstAt = Date.now();
				sandbox.injectFault({ path: '/v1/lms/payouts/*', times: 40, status: 429, retryAfter: 2, body: { detail: 'Request was throttled. Expected available in 2 seconds.' } });
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
				options: { duplicateGuard: false },
			},
			items: Array.from({ length: count }, (_, row) => ({ payout: payoutId(row), row })),
			credentials: { baseUrl: url, accessToken: TOKEN },
			onError: 'continueRegularOutput',
		});
		const seconds = (performance.now() - started) / 1000;
		const requests: Array<Record<string, any>> = sandbox.requests;
		const worked = new Map<string, number>();
		for (const r of requests) if (r.didWork) worked.set(r.path, (worked.get(r.path) ?? 0) + 1);
		const twice = [...worked.values()].filter((n) => n > 1).length;
		const inOrder = result.output.every((item, i) => (item.pairedItem as { item: number }).item === i);
		const outcomes = result.output.map((item) => ((item.json.message as Record<string, unknown> | undefined)?.outcome as string) ?? 'done');
		// An outcome is true when done ⇒ Crego did the work, rejected/notSent ⇒ it did not.
		const wrong = outcomes.filter((outcome, i) => {
			const did = worked.has(`/v1/lms/payouts/${payoutId(i)}/mark_processed/`);
			return (outcome === 'done' && !did) || ((outcome === 'rejected' || outcome === 'notSent') && did);
		}).length;
		let note = `${twice} rows did the work twice, output ${inOrder ? 'in row order' : 'OUT OF ORDER'}, ${wrong} outcomes untrue; ${result.hints.at(-1)?.replace(/^.*Pace: /, 'pace: ').replace(/\.$/, '') ?? ''}`;
		if (withFaults && burstAt) {
			const atOnce = (t: number) => requests.filter((r) => r.receivedAt <= t && (r.answeredAt ?? Infinity) > t).length;
			note += `; in flight 1 s after the 429s began: ${atOnce(burstAt + 1000)}`;
		}
		record({ part: 'month-end', case: withFaults ? 'Process Payout, fault mix' : 'Process Payout, defaults', items: count, latencyMs: 300, concurrency: 'paced ≤20', seconds, note });
		await sandbox.stop();
	}
}

async function main() {
	console.log(`Crego node benchmark — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}${quick ? ' (quick)' : ''}`);
	await monthEndWrites();
	if (onlyMonthEnd) return;
	await inProcess();
	await memory();
	const pkg = packageFigures();
	if (withN8n) await realN8n();
	fs.writeFileSync(path.join(root, 'bench-results.json'), JSON.stringify({ when: new Date().toISOString(), rows, package: { size: pkg.tarball.size, unpackedSize: pkg.tarball.unpackedSize, files: pkg.tarball.files.length, loadMs: pkg.loadMs } }, null, 2));
	console.log('Figures written to bench-results.json');
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
