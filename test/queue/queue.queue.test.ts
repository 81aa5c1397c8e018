/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The package on n8n's queue mode, as the README's "Running in queue mode" says to run
 * it: PostgreSQL and Redis (Debian's packages), n8n 2.41.1 main with EXECUTIONS_MODE=queue
 * and two workers, each process with the packed package in its own
 * ~/.n8n/nodes/node_modules. Production traffic: an active workflow with a Webhook trigger
 * runs the refunds example's Crego step. The witnesses: the sandbox's request log, the
 * workers' own logs ("Worker started execution <id>") and the executions n8n stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chain, packPackage, rowsByWebhook, workflowFile } from '../helpers/n8nFiles';
import { ids, startSandbox, SANDBOX_TOKEN, type RunningSandbox } from '../helpers/sandbox';
import {
	APPROVAL_WEBHOOK_PATH,
	APPROVAL_WORKFLOW_ID,
	approvalLinks,
	approvalWorkflow,
	openAsPerson,
	waitFor,
	writeApprovalSheet,
} from '../helpers/approvalFlow';

const { ensureN8n } = require('../../scripts/n8n/runtime');
const { createN8nInstance } = require('../../scripts/n8n/instance');
const { OWNER, sandboxCredentials } = require('../../scripts/n8n/examples');
const { createMailbox } = require('../../scripts/n8n/mailbox');
const services = require('../../scripts/n8n/services');

const WORKFLOW_ID = 'cregoQueueRefunds';
const WEBHOOK_PATH = 'crego-refunds';
const LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS, ids.DOCS_TRANCHE_LOAN_ID];
const started = Date.now();

/** Webhook (POST {rows: [...]}) → one item per row → Crego: Initiate Refund → answers with every item. */
function webhookWorkflow(): string {
	const nodes = [
		...rowsByWebhook({
			idPrefix: 'q',
			webhookId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
			path: WEBHOOK_PATH,
			responseMode: 'lastNode',
		}),
		{
			id: 'q3',
			name: 'Initiate refunds',
			type: 'n8n-nodes-crego.crego',
			typeVersion: 1,
			position: [500, 0],
			parameters: {
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: '={{ $json.loan_id }}',
				amount: '={{ $json.amount }}',
				refundType: '={{ $json.refund_type }}',
				options: { reference: '={{ $json.reference }}' },
			},
			onError: 'continueRegularOutput',
			credentials: { cregoApi: { id: 'crego-sandbox', name: 'Crego sandbox' } },
		},
	];
	return workflowFile({
		id: WORKFLOW_ID,
		name: 'Crego: refunds by webhook',
		nodes,
		connections: chain(nodes.map((node) => node.name)),
	});
}

let sandbox: RunningSandbox;
let postgres: any;
let redis: any;
let main: any;
const workers: Array<{ instance: any; log: string }> = [];
const dataDirs: string[] = [];
let cookie: string;
let mailbox: any;

beforeAll(async () => {
	services.ensureDebianPackages();
	const runtime = await ensureN8n('2.41.1');
	sandbox = await startSandbox();
	postgres = await services.startPostgres();
	redis = await services.startRedis();
	const tarball = packPackage();
	mailbox = createMailbox();
	const smtpPort = await mailbox.start();
	const env: Record<string, string> = {
		...postgres.env,
		...redis.env,
		EXECUTIONS_MODE: 'queue',
		N8N_LOG_LEVEL: 'info',
	};
	const instance = async (name: string) => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `crego-queue-${name}-`));
		dataDirs.push(dataDir);
		const n8n = createN8nInstance({
			runtime,
			dataDir,
			port: await services.freePort(),
			brokerPort: await services.freePort(),
			env,
		});
		// The package on every process, as an operator installs it: ~/.n8n/nodes/node_modules/n8n-nodes-crego.
		await n8n.installPackage(tarball);
		return n8n;
	};

	main = await instance('main');
	// Links in approval emails must reach main (README: Maker–checker); a worker builds them.
	env.WEBHOOK_URL = `${main.baseUrl}/`;
	await main.importCredentials(
		sandboxCredentials({ sandboxUrl: sandbox.url, token: SANDBOX_TOKEN, smtpPort }),
	);
	await main.importWorkflows([webhookWorkflow(), approvalWorkflow()]);
	await main.command(['publish:workflow', `--id=${WORKFLOW_ID}`]);
	await main.command(['publish:workflow', `--id=${APPROVAL_WORKFLOW_ID}`]);
	await main.start();
	await main.setupOwner(OWNER);
	cookie = await main.login(OWNER);
	for (const name of ['worker-1', 'worker-2']) {
		const worker = { instance: await instance(name), log: '' };
		await worker.instance.startWorker({
			concurrency: 1,
			onOutput: (text: string) => (worker.log += text),
		});
		workers.push(worker);
	}
	process.stderr.write(
		`queue mode up in ${Math.round((Date.now() - started) / 1000)} s: main pid ${main.pid}, workers ${workers.map((w) => w.instance.pid).join(', ')}, PostgreSQL ${postgres.pid}, Redis ${redis.pid}\n`,
	);
});

afterAll(async () => {
	const pids = [main?.pid, ...workers.map((w) => w.instance.pid), postgres?.pid, redis?.pid].filter(
		Boolean,
	);
	for (const worker of workers) await worker.instance.stop();
	await main?.stop();
	await redis?.stop();
	await postgres?.stop();
	await sandbox?.stop();
	await mailbox?.stop();
	for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
	const left = pids.filter((pid) => services.alive(pid));
	process.stderr.write(
		`queue-mode suite: ${Math.round((Date.now() - started) / 1000)} s wall time; processes left running: ${left.length}\n`,
	);
	expect(left).toEqual([]);
});

/** POST a sheet to the webhook: the items the Crego node put out. */
async function postSheet(rows: Array<Record<string, unknown>>) {
	const response = await fetch(`${main.baseUrl}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ rows }),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Array<Record<string, unknown>>;
}

const sheet = (prefix: string, count: number) =>
	Array.from({ length: count }, (_, i) => ({
		loan_id: LOANS[i % LOANS.length],
		amount: 10 + i,
		refund_type: 'cashback_refund',
		reference: `${prefix}-${i}`,
	}));

/** Which worker ran each of the workflow's executions, from the workers' own logs. */
async function executionsByWorker() {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
	const list = await main.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie);
	const executions = list.body.data.results as Array<{ id: string; status: string; mode: string }>;
	return executions.map((execution) => ({
		...execution,
		workers: workers.flatMap((worker, index) =>
			worker.log.includes(`Worker started execution ${execution.id} `) ? [index + 1] : [],
		),
	}));
}

test('a webhook run of refunds executes on a worker, with outputs in order and paired', async () => {
	const rows = sheet('Q1', 4);
	const output = await postSheet(rows);
	expect(output.map((item) => [item.type, item.amount, item.status])).toEqual(
		rows.map((row) => ['cashback_refund', row.amount, 'pending_approval']),
	);
	expect(sandbox.requests.map((r) => [r.method, r.path, r.body.amount])).toEqual(
		rows.map((row) => ['POST', `/v1/lms/loans/${row.loan_id}/refunds/`, row.amount]),
	);
	const [execution] = await executionsByWorker();
	expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
	expect(execution.workers).toHaveLength(1);
});

test('the same sheet posted again, later: no money moves, every row says it was sent', async () => {
	sandbox.reset();
	const output = await postSheet(sheet('Q1', 4));
	expect(output.every((item) => item.alreadySent === true)).toBe(true);
	expect(sandbox.requests).toEqual([]);
	// In n8n's own table: the workflow's list holds the four References with their done markers and the ledger's layout, no hold left (every row settled); the node's list the business day's keys.
	const table = postgres.sql(
		"SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%processed_data'",
	);
	const lists = postgres.sql(
		`SELECT CASE WHEN context = '' THEN 'workflow' ELSE 'node' END || '=' || json_array_length((value::json)->'data') FROM "${table}" WHERE "workflowId" = '${WORKFLOW_ID}' ORDER BY context`,
	);
	expect(lists.split('\n')).toEqual(['workflow=9', expect.stringMatching(/^node=\d+$/)]);
});

test('the same sheet posted twice at once, landing on two workers: each row moves money once', async () => {
	const trials = 20;
	const doubles: number[] = [];
	for (let trial = 0; trial < trials; trial++) {
		sandbox.reset();
		const rows = sheet(`Q2-${trial}`, 3);
		const [a, b] = await Promise.all([postSheet(rows), postSheet(rows)]);
		const perRow = rows.map(
			(row) =>
				sandbox.requests.filter(
					(r) => r.path === `/v1/lms/loans/${row.loan_id}/refunds/` && r.body.amount === row.amount,
				).length,
		);
		doubles.push(perRow.filter((count) => count > 1).length);
		expect([...a, ...b].filter((item) => item.status === 'pending_approval')).toHaveLength(
			perRow.reduce((sum, count) => sum + count, 0),
		);
	}
	const executions = await executionsByWorker();
	const onBoth = new Set(executions.flatMap((execution) => execution.workers));
	process.stderr.write(
		`concurrent duplicates across workers: ${doubles.reduce((s, d) => s + d, 0)} rows sent twice in ${trials} trials of 3 rows; workers used: ${[...onBoth].join(', ')}\n`,
	);
	expect(onBoth).toEqual(new Set([1, 2]));
	expect(executions.every((execution) => execution.workers.length === 1)).toBe(true);
	expect(doubles).toEqual(Array(trials).fill(0));
});

test('maker–checker in queue mode: the execution waits, the link in the email resumes it on a worker, the batch is sent once; the link again sends nothing', async () => {
	const trials = 4;
	const resumedElsewhere: boolean[] = [];
	const executions = async () => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: APPROVAL_WORKFLOW_ID }));
		const list = await main.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie);
		return list.body.data.results as Array<{ id: string; status: string }>;
	};
	for (let trial = 0; trial < trials; trial++) {
		sandbox.reset();
		mailbox.messages.length = 0;
		const rows = [0, 1, 2].map((i) => ({
			loan: LOANS[i],
			amount: 20 + trial * 10 + i,
			type: 'cashback_refund',
			reference: `QA-${trial}-${i}`,
		}));
		// Every process reads the sheet from its own data folder (the Read node runs on a worker).
		for (const dir of dataDirs) {
			fs.mkdirSync(path.join(dir, 'crego-examples'), { recursive: true });
			writeApprovalSheet(path.join(dir, 'crego-examples'), rows);
		}
		const response = await fetch(`${main.baseUrl}/webhook/${APPROVAL_WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(response.ok).toBe(true);
		const email = await waitFor('the approval email', () =>
			mailbox.messages.find((message: any) => /^Approve Crego refunds/.test(message.subject)),
		);
		const { approve } = approvalLinks(email);
		expect(new URL(approve).origin).toBe(main.baseUrl);
		const waiting = await waitFor('the execution to wait', async () =>
			(await executions()).find((execution) => execution.status === 'waiting'),
		);
		expect(sandbox.requests).toEqual([]);
		expect(await openAsPerson(approve)).toBe(200);
		await waitFor('the result email', () =>
			mailbox.messages.find((message: any) => /^Crego refunds: /.test(message.subject)),
		);
		await waitFor('the execution to end', async () =>
			(await executions()).every(
				(execution) => !['new', 'running', 'waiting'].includes(execution.status),
			),
		);
		expect(sandbox.requests.map((r) => r.body.amount).sort()).toEqual(
			rows.map((row) => row.amount).sort(),
		);
		await openAsPerson(approve);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(sandbox.requests).toHaveLength(3);
		// Which worker ran the first half and which the resumed one, from the workers' own logs.
		const ran = workers.flatMap((worker, index) =>
			[...worker.log.matchAll(new RegExp(`Worker started execution ${waiting.id} `, 'g'))].map(
				() => index + 1,
			),
		);
		expect(ran.length).toBeGreaterThanOrEqual(2);
		resumedElsewhere.push(new Set(ran).size > 1);
	}
	process.stderr.write(
		`maker–checker in queue mode: ${trials} approvals, each batch sent once; resumed on the other worker in ${resumedElsewhere.filter(Boolean).length} of ${trials}\n`,
	);
});

test("a slow database (every write to n8n's processed-data table takes 1 s in PostgreSQL), the same sheet posted twice 0 to 2 s apart: no row moves money twice", async () => {
	const table = postgres.sql(
		"SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%processed_data'",
	);
	expect(table).toMatch(/processed_data$/);
	postgres.sql(
		'CREATE OR REPLACE FUNCTION crego_slow_write() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$ LANGUAGE plpgsql; ' +
			`CREATE TRIGGER crego_slow_write BEFORE INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION crego_slow_write();`,
	);
	const offsets = [0, 500, 1000, 1500, 2000];
	const doubles: number[] = [];
	for (const [trial, offsetMs] of offsets.entries()) {
		sandbox.reset();
		const rows = sheet(`Q3-${trial}`, 3);
		const first = postSheet(rows);
		await new Promise((resolve) => setTimeout(resolve, offsetMs));
		const [a, b] = await Promise.all([first, postSheet(rows)]);
		const perRow = rows.map(
			(row) =>
				sandbox.requests.filter(
					(r) =>
						r.didWork &&
						r.body.amount === row.amount &&
						r.path === `/v1/lms/loans/${row.loan_id}/refunds/`,
				).length,
		);
		doubles.push(perRow.filter((count) => count > 1).length);
		// What the two executions say is true: as many "done" items as refunds Crego did.
		expect([...a, ...b].filter((item) => item.status === 'pending_approval')).toHaveLength(
			perRow.reduce((sum, count) => sum + count, 0),
		);
	}
	process.stderr.write(
		`slow database: ${doubles.reduce((s, d) => s + d, 0)} rows sent twice in ${offsets.length} trials of 3 rows (offsets ${offsets.join(', ')} ms)\n`,
	);
	expect(doubles).toEqual(offsets.map(() => 0));
});
