/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * A real n8n 2.41.1 (Node 24), with `n8n execute`: 1,000 Get Record at 150 ms through the
 * Crego node and through n8n's HTTP Request node with the Crego credential — each at its
 * defaults, and both capped at 25 in flight (the HTTP Request node in a Loop Over Items of
 * 25, which waits for each batch). Each node's own execution time, from the run data.
 * Beside them, the probe (probe/BenchProbe.node.js, loaded as a custom extension) at 25:
 * what n8n costs any node. With `profiling`, only the three capped runs, each under V8's
 * CPU profiler, with where the CPU went while the node ran (cpuProfile.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chain, packPackage, workflowFile } from '../../test/helpers/n8nFiles';
import { breakdown, OUR_PACKAGE, type CpuBreakdown } from './cpuProfile';
import { CONCURRENCY, probeParameters } from './inProcess';
import { judge, record } from './results';
import { ids, startSandbox, TOKEN } from './sandboxProcess';

/** Functions whose inclusive CPU the profile prints: where a request's per-item cost could be. */
const PROFILED_FUNCTIONS = [
	'authenticate',
	'resolveValue',
	'getSimpleParameterValue',
	'getNodeParameter',
	'httpRequestWithAuthentication',
	'httpRequest',
	'requestWithAuthentication',
	'runNode',
];
export const profiles: Array<CpuBreakdown & { variant: string }> = [];
/** The one Crego credential every benchmarked node uses. */
const BENCH_CREDENTIAL = { cregoApi: { id: 'crego-bench', name: 'Crego bench' } };

interface RealVariant {
	id: string;
	label: string;
	concurrency: number | string;
	file: string;
	/** The node's files: their frames on the stack mark its run in a profile. */
	mark: RegExp;
}

export async function realN8n({ quick, profiling }: { quick: boolean; profiling: boolean }) {
	const { ensureN8n } = require('../n8n/runtime');
	const { createN8nInstance } = require('../n8n/instance');
	const count = quick ? 200 : 1000;
	/** What 25 in flight allows at 150 ms an answer. */
	const limit = (count / CONCURRENCY) * 0.15;
	const runtime = await ensureN8n('2.41.1');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-bench-n8n-'));
	const profileDir = path.join(dataDir, 'profiles');
	const sandbox = await startSandbox(150);
	const { url } = sandbox;
	// The probe, loaded as n8n loads a custom node.
	const extensions = path.join(dataDir, 'extensions');
	fs.mkdirSync(extensions);
	fs.copyFileSync(
		path.join(__dirname, 'probe/BenchProbe.node.js'),
		path.join(extensions, 'BenchProbe.node.js'),
	);
	const env: Record<string, string> = { N8N_CUSTOM_EXTENSIONS: extensions };
	// --profile: every `n8n execute` writes a V8 CPU profile (the task runner's too; we read the largest).
	if (profiling)
		env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=200`;
	const n8n = createN8nInstance({ runtime, dataDir, port: 5731, brokerPort: 6731, env });
	const tarball = packPackage();
	await n8n.installPackage(tarball);
	await n8n.importCredentials([
		{ ...BENCH_CREDENTIAL.cregoApi, type: 'cregoApi', data: { baseUrl: url, accessToken: TOKEN } },
	]);
	const crego = OUR_PACKAGE;
	const http = /n8n-nodes-base\/dist\/nodes\/HttpRequest\//;
	const all: RealVariant[] = [
		{
			id: 'benchCrego',
			label: 'Crego node, Concurrent Requests 25',
			concurrency: CONCURRENCY,
			file: benchWorkflow('benchCrego', cregoNode(CONCURRENCY), count),
			mark: crego,
		},
		{
			id: 'benchProbe',
			label: 'probe: n8n helper + the ID expression only',
			concurrency: CONCURRENCY,
			file: benchWorkflow('benchProbe', probeN8nNode(), count),
			mark: /BenchProbe\.node\.js/,
		},
		{
			id: 'benchHttpLoop',
			label: 'HTTP Request node, Loop Over Items of 25',
			concurrency: CONCURRENCY,
			file: loopWorkflow('benchHttpLoop', httpNode(url), count, CONCURRENCY),
			mark: http,
		},
		{
			id: 'benchHttpBatched',
			label: 'HTTP Request node, batching 25, no interval',
			concurrency: 'starts all',
			file: benchWorkflow('benchHttpBatched', httpNode(url, CONCURRENCY), count),
			mark: http,
		},
		{
			id: 'benchHttpDefault',
			label: 'HTTP Request node, its default',
			concurrency: 'all',
			file: benchWorkflow('benchHttpDefault', httpNode(url), count),
			mark: http,
		},
		{
			id: 'benchCregoDefault',
			label: 'Crego node, its defaults (paced)',
			concurrency: 'paced ≤50',
			file: benchWorkflow('benchCregoDefault', cregoNode(), count),
			mark: crego,
		},
	];
	const variants = profiling
		? all.filter((variant) => ['benchCrego', 'benchProbe', 'benchHttpLoop'].includes(variant.id))
		: all;
	await n8n.importWorkflows(variants.map((variant) => variant.file));
	const times: Record<string, number> = {};
	for (const variant of variants) {
		fs.rmSync(profileDir, { recursive: true, force: true });
		const result = await n8n.execute(variant.id);
		const runs: Array<{ startTime: number; executionTime: number; data?: { main?: unknown[][] } }> =
			result.run?.data?.resultData?.runData?.Lookup ?? [];
		const out = runs.reduce((sum, run) => sum + (run.data?.main?.[0]?.length ?? 0), 0);
		if (result.code !== 0 || out !== count) {
			fs.writeFileSync(path.join(os.tmpdir(), `${variant.id}.stdout`), result.stdout);
			throw new Error(
				`${variant.label}: exit ${result.code}, ${out} items (its output: ${path.join(os.tmpdir(), `${variant.id}.stdout`)})`,
			);
		}
		// One run: the node's execution time. A loop: from the first batch's start to the last one's end.
		const last = runs[runs.length - 1];
		times[variant.id] =
			runs.length === 1
				? runs[0].executionTime / 1000
				: (last.startTime + last.executionTime - runs[0].startTime) / 1000;
		record({
			part: 'real n8n',
			case: variant.label,
			items: count,
			latencyMs: 150,
			concurrency: variant.concurrency,
			seconds: times[variant.id],
			ratio:
				typeof variant.concurrency === 'number'
					? `${(times[variant.id] / limit).toFixed(2)}x the limit`
					: undefined,
			note:
				runs.length === 1
					? 'node execution time'
					: `${runs.length} batches, first start to last end`,
		});
		if (profiling) printProfile(variant, profileDir);
	}
	await sandbox.stop();
	fs.rmSync(dataDir, { recursive: true, force: true });
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	if (!profiling) {
		const atDefaults = times.benchCregoDefault / times.benchHttpDefault;
		judge(
			`Real n8n, ${count.toLocaleString('en')} Get Record at 150 ms, defaults: Crego ≤ 1.0× the HTTP Request node`,
			`${atDefaults.toFixed(2)}× (${times.benchCregoDefault.toFixed(2)} s vs ${times.benchHttpDefault.toFixed(2)} s)`,
			atDefaults <= 1,
		);
	}
	const capped = times.benchCrego / limit;
	judge(
		`Real n8n, Crego at 25 in flight ≤ 1.10× the ${limit.toFixed(1)} s that 25 in flight allows`,
		`${capped.toFixed(2)}× (${times.benchCrego.toFixed(2)} s; a node doing only what n8n makes every node do ${(times.benchProbe / limit).toFixed(2)}×; the capped HTTP Request node ${(times.benchHttpLoop / limit).toFixed(2)}×)`,
		capped <= 1.1,
	);
}

/** The CPU of the run's n8n process (the largest profile) while the node was on the stack, by owner. */
function printProfile(variant: RealVariant, profileDir: string) {
	const files = fs.readdirSync(profileDir).map((name) => path.join(profileDir, name));
	const largest = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	const result = breakdown(largest, variant.mark, PROFILED_FUNCTIONS);
	const kept = path.join(os.tmpdir(), `${variant.id}.cpuprofile`);
	fs.copyFileSync(largest, kept);
	console.log(
		`  CPU while ${variant.label} ran (${result.windowMs} ms window; the profile: ${kept}, opens in Chrome DevTools):`,
	);
	for (const { owner, ms } of result.byOwner)
		console.log(`    ${String(ms).padStart(6)} ms  ${owner}`);
	console.log('  inclusive:');
	for (const { name, ms } of result.inclusive)
		console.log(`    ${String(ms).padStart(6)} ms  ${name}`);
	console.log('  our functions, inclusive:');
	for (const { name, ms } of result.ours) console.log(`    ${String(ms).padStart(6)} ms  ${name}`);
	console.log('  top self:');
	for (const { name, ms } of result.topSelf)
		console.log(`    ${String(ms).padStart(6)} ms  ${name}`);
	profiles.push({ variant: variant.id, ...result });
}

/** The probe (probe/BenchProbe.node.js) as a custom node: the ID from an expression, the authenticated helper, 25 at once. */
function probeN8nNode() {
	return {
		type: 'CUSTOM.benchProbe',
		typeVersion: 1,
		parameters: probeParameters('withExpression'),
		credentials: BENCH_CREDENTIAL,
	};
}

function cregoNode(concurrency?: number) {
	return {
		type: 'n8n-nodes-crego.crego',
		typeVersion: 1,
		parameters: {
			resource: 'record',
			operation: 'get',
			recordId: '={{ $json.record }}',
			simple: false,
			options: concurrency ? { concurrency } : {},
		},
		credentials: BENCH_CREDENTIAL,
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
		credentials: BENCH_CREDENTIAL,
	};
}

/** Start → 1,000 rows → one item each → the node under test; the file to import. */
function benchWorkflow(id: string, node: object, count: number): string {
	const nodes = [
		{
			id: 'n1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...rowNodes(count),
		{ id: 'n4', name: 'Lookup', position: [600, 0], ...node },
	];
	return workflowFile({ id, name: id, nodes, connections: chain(nodes.map((each) => each.name)) });
}

/** `Rows` makes one item holding `count` record IDs, `Split` one item per ID. */
function rowNodes(count: number) {
	return [
		{
			id: 'n2',
			name: 'Rows',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{
							id: 'a',
							name: 'records',
							type: 'array',
							value: `={{ Array.from({ length: ${count} }, () => '${ids.DOCS_RECORD_ID}') }}`,
						},
					],
				},
				options: {},
			},
		},
		{
			id: 'n3',
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'records', options: { destinationFieldName: 'record' } },
		},
	];
}

/**
 * The capped peer: Start → rows → Loop Over Items (batches of `batchSize`) → the HTTP Request
 * node → back to the loop. Each batch waits for the one before, so at most `batchSize` are
 * in flight: what Concurrent Requests 25 means for the Crego node.
 */
function loopWorkflow(id: string, node: object, count: number, batchSize: number): string {
	const nodes = [
		{
			id: 'n1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...rowNodes(count),
		{
			id: 'n5',
			name: 'Loop',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			position: [600, 0],
			parameters: { batchSize, options: {} },
		},
		{ id: 'n4', name: 'Lookup', position: [800, 100], ...node },
	];
	const connections = {
		...chain(['Start', 'Rows', 'Split', 'Loop']),
		Loop: { main: [[], [{ node: 'Lookup', type: 'main', index: 0 }]] },
		Lookup: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
	};
	return workflowFile({ id, name: id, nodes, connections });
}
