/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The package in a real n8n, on both supported lines. The package is `npm pack`ed and
 * unpacked where n8n keeps community packages; the example workflows run with
 * `n8n execute` against the sandbox and a local SMTP server; then the editor's server
 * is started to check what a user sees: the node and credential listed, and the
 * credential's Test button.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chain, packPackage, rowsByWebhook, workflowFile } from '../helpers/n8nFiles';
import { startOtherHost, type OtherHost } from '../helpers/otherHost';
import {
	ids,
	startSandbox,
	SANDBOX_TOKEN,
	WRONG_TOKEN,
	type RunningSandbox,
} from '../helpers/sandbox';
import { outcomeOf } from '../helpers/outcome';
import {
	APPROVAL_WEBHOOK_PATH,
	APPROVAL_WORKFLOW_ID,
	approvalLinks,
	approvalWorkflow,
	openAsPerson,
	openAsScanner,
	waitFor,
	writeApprovalSheet,
	type SheetRow,
} from '../helpers/approvalFlow';

const { ensureN8n } = require('../../scripts/n8n/runtime');
const { createN8nInstance } = require('../../scripts/n8n/instance');
const { createMailbox } = require('../../scripts/n8n/mailbox');
const { examples, sandboxCredentials, OWNER } = require('../../scripts/n8n/examples');

const LINES = (process.env.CREGO_E2E_LINES ?? '2.41.1,1.123.81').split(',');

type Run = {
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{ data: { main: Array<Array<{ json: any; pairedItem?: any }>> } }>
			>;
			error?: unknown;
		};
	};
};

/** The items a node put out on an output (0: success, 1: error output) in an `n8n execute` run. */
function outputOf(run: Run, node: string, output = 0) {
	return run.data.resultData.runData[node]?.[0]?.data?.main?.[output] ?? [];
}

/** Rows compared as a set: writes of different loans or payouts may arrive in any order. */
const inAnyOrder = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).sort();

/** The execution hints a node gave in its first run (n8n shows them above its output). */
function hintsOf(run: Run, node: string): string[] {
	const task = run.data.resultData.runData[node]?.[0] as
		| { hints?: Array<{ message: string }> }
		| undefined;
	return (task?.hints ?? []).map((hint) => hint.message);
}

/**
 * A workflow of hostile answers, one Crego node each, all set to continue on error so
 * the run reports every outcome: a read redirected to another host, a refund answered
 * 307 to another host, a refund whose 201 trickles past the timeout, a refund whose 201
 * is a 600 MiB gzip bomb, and Validate Only given as the text "true" by an expression.
 */
const HOSTILE_WORKFLOW_ID = 'cregoHostileNetwork';
const HOSTILE_NODES: Array<[string, Record<string, unknown>]> = [
	['Read redirected away', { resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID }],
	[
		'Refund redirected away',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DOCS_LOAN_ID,
			amount: 1500,
			refundType: 'cashback_refund',
		},
	],
	[
		'Refund trickled',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DEMO_LOAN_IDS[0],
			amount: 250,
			refundType: 'cashback_refund',
			options: { requestTimeout: 1 },
		},
	],
	[
		'Refund bombed',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DEMO_LOAN_IDS[2],
			amount: 75,
			refundType: 'cashback_refund',
		},
	],
	[
		'Validate only from text',
		{
			resource: 'loan',
			operation: 'initiateRefund',
			loanId: ids.DEMO_LOAN_IDS[1],
			amount: 99,
			refundType: 'cashback_refund',
			options: { validateOnly: '={{ "true" }}' },
		},
	],
];

function hostileWorkflow(): string {
	const nodes = [
		{
			id: 'h0',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...HOSTILE_NODES.map(([name, parameters], i) => ({
			id: `h${i + 1}`,
			name,
			type: 'n8n-nodes-crego.crego',
			typeVersion: 1,
			position: [300 * (i + 1), 0],
			parameters,
			onError: 'continueRegularOutput',
			credentials: { cregoApi: { id: 'crego-sandbox', name: 'Crego sandbox' } },
		})),
	];
	return workflowFile({
		id: HOSTILE_WORKFLOW_ID,
		name: 'Crego: hostile network',
		nodes,
		connections: chain(nodes.map((node) => node.name)),
	});
}

/**
 * Refunds posted to a webhook (answered at once), one at a time: an execution that runs in
 * the editor's server long enough to be stopped through n8n's REST API.
 */
const STOP_WORKFLOW_ID = 'cregoStopMe';
function stopWorkflow(): string {
	const nodes = [
		...rowsByWebhook({
			idPrefix: 'w',
			webhookId: '7d0c5a3e-1b2f-4c6d-9e8f-a1b2c3d4e5f6',
			path: 'crego-stop-me',
			responseMode: 'onReceived',
		}),
		{
			id: 'w3',
			name: 'Refund',
			type: 'n8n-nodes-crego.crego',
			typeVersion: 1,
			position: [500, 0],
			parameters: {
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: '={{ $json.loan_id }}',
				amount: '={{ $json.amount }}',
				refundType: 'cashback_refund',
				options: { concurrency: 1 },
			},
			onError: 'continueRegularOutput',
			credentials: { cregoApi: { id: 'crego-sandbox', name: 'Crego sandbox' } },
		},
	];
	return workflowFile({
		id: STOP_WORKFLOW_ID,
		name: 'Crego: refunds to stop',
		nodes,
		connections: chain(nodes.map((node) => node.name)),
	});
}

/**
 * A sheet of refunds read from `crego-examples/<file>` → Crego: Initiate Refund, with the
 * row's send_again and business timezone mapped; used to run the ledger's scenarios.
 */
function sheetWorkflow(id: string, file: string, onError?: string): string {
	const nodes = [
		{
			id: 's0',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 's1',
			name: 'Read sheet',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [200, 0],
			parameters: { fileSelector: `crego-examples/${file}`, options: {} },
		},
		{
			id: 's2',
			name: 'Extract rows',
			type: 'n8n-nodes-base.extractFromFile',
			typeVersion: 1,
			position: [400, 0],
			parameters: { options: {} },
		},
		{
			id: 's3',
			name: 'Refund',
			type: 'n8n-nodes-crego.crego',
			typeVersion: 1,
			position: [600, 0],
			parameters: {
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: '={{ $json.loan_id }}',
				amount: '={{ $json.amount }}',
				refundType: 'cashback_refund',
				// One at a time: these scenarios stop on a row and look at what was and was not sent after it.
				options: {
					sendAgain: '={{ $json.send_again }}',
					businessTimezone: '={{ $json.zone }}',
					concurrency: 1,
				},
			},
			...(onError ? { onError } : {}),
			credentials: { cregoApi: { id: 'crego-sandbox', name: 'Crego sandbox' } },
		},
	];
	return workflowFile({ id, name: id, nodes, connections: chain(nodes.map((node) => node.name)) });
}

/** Writes a sheet of refunds (loan_id, amount, send_again, zone) where the workflows read it. */
function writeSheet(
	dataDir: string,
	file: string,
	rows: Array<{ loan: string; amount: number; sendAgain?: boolean; zone?: string }>,
) {
	const lines = [
		'loan_id,amount,send_again,zone',
		...rows.map(
			(r) => `${r.loan},${r.amount},${r.sendAgain ? 'yes' : 'no'},${r.zone ?? 'Asia/Kolkata'}`,
		),
	];
	fs.writeFileSync(path.join(dataDir, 'crego-examples', file), `${lines.join('\n')}\n`);
}

/** The example workflows as release 0.1.0 saved them (node version 1), under ids of their own. */
const SAVED_BY_VERSION_1 = ['refunds-from-csv.json', 'record-lookup.json'].map((file) =>
	path.resolve(__dirname, '..', 'fixtures', 'saved-by-version-1', file),
);

/** What version 1's Simplify keeps of an object (the fields marked simple), in Crego's order. */
const { CREGO_OBJECTS, TEN_FIELDS } = require('../../dist/nodes/Crego/model/cregoObjects');
const simpleFieldsOf = (name: string) =>
	Object.keys(CREGO_OBJECTS[name]).filter((field) => CREGO_OBJECTS[name][field].simple);

let tarball: string;
beforeAll(() => {
	tarball = packPackage();
});

describe.each(LINES)('n8n %s', (line) => {
	let sandbox: RunningSandbox;
	let other: OtherHost;
	let mailbox: any;
	let n8n: any;
	let dataDir: string;
	const port = line.startsWith('2.') ? 5711 : 5712;

	beforeAll(async () => {
		const runtime = await ensureN8n(line);
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `crego-n8n-${line}-`));
		sandbox = await startSandbox();
		mailbox = createMailbox();
		const smtpPort = await mailbox.start();
		n8n = createN8nInstance({ runtime, dataDir, port, brokerPort: port + 1000 });
		await n8n.installPackage(tarball);
		n8n.provideFiles(
			'crego-examples',
			examples.flatMap((example: any) => example.inputs),
		);
		await n8n.importCredentials(
			sandboxCredentials({ sandboxUrl: sandbox.url, token: SANDBOX_TOKEN, smtpPort }),
		);
		await n8n.importWorkflows([
			...examples.map((example: any) => example.workflow),
			...SAVED_BY_VERSION_1,
			hostileWorkflow(),
			sheetWorkflow('cregoLedgerRerun', 'ledger-rows.csv', 'continueRegularOutput'),
			sheetWorkflow('cregoLedgerRetry', 'retry-rows.csv'),
			stopWorkflow(),
			approvalWorkflow(),
		]);
		// Active, so its webhook runs in the editor's server (2.x publishes a workflow; 1.x activates it).
		for (const id of [STOP_WORKFLOW_ID, APPROVAL_WORKFLOW_ID])
			await n8n.command(
				line.startsWith('2.')
					? ['publish:workflow', `--id=${id}`]
					: ['update:workflow', `--id=${id}`, '--active=true'],
			);
		other = await startOtherHost();
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.stop();
		await other?.stop();
		await mailbox?.stop();
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	});

	beforeEach(() => {
		sandbox.reset();
		mailbox.messages.length = 0;
	});

	test('the package is installed as n8n holds a community package, from the tarball', () => {
		const installed = path.join(dataDir, '.n8n/nodes/node_modules/n8n-nodes-crego');
		expect(fs.existsSync(path.join(installed, 'dist/nodes/Crego/Crego.node.js'))).toBe(true);
		expect(fs.existsSync(path.join(installed, 'nodes'))).toBe(false);
		expect(fs.existsSync(path.join(installed, 'node_modules'))).toBe(false);
	});

	test('refunds from a spreadsheet: good rows refunded, bad rows reported, one summary email', async () => {
		const result = await n8n.execute('cregoRefundsCsv');
		expect({ code: result.code, parsed: result.run !== undefined }).toEqual({
			code: 0,
			parsed: true,
		});

		// Row 3 ("abc") is refused before anything is sent; the unknown loan is sent and Crego says 404.
		// Refunds of different loans go in parallel: the order they arrive in is free.
		expect(inAnyOrder(sandbox.requests.map((r) => [r.method, r.path, r.body, r.status]))).toEqual(
			inAnyOrder([
				[
					'POST',
					`/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
					{ amount: 1500, type: 'cashback_refund' },
					201,
				],
				[
					'POST',
					`/v1/lms/loans/${ids.DEMO_LOAN_IDS[0]}/refunds/`,
					{ amount: 250.75, type: 'holdback_refund' },
					201,
				],
				[
					'POST',
					'/v1/lms/loans/00000000-0000-4000-8000-000000000000/refunds/',
					{ amount: 100, type: 'cashback_refund' },
					404,
				],
				[
					'POST',
					`/v1/lms/loans/${ids.DEMO_LOAN_IDS[2]}/refunds/`,
					{ amount: 100000.5, type: 'holdback_refund' },
					201,
				],
			]),
		);
		for (const request of sandbox.requests)
			expect(request.headers.authorization).toBe(`Bearer ${SANDBOX_TOKEN}`);

		const sent = outputOf(result.run, 'Initiate refunds', 0);
		const failed = outputOf(result.run, 'Initiate refunds', 1);
		expect(
			sent.map((item) => [item.pairedItem, item.json.type, item.json.amount, item.json.status]),
		).toEqual([
			[{ item: 0 }, 'cashback_refund', 1500, 'pending_approval'],
			[{ item: 1 }, 'holdback_refund', 250.75, 'pending_approval'],
			[{ item: 4 }, 'holdback_refund', 100000.5, 'pending_approval'],
		]);
		expect(failed.map((item) => [item.pairedItem, item.json.error])).toEqual([
			// The example maps its sheet's row (Options → Row Number): rows as the sheet numbers them.
			[{ item: 2 }, 'Row 4: Amount is not a number: "abc"'],
			[{ item: 3 }, 'Row 5: Crego has no loan 00000000-0000-4000-8000-000000000000 (Loan ID)'],
		]);
		// The error item stands on its own: outcome, money, status and the row as sent, routed to the error output.
		expect(failed[1].json.message).toMatchObject({
			outcome: 'rejected',
			moneyMoved: 'no',
			row: 5,
			httpStatus: 404,
			loan_id: '00000000-0000-4000-8000-000000000000',
			amount: 100,
			type: 'cashback_refund',
		});
		expect(failed[0].json.message).toMatchObject({ outcome: 'notSent', moneyMoved: 'no', row: 4 });
		// Success items say which row, loan and Reference they belong to.
		expect(sent.map((item) => item.json.sent)).toEqual([
			{
				row: 2,
				loan_id: ids.DOCS_LOAN_ID,
				amount: 1500,
				type: 'cashback_refund',
				reference: 'CB-2026-0141',
			},
			{
				row: 3,
				loan_id: ids.DEMO_LOAN_IDS[0],
				amount: 250.75,
				type: 'holdback_refund',
				reference: 'HB-2026-0077',
			},
			{
				row: 6,
				loan_id: ids.DEMO_LOAN_IDS[2],
				amount: 100000.5,
				type: 'holdback_refund',
				reference: 'HB-2026-0078',
			},
		]);
		const hints = hintsOf(result.run, 'Initiate refunds');
		expect(hints).toHaveLength(1);
		expect(hints[0]).toMatch(
			/^Crego: 3 done, 1 rejected by Crego, 1 not sent — Crego did nothing for rejected and not-sent rows: fix them and run them again\.$/,
		);

		expect(mailbox.messages).toHaveLength(1);
		const [email] = mailbox.messages;
		expect(email.to).toEqual(['finance-ops@example.com']);
		expect(email.subject).toBe('Crego refunds: 3 initiated, 2 failed');
		expect(email.text).toContain('Refunds initiated: 3, total INR 1,01,751.25');
		expect(email.text).toMatch(
			new RegExp(
				`^- Row 2: loan ${ids.DOCS_LOAN_ID}, reference CB-2026-0141, INR 1,500.00, payout PAY\\w+ \\(pending_approval\\)$`,
				'm',
			),
		);
		expect(email.text).toContain(
			`- Row 6: loan ${ids.DEMO_LOAN_IDS[2]}, reference HB-2026-0078, INR 1,00,000.50, payout PAY`,
		);
		expect(email.text).toContain('Refunds failed: 2');
		expect(email.text).toContain(
			`- Row 4: Amount is not a number: "abc" — loan ${ids.DEMO_LOAN_IDS[1]}, reference CB-2026-0142 (not sent, money moved: no)`,
		);
		expect(email.text).toContain(
			'- Row 5: Crego has no loan 00000000-0000-4000-8000-000000000000 (Loan ID) — loan 00000000-0000-4000-8000-000000000000, reference CB-2026-0143 (rejected by Crego, money moved: no)',
		);
		// One numbering: the email never mixes in n8n's item numbers.
		expect(email.text).not.toMatch(/\bitem\b/i);
		expect(email.text).not.toContain('sent automatically with n8n');
		expect(JSON.stringify(result.run)).not.toContain(SANDBOX_TOKEN);
	});

	test('the refunds example run again: no money moves, and the email lists the rows skipped as already sent', async () => {
		const result = await n8n.execute('cregoRefundsCsv');
		expect(result.code).toBe(0);
		// Only the row Crego rejected (unknown loan, 404) is sent again: it was released, nothing moved.
		expect(sandbox.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['POST', '/v1/lms/loans/00000000-0000-4000-8000-000000000000/refunds/', 404],
		]);
		const skipped = outputOf(result.run, 'Initiate refunds', 0);
		expect(skipped.map((item) => [item.pairedItem, item.json.alreadySent])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
			[{ item: 4 }, true],
		]);
		expect(skipped[0].json.reason).toMatch(
			/^Not sent again: this node sent Reference "CB-2026-0141" before \(a Reference is used once\) in execution \d+ at .* \(same Reference\), and Crego did it\.$/,
		);
		expect(skipped[0].json).toMatchObject({
			sentInExecution: expect.any(String),
			sentAt: expect.any(String),
			ref_id: expect.stringMatching(/^PAY/),
			sent: { row: 2, reference: 'CB-2026-0141' },
		});
		expect(mailbox.messages.map((m: any) => m.subject)).toEqual([
			'Crego refunds: 0 initiated, 3 already sent, 2 failed',
		]);
		expect(mailbox.messages[0].text).toContain(
			'Skipped, already sent by an earlier run (nothing paid twice): 3',
		);
		expect(mailbox.messages[0].text).toMatch(
			/^- Row 2: loan 4541ca25-cf98-4b75-a2c8-db7d5a6b9e69, reference CB-2026-0141: Not sent again: /m,
		);
	});

	test('payouts from a bank file: processed with IST value dates, the blank UTR reported', async () => {
		const result = await n8n.execute('cregoPayoutsXlsx');
		expect(result.code).toBe(0);

		// Payouts of different payouts and UTRs go in parallel: the order they arrive in is free.
		expect(inAnyOrder(sandbox.requests.map((r) => [r.method, r.path, r.body]))).toEqual(
			inAnyOrder([
				[
					'PUT',
					`/v1/lms/payouts/${ids.DOCS_PAYOUT_ID}/mark_processed/`,
					{
						utr: '123123123123123',
						processed_at: 1693161000,
						debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
					},
				],
				[
					'PUT',
					`/v1/lms/payouts/${ids.DEMO_PAYOUT_IDS[0]}/mark_processed/`,
					{
						utr: 'HDFCR52023082912345678',
						processed_at: 1693247400,
						debit_bank_id: ids.DOCS_DEBIT_BANK_ID,
						debit_bank_account_no: '000405060708',
					},
				],
			]),
		);
		expect(outputOf(result.run, 'Mark payouts processed', 0).map((item) => item.json.utr)).toEqual([
			'123123123123123',
			'HDFCR52023082912345678',
		]);
		expect(
			outputOf(result.run, 'Mark payouts processed', 1).map((item) => item.json.error),
		).toEqual(['Row 4: UTR is empty']);

		expect(mailbox.messages.map((m: any) => m.subject)).toEqual([
			'Crego payouts: 2 processed, 1 failed',
		]);
		expect(mailbox.messages[0].text).toContain('Payouts marked processed: 2, total INR 30,000.00');
		expect(mailbox.messages[0].text).toContain(
			`- Row 4: UTR is empty — payout ${ids.DEMO_PAYOUT_IDS[1]} (not sent, money moved: no)`,
		);
		expect(mailbox.messages[0].text).toMatch(
			new RegExp(`^- Row 2: payout ${ids.DOCS_PAYOUT_ID}, UTR 123123123123123, PAY\\w+, INR `, 'm'),
		);
	});

	test('the payouts example run again: no payout is marked twice', async () => {
		const result = await n8n.execute('cregoPayoutsXlsx');
		expect(result.code).toBe(0);
		expect(sandbox.requests).toEqual([]);
		expect(mailbox.messages.map((m: any) => m.subject)).toEqual([
			'Crego payouts: 0 processed, 2 already sent, 1 failed',
		]);
	});

	test('the ledger across executions: a rejected row fixed goes through, an unknown one only with Send Again, the next business day is a new day', async () => {
		const [a, b, c] = ids.DEMO_LOAN_IDS;
		const sentFor = (loan: string) =>
			sandbox.requests.filter((r) => r.path === `/v1/lms/loans/${loan}/refunds/`).length;
		const run = async (rows: Parameters<typeof writeSheet>[2]) => {
			sandbox.reset();
			writeSheet(dataDir, 'ledger-rows.csv', rows);
			const result = await n8n.execute('cregoLedgerRerun');
			expect(result.code).toBe(0);
			return outputOf(result.run, 'Refund').map((item) =>
				item.json.alreadySent ? 'alreadySent' : (outcomeOf(item) ?? 'done'),
			);
		};
		const rows = [
			{ loan: a, amount: 11 },
			{ loan: b, amount: 12 },
		];

		sandbox.injectFault({
			path: `/v1/lms/loans/${a}/refunds/`,
			status: 400,
			body: { amount: ['Refund exceeds the cashback balance.'] },
		});
		writeSheet(dataDir, 'ledger-rows.csv', rows);
		const first = await n8n.execute('cregoLedgerRerun');
		expect(outputOf(first.run, 'Refund').map((item) => outcomeOf(item) ?? 'done')).toEqual([
			'rejected',
			'done',
		]);

		expect(await run(rows)).toEqual(['done', 'alreadySent']);
		expect([sentFor(a), sentFor(b)]).toEqual([1, 0]);

		sandbox.reset();
		sandbox.injectFault({ path: `/v1/lms/loans/${c}/refunds/`, status: 503, body: '' });
		writeSheet(dataDir, 'ledger-rows.csv', [...rows, { loan: c, amount: 13 }]);
		const unknown = await n8n.execute('cregoLedgerRerun');
		expect(
			outputOf(unknown.run, 'Refund').map((item) =>
				item.json.alreadySent ? 'alreadySent' : (outcomeOf(item) ?? 'done'),
			),
		).toEqual(['alreadySent', 'alreadySent', 'unknown']);

		expect(await run([...rows, { loan: c, amount: 13 }])).toEqual([
			'alreadySent',
			'alreadySent',
			'unknown',
		]);
		expect(sentFor(c)).toBe(0);
		expect(await run([...rows, { loan: c, amount: 13, sendAgain: true }])).toEqual([
			'alreadySent',
			'alreadySent',
			'done',
		]);
		expect(sentFor(c)).toBe(1);

		// Business days in UTC+14 and UTC-11 are always two different dates: the same rows there are a new day's refunds.
		const monthly = (zone: string) => [
			{ loan: a, amount: 21, zone },
			{ loan: b, amount: 22, zone },
		];
		expect(await run(monthly('Pacific/Kiritimati'))).toEqual(['done', 'done']);
		expect(await run(monthly('Pacific/Pago_Pago'))).toEqual(['done', 'done']);
		expect(await run(monthly('Pacific/Pago_Pago'))).toEqual(['alreadySent', 'alreadySent']);
	});

	test('record lookup: one spreadsheet row per record, with its payouts', async () => {
		const result = await n8n.execute('cregoRecordLookup');
		expect(result.code).toBe(0);
		const recordIds = [ids.DOCS_RECORD_ID, ...ids.DEMO_RECORD_IDS];
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query, r.rawBody])).toEqual(
			recordIds.map((id: string) => ['GET', `/v1/lms/records/${id}/`, { expand: 'payouts' }, '']),
		);
		const csv = fs
			.readFileSync(path.join(dataDir, 'crego-examples/records-lookup.csv'), 'utf8')
			.trim()
			.split(/\r?\n/);
		expect(csv[0]).toBe('record_id,ref_id,type,status,amount,date_ist,utr,payout_count,payouts');
		expect(csv).toHaveLength(1 + recordIds.length);
		expect(csv[1]).toBe(
			`${ids.DOCS_RECORD_ID},REC01741,repayment,processed,13442,2022-09-05 23:58,test utr 1,1,${ids.DOCS_PAYOUT_ID}`,
		);
		expect(csv[3]).toContain(`,2,"${ids.DEMO_PAYOUT_IDS.join(', ')}"`);
	});

	test('workflows saved with node version 1 open and run as before: the same requests, items with version 1 fields; the examples (version 2) put out the ten', async () => {
		const requestsOf = () =>
			inAnyOrder(sandbox.requests.map((r) => [r.method, r.path, r.query, r.body, r.status]));
		const v2Lookup = await n8n.execute('cregoRecordLookup');
		expect(v2Lookup.code).toBe(0);
		const v2Requests = requestsOf();
		const v2Csv = fs.readFileSync(path.join(dataDir, 'crego-examples/records-lookup.csv'), 'utf8');
		sandbox.reset();
		const v1Lookup = await n8n.execute('cregoV1RecordLookup');
		expect(v1Lookup.code).toBe(0);
		expect(requestsOf()).toEqual(v2Requests);
		expect(fs.readFileSync(path.join(dataDir, 'crego-examples/records-lookup.csv'), 'utf8')).toBe(
			v2Csv,
		);
		const v1Items = outputOf(v1Lookup.run, 'Get records');
		const v2Items = outputOf(v2Lookup.run, 'Get records');
		expect(v1Items).toHaveLength(1 + ids.DEMO_RECORD_IDS.length);
		for (const item of v1Items) expect(Object.keys(item.json)).toEqual(simpleFieldsOf('record'));
		for (const item of v2Items) expect(Object.keys(item.json)).toEqual(TEN_FIELDS.record);

		sandbox.reset();
		const v1Refunds = await n8n.execute('cregoV1RefundsCsv');
		expect(v1Refunds.code).toBe(0);
		expect(sandbox.requests.map((r) => r.path).sort()).toEqual(
			[
				ids.DOCS_LOAN_ID,
				ids.DEMO_LOAN_IDS[0],
				'00000000-0000-4000-8000-000000000000',
				ids.DEMO_LOAN_IDS[2],
			]
				.map((loan) => `/v1/lms/loans/${loan}/refunds/`)
				.sort(),
		);
		const refunded = outputOf(v1Refunds.run, 'Initiate refunds');
		expect(refunded).toHaveLength(3);
		for (const item of refunded) {
			const { sent, ...crego } = item.json;
			expect(Object.keys(crego)).toEqual(simpleFieldsOf('payout'));
			expect(sent).toMatchObject({ row: expect.any(Number) });
		}
		expect(mailbox.messages.map((message: any) => message.subject)).toEqual([
			'Crego refunds: 3 initiated, 2 failed',
		]);
	});

	test('a hostile network: no redirect carries the token away, every outcome is told, Request Timeout bounds the whole answer', async () => {
		const refundPath = (loan: string) => `/v1/lms/loans/${loan}/refunds/`;
		sandbox.injectFault({
			path: `/v1/lms/records/${ids.DOCS_RECORD_ID}/`,
			status: 302,
			location: `${other.url}/steal`,
		});
		sandbox.injectFault({
			path: refundPath(ids.DOCS_LOAN_ID),
			status: 307,
			location: `${other.url}/steal`,
		});
		sandbox.injectFault({ path: refundPath(ids.DEMO_LOAN_IDS[0]), trickleMs: 400, process: true });
		sandbox.injectFault({ path: refundPath(ids.DEMO_LOAN_IDS[2]), bombMiB: 600, process: true });
		const result = await n8n.execute(HOSTILE_WORKFLOW_ID);
		expect(result.code).toBe(0);
		expect(other.requests).toEqual([]);

		const [read] = outputOf(result.run, 'Read redirected away');
		expect(read.json.error).toMatch(
			/^Item \d+: Crego redirected the request \(HTTP 302\) to another host, 127\.0\.0\.2:\d+: not followed/,
		);
		const [redirected] = outputOf(result.run, 'Refund redirected away');
		expect(redirected.json).toMatchObject({ message: { outcome: 'unknown' } });
		// Its 201 came before the body trickled past the timeout: done, the body not read.
		const [trickled] = outputOf(result.run, 'Refund trickled');
		expect(trickled.json).toMatchObject({
			statusCode: 201,
			responseNotRead:
				'Crego answered HTTP 201, but its body did not arrive within the Request Timeout.',
		});
		const trickledRequest = sandbox.requests.find(
			(r) => r.path === refundPath(ids.DEMO_LOAN_IDS[0]),
		);
		expect(trickledRequest?.completed).toBeUndefined();
		expect(trickledRequest?.bytesSent).toBeLessThan(10);
		// 617 KB on the wire, 600 MiB expanded: done, read up to 4 MiB and no further.
		const [bombed] = outputOf(result.run, 'Refund bombed');
		expect(bombed.json).toMatchObject({
			statusCode: 201,
			responseNotRead:
				'Crego answered HTTP 201 with more than 4 MiB (counted after decompression): the node read no further.',
		});
		const [preview] = outputOf(result.run, 'Validate only from text');
		expect(preview.json).toMatchObject({
			validateOnly: true,
			method: 'POST',
			path: refundPath(ids.DEMO_LOAN_IDS[1]),
		});

		expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual([
			['GET', `/v1/lms/records/${ids.DOCS_RECORD_ID}/`],
			['POST', refundPath(ids.DOCS_LOAN_ID)],
			['POST', refundPath(ids.DEMO_LOAN_IDS[0])],
			['POST', refundPath(ids.DEMO_LOAN_IDS[2])],
		]);
		expect(JSON.stringify(result.run)).not.toContain(SANDBOX_TOKEN);
	});

	describe('in the running editor', () => {
		let cookie: string;
		beforeAll(async () => {
			await n8n.start();
			await n8n.setupOwner(OWNER);
			cookie = await n8n.login(OWNER);
		});

		test('the node and the credential are listed', async () => {
			const get = (file: string) =>
				fetch(`${n8n.baseUrl}/types/${file}`, { headers: { Cookie: cookie } }).then(
					(r) => r.json() as Promise<any[]>,
				);
			const nodes = await get('nodes.json');
			const crego = nodes.find((node: any) => node.name === 'n8n-nodes-crego.crego');
			expect(crego).toMatchObject({ displayName: 'Crego', usableAsTool: true });
			expect(nodes.some((node: any) => node.name === 'n8n-nodes-crego.cregoTool')).toBe(true);
			const credentials = await get('credentials.json');
			expect(credentials.find((credential: any) => credential.name === 'cregoApi')).toMatchObject({
				displayName: 'Crego API',
			});
		});

		test("a run stopped by a 500 on row 3 of 5, retried through n8n's REST API: every row reaches Crego once, and the retry fails naming row 3 (never Succeeded)", async () => {
			const loans = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS, ids.DOCS_TRANCHE_LOAN_ID];
			const sends = () =>
				loans.map(
					(loan) =>
						sandbox.requests.filter((r) => r.path === `/v1/lms/loans/${loan}/refunds/`).length,
				);
			await n8n.stop();
			writeSheet(
				dataDir,
				'retry-rows.csv',
				loans.map((loan, i) => ({ loan, amount: 31 + i })),
			);
			sandbox.injectFault({
				path: `/v1/lms/loans/${loans[2]}/refunds/`,
				status: 500,
				body: { detail: 'Server error.' },
			});
			const failed = await n8n.execute('cregoLedgerRetry');
			expect(failed.code).toBe(1);
			expect(sends()).toEqual([1, 1, 1, 0, 0]);

			await n8n.start();
			cookie = await n8n.login(OWNER);
			const executions = async () => {
				const filter = encodeURIComponent(JSON.stringify({ workflowId: 'cregoLedgerRetry' }));
				const list = await n8n.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie);
				return list.body.data.results as Array<{ id: string; status: string; retryOf?: string }>;
			};
			const failedId = (await executions()).find((execution) => execution.status === 'error')!.id;
			const retry = await n8n.rest(
				'POST',
				`/rest/executions/${failedId}/retry`,
				{ loadWorkflow: false },
				cookie,
			);
			expect(retry.ok).toBe(true);
			expect(sends()).toEqual([1, 1, 1, 1, 1]);

			const retried = (await executions()).find(
				(execution) => String(execution.retryOf) === String(failedId),
			)!;
			expect(retried.status).toBe('error');
			const detail = await n8n.rest('GET', `/rest/executions/${retried.id}`, undefined, cookie);
			const { parse } = require(path.join(n8n.runtimeDir, 'node_modules/flatted'));
			const refund = parse(detail.body.data.data).resultData.runData.Refund[0];
			// No item leaves on the success output; the error names the unknown row and what became of every other.
			expect(refund.data?.main?.[0] ?? []).toEqual([]);
			expect(refund.error.message).toMatch(
				/^Item 2: Not sent again: its outcome is unknown .*\[already done: item 0 \(\w+\), item 1 \(\w+\), item 3 \(\w+\), item 4 \(\w+\); outcome unknown: item 2\]$/,
			);
			expect(refund.error.context.itemOutcomes).toEqual([
				'done',
				'done',
				'unknown',
				'done',
				'done',
			]);
		});

		test('the editor gets every schema preview the package ships, for both node versions, as the build wrote it', async () => {
			for (const version of ['1.0.0', '2.0.0']) {
				const folder = path.resolve(
					__dirname,
					'..',
					'..',
					'dist',
					'nodes',
					'Crego',
					'__schema__',
					`v${version}`,
				);
				const shipped = fs
					.readdirSync(folder, { recursive: true })
					.map(String)
					.filter((file) => file.endsWith('.json'));
				expect(shipped).toHaveLength(7);
				for (const file of shipped) {
					// The address n8n's editor asks (its node type, the version padded to x.y.z, resource, operation).
					const served = await n8n.rest('GET', `/schemas/n8n-nodes-crego.crego/${version}/${file}`);
					expect(served.status).toBe(200);
					expect(served.body).toEqual(JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')));
				}
			}
		});

		test("the credential's Test button: OK for the sandbox token, an error for a wrong one, the https rule for plain http to another machine", async () => {
			const test = (accessToken: string, baseUrl = sandbox.url) =>
				n8n.rest(
					'POST',
					'/rest/credentials/test',
					{
						credentials: {
							id: 'crego-sandbox',
							name: 'Crego sandbox',
							type: 'cregoApi',
							data: { baseUrl, accessToken },
						},
					},
					cookie,
				);
			// The sandbox's own address written as no loopback name: it would reach the sandbox if the token were sent.
			const plain = await test(
				SANDBOX_TOKEN,
				`http://[::ffff:7f00:1]:${new URL(sandbox.url).port}`,
			);
			expect(plain.body.data).toMatchObject({
				status: 'Error',
				message: expect.stringContaining(
					'The Base URL uses plain http: the token would travel unencrypted',
				),
			});
			expect(sandbox.requests).toEqual([]);
			const good = await test(SANDBOX_TOKEN);
			expect(good.body.data).toMatchObject({ status: 'OK' });
			const bad = await test(WRONG_TOKEN);
			// n8n 2.x shows the credential's own 401 message; 1.x answers a 401 with its generic one.
			expect(bad.body.data).toEqual({
				status: 'Error',
				message: line.startsWith('2.')
					? 'Crego refused the access token: it is wrong or has expired (Crego tokens are valid for 24 hours). Paste a fresh token.'
					: 'Authorization failed - please check your credentials',
			});
			expect(JSON.stringify(bad.body)).not.toContain(WRONG_TOKEN);
			expect(sandbox.requests.map((r) => [r.method, r.path])).toEqual(
				expect.arrayContaining([['GET', '/v1/lms/settlements/']]),
			);
		});

		test("the credential's Test button never follows a redirect: a 302 or 307 to another host fails the test and sends the token nowhere", async () => {
			for (const status of [302, 307]) {
				sandbox.reset();
				sandbox.injectFault({
					path: '/v1/lms/settlements/',
					status,
					location: `${other.url}/v1/lms/settlements/`,
				});
				const tested = await n8n.rest(
					'POST',
					'/rest/credentials/test',
					{
						credentials: {
							id: 'crego-sandbox',
							name: 'Crego sandbox',
							type: 'cregoApi',
							data: { baseUrl: sandbox.url, accessToken: SANDBOX_TOKEN },
						},
					},
					cookie,
				);
				process.stderr.write(
					`n8n ${line}, Test button on a ${status}: ${JSON.stringify(tested.body.data)}\n`,
				);
				expect(tested.body.data.status).toBe('Error');
				if (line.startsWith('2.'))
					expect(tested.body.data.message).toContain(
						`The Base URL answered with a redirect (HTTP ${status})`,
					);
				expect(sandbox.requests).toHaveLength(1);
				expect(other.requests).toEqual([]);
			}
		});

		describe('maker–checker: the approval example, resumed from the links in the email', () => {
			/** Sheet rows 2-5: three to send (₹1,01,751.25), row 4 refused (not a number). References of the test's own. */
			const sheet = (tag: string): SheetRow[] => [
				{ loan: ids.DOCS_LOAN_ID, amount: 1500, type: 'cashback_refund', reference: `${tag}-1` },
				{
					loan: ids.DEMO_LOAN_IDS[0],
					amount: 250.75,
					type: 'holdback_refund',
					reference: `${tag}-2`,
				},
				{
					loan: ids.DEMO_LOAN_IDS[1],
					amount: 'abc',
					type: 'cashback_refund',
					reference: `${tag}-3`,
				},
				{
					loan: ids.DEMO_LOAN_IDS[2],
					amount: 100000.5,
					type: 'holdback_refund',
					reference: `${tag}-4`,
				},
			];
			const folder = () => path.join(dataDir, 'crego-examples');
			const refunds = () => sandbox.requests.filter((r) => r.method === 'POST');
			const start = async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/${APPROVAL_WEBHOOK_PATH}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: '{}',
				});
				expect(response.ok).toBe(true);
			};
			const emails = (subject: RegExp) =>
				mailbox.messages.filter((message: any) => subject.test(message.subject));
			const approvalEmail = (count = 1) =>
				waitFor('the approval email', () => emails(/^Approve Crego refunds/)[count - 1]);
			const executions = async () => {
				const filter = encodeURIComponent(JSON.stringify({ workflowId: APPROVAL_WORKFLOW_ID }));
				return (await n8n.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie)).body
					.data.results as Array<{ id: string; status: string }>;
			};
			/** The approval executions this test started (an earlier test's may still be waiting). */
			let earlier = new Set<string>();
			beforeEach(async () => {
				earlier = new Set((await executions()).map((execution) => execution.id));
			});
			const statuses = async () =>
				(await executions())
					.filter((execution) => !earlier.has(execution.id))
					.map((execution) => execution.status);
			const settled = () =>
				waitFor('every approval execution to end', async () =>
					(await statuses()).every((status) => !['new', 'running', 'waiting'].includes(status)),
				);

			test('declined: nothing is sent, and the maker is told so', async () => {
				writeApprovalSheet(folder(), sheet('AD'));
				await start();
				const { decline } = approvalLinks(await approvalEmail());
				// The email goes out a moment before n8n marks the execution waiting.
				await waitFor('the execution to wait', async () => (await statuses()).includes('waiting'));
				expect(await openAsPerson(decline)).toBe(200);
				const told = await waitFor(
					'the email that nothing was sent',
					() => emails(/^Crego refunds not approved: nothing was sent$/)[0],
				);
				expect(told.text).toMatch(/^The checker declined: no refund of this batch was sent\./);
				await settled();
				expect(refunds()).toEqual([]);
			});

			test("approved: a mail scanner approves nothing; the checker's click sends every row once; the link again, or the same sheet approved again, sends nothing more", async () => {
				writeApprovalSheet(folder(), sheet('AA'));
				await start();
				const email = await approvalEmail();
				expect(email.subject).toBe('Approve Crego refunds: 3 to send, INR 1,01,751.25');
				expect(email.text).toContain('Loan → Initiate Refund: 4 rows, 3 to send, 1 refused.');
				expect(email.text).toContain('Row 4: Amount is not a number: "abc"');
				const { approve } = approvalLinks(email);
				await openAsScanner(approve);
				await new Promise((resolve) => setTimeout(resolve, 2_000));
				// The email goes out a moment before n8n marks the execution waiting.
				await waitFor('the execution to wait', async () => (await statuses()).includes('waiting'));
				expect(refunds()).toEqual([]);

				expect(await openAsPerson(approve)).toBe(200);
				const result = await waitFor('the result email', () => emails(/^Crego refunds: /)[0]);
				expect(result.subject).toBe('Crego refunds: 3 initiated, 1 failed');
				await settled();
				const sent = () => inAnyOrder(refunds().map((r) => [r.path, r.body.amount]));
				const once = inAnyOrder([
					[`/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`, 1500],
					[`/v1/lms/loans/${ids.DEMO_LOAN_IDS[0]}/refunds/`, 250.75],
					[`/v1/lms/loans/${ids.DEMO_LOAN_IDS[2]}/refunds/`, 100000.5],
				]);
				expect(sent()).toEqual(once);

				// The link opened again: the execution is over, nothing more happens.
				await openAsPerson(approve);
				await new Promise((resolve) => setTimeout(resolve, 2_000));
				expect(sent()).toEqual(once);
				expect(emails(/^Crego refunds: /)).toHaveLength(1);

				// The same sheet validated and approved again is the same batch: refused as sent before.
				await start();
				expect(await openAsPerson(approvalLinks(await approvalEmail(2)).approve)).toBe(200);
				const second = await waitFor(
					'the second result email',
					() => emails(/^Crego refunds: /)[1],
				);
				await settled();
				expect(sent()).toEqual(once);
				expect(second.text).toContain('Nothing sent: this approved batch was sent before');
			});

			test('the sheet edited while the checker decides: nothing is sent, and the result email names the row that changed', async () => {
				const rows = sheet('AE');
				writeApprovalSheet(folder(), rows);
				await start();
				const { approve } = approvalLinks(await approvalEmail());
				writeApprovalSheet(
					folder(),
					rows.map((row, i) => (i === 1 ? { ...row, amount: 260.75 } : row)),
				);
				expect(await openAsPerson(approve)).toBe(200);
				const result = await waitFor('the result email', () => emails(/^Crego refunds: /)[0]);
				await settled();
				expect(refunds()).toEqual([]);
				expect(result.subject).toBe('Crego refunds: 0 initiated, 4 failed');
				expect(result.text).toContain(
					'Nothing sent: the rows are not the batch that was approved (Row 3: amount 250.75 → 260.75)',
				);
			});
		});

		test("Stop from n8n's REST API mid-run: no row starts after it, and the next run sends exactly the rows that never left", async () => {
			const rows = Array.from({ length: 6 }, (_, i) => ({
				loan_id: ids.DOCS_LOAN_ID,
				amount: 61 + i,
			}));
			const refunds = () => sandbox.requests.filter((r) => r.method === 'POST');
			const post = () =>
				fetch(`${n8n.baseUrl}/webhook/crego-stop-me`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ rows }),
				});
			const executions = async () => {
				const filter = encodeURIComponent(JSON.stringify({ workflowId: STOP_WORKFLOW_ID }));
				return (await n8n.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie)).body
					.data.results as Array<{ id: string; status: string }>;
			};
			const until = async (done: () => boolean | Promise<boolean>, what: string) => {
				for (let waited = 0; !(await done()); waited += 50) {
					if (waited > 60_000) throw new Error(`timed out waiting for ${what}`);
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
			};
			// Each refund takes 1.5 s: Stop lands with row 2 in flight.
			sandbox.injectFault({
				path: `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`,
				times: 0,
				delayMs: 1500,
				process: true,
			});
			expect((await post()).ok).toBe(true);
			await until(() => refunds().length === 2, 'row 2 to be sent');
			const running = (await executions()).find(
				(execution) => execution.status === 'running' || execution.status === 'new',
			);
			expect(running).toBeDefined();
			const stopped = await n8n.rest('POST', `/rest/executions/${running!.id}/stop`, {}, cookie);
			expect(stopped.ok).toBe(true);
			// The row in flight comes back (1.5 s at most), then nothing more is sent.
			await new Promise((resolve) => setTimeout(resolve, 4_000));
			expect(refunds().map((r) => r.body.amount)).toEqual([61, 62]);
			const status = (await executions()).find((execution) => execution.id === running!.id)?.status;
			process.stderr.write(
				`n8n ${line}, stopped execution ${running!.id}: ${status}; refunds sent before Stop: ${refunds().length}\n`,
			);
			expect(status).toMatch(/canceled|crashed|error/);

			// The next run: row 1 done before (skipped), row 2 in flight at Stop (held as unknown), rows 3–6 never left (sent now).
			sandbox.clearFaults();
			const before = (await executions()).length;
			expect((await post()).ok).toBe(true);
			await until(
				async () =>
					(await executions()).length > before &&
					(await executions()).every(
						(execution) => execution.status !== 'running' && execution.status !== 'new',
					),
				'the next run to finish',
			);
			expect(refunds().map((r) => r.body.amount)).toEqual([61, 62, 63, 64, 65, 66]);
			const next = (await executions()).find((execution) => execution.id !== running!.id)!;
			const detail = await n8n.rest('GET', `/rest/executions/${next.id}`, undefined, cookie);
			const { parse } = require(path.join(n8n.runtimeDir, 'node_modules/flatted'));
			const out = parse(detail.body.data.data).resultData.runData.Refund[0].data.main[0] as Array<{
				json: any;
			}>;
			expect(out[0].json).toMatchObject({ alreadySent: true });
			expect(out[1].json).toMatchObject({ message: { outcome: 'unknown' } });
			expect(out.slice(2).map((item) => item.json.error)).toEqual([
				undefined,
				undefined,
				undefined,
				undefined,
			]);
		});
	});
});
