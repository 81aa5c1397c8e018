/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * What the example workflows do, as one JSON file: every request the sandbox received
 * (method, path, query, body, status, the headers the node chose), every node's output
 * items and hints, and every email — for each example run twice (the second run is the
 * ledger's re-run). A refactor that changes no behaviour leaves this file byte-equal:
 *
 *   npx tsx scripts/behaviour/snapshot.ts before.json   (on the old commit)
 *   npx tsx scripts/behaviour/snapshot.ts after.json    (on the new one)
 *   cmp before.json after.json
 *
 * Runs the packed package in a real n8n 2.41.1 (`npm run n8n:install` first; build first).
 * What differs between two runs of the same code is replaced by stable names: IDs the
 * sandbox makes up, clocks, execution ids.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { packPackage } from '../../test/helpers/n8nFiles';
import { startSandbox, SANDBOX_TOKEN } from '../../test/helpers/sandbox';

const { ensureN8n } = require('../n8n/runtime');
const { createN8nInstance } = require('../n8n/instance');
const { createMailbox } = require('../n8n/mailbox');
const { examples, sandboxCredentials } = require('../n8n/examples');

/** Headers the sandbox sees that the node does not choose (or that change each run). */
const VOLATILE_HEADERS = new Set(['host', 'connection', 'content-length', 'date', 'x-request-id']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Fields of n8n's own nodes that measure time (the Send Email node's SMTP timings): left out. */
const VOLATILE_KEYS = new Set(['envelopeTime', 'messageTime']);

/**
 * Makes a run's record comparable with another run's: values that differ between runs of
 * the same code (made-up IDs, clocks) become names numbered in order of first appearance.
 */
function stabilise(value: Json): Json {
	const names = new Map<string, string>();
	const PATTERNS: Array<[RegExp, string]> = [
		// Payout, transaction and other IDs the sandbox makes up: an upper-case prefix and random letters.
		[/\b(PAY|TXN|REF|ADJ|TR)[A-Z0-9]{6,}\b/g, 'made-up-id'],
		[/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'uuid'],
		[/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g, 'time'],
		[/\b1[6-9]\d{8}(\d{3})?\b/g, 'epoch'],
	];
	const seeded = new Set<string>(
		Object.values(require('../../sandbox/seed').ids).flat().map(String),
	);
	const rename = (text: string) =>
		PATTERNS.reduce(
			(current, [pattern, kind]) =>
				current.replace(pattern, (match) => {
					// IDs the sandbox seeds (the docs' loans and records) are the same every run: kept as they are.
					if (kind === 'uuid' && seeded.has(match)) return match;
					if (!names.has(match))
						names.set(
							match,
							`<${kind} ${[...names.values()].filter((name) => name.startsWith(`<${kind} `)).length + 1}>`,
						);
					return names.get(match)!;
				}),
			text,
		);
	const walk = (node: Json): Json => {
		if (typeof node === 'string') return rename(node);
		if (typeof node === 'number')
			return /^1[6-9]\d{8}(\d{3})?$/.test(String(node)) ? rename(String(node)) : node;
		if (Array.isArray(node)) return node.map(walk);
		if (node && typeof node === 'object')
			return Object.fromEntries(
				Object.entries(node)
					.filter(([key]) => !VOLATILE_KEYS.has(key))
					.map(([key, inner]) => [key, walk(inner)]),
			);
		return node;
	};
	return walk(value);
}

type TaskData = {
	data?: { main?: Array<Array<{ json: Json; pairedItem?: Json }> | null> };
	hints?: Array<{ message: string }>;
	error?: { message?: string };
};

/** Each node's outputs (items with their pairing), hints and error, from an `n8n execute` run. */
function nodesOf(run: {
	data: { resultData: { runData: Record<string, TaskData[]>; error?: { message?: string } } };
}) {
	const nodes: Record<string, Json> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData).sort(([a], [b]) =>
		a.localeCompare(b),
	)) {
		nodes[name] = tasks.map((task) => ({
			outputs: (task.data?.main ?? []).map((items) =>
				(items ?? []).map((item) => ({ json: item.json, pairedItem: item.pairedItem ?? null })),
			),
			hints: (task.hints ?? []).map((hint) => hint.message),
			error: task.error?.message ?? null,
		}));
	}
	return { nodes, error: run.data.resultData.error?.message ?? null };
}

async function main() {
	const target = process.argv[2];
	if (!target) throw new Error('Usage: tsx scripts/behaviour/snapshot.ts <file.json>');
	const runtime = await ensureN8n('2.41.1');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-snapshot-'));
	const sandbox = await startSandbox();
	const mailbox = createMailbox();
	const n8n = createN8nInstance({ runtime, dataDir, port: 5731, brokerPort: 6731 });
	try {
		const smtpPort = await mailbox.start();
		await n8n.installPackage(packPackage());
		n8n.provideFiles(
			'crego-examples',
			examples.flatMap((example: { inputs: string[] }) => example.inputs),
		);
		await n8n.importCredentials(
			sandboxCredentials({ sandboxUrl: sandbox.url, token: SANDBOX_TOKEN, smtpPort }),
		);
		await n8n.importWorkflows(examples.map((example: { workflow: string }) => example.workflow));
		const record: Record<string, Json> = {};
		for (const example of examples as Array<{ id: string }>) {
			for (const attempt of ['first run', 'run again']) {
				sandbox.reset();
				mailbox.messages.length = 0;
				const result = await n8n.execute(example.id);
				// Requests of different loans may arrive in any order: compared as a sorted list.
				const requests = sandbox.requests
					.map((request) => ({
						method: request.method,
						path: request.path,
						query: (request as { query?: Json }).query ?? null,
						body: (request.body ?? null) as Json,
						status: request.status,
						headers: Object.fromEntries(
							Object.entries(request.headers)
								.filter(([name]) => !VOLATILE_HEADERS.has(name))
								.sort(([a], [b]) => a.localeCompare(b)),
						) as Json,
					}))
					.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
				record[`${example.id}, ${attempt}`] = {
					exitCode: result.code,
					requests,
					...nodesOf(result.run),
					emails: mailbox.messages.map(
						(email: { to: string[]; subject: string; text: string }) => ({
							to: email.to,
							subject: email.subject,
							text: email.text,
						}),
					),
				};
			}
		}
		fs.writeFileSync(target, `${JSON.stringify(stabilise(record as Json), null, 1)}\n`);
		console.log(`behaviour of ${examples.length} examples, each run twice: ${target}`);
	} finally {
		await n8n.stop();
		await sandbox.stop();
		await mailbox.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
