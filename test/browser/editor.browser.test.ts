/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The editor as a no-code user meets it, in a real browser (Debian's Chromium, driven by
 * playwright-core) on a real n8n 2.41.1 with the packed package installed as a community
 * package. It checks, and photographs for README.md (docs/*.png):
 *  - the schema preview: before anything has run, the Email node's input shows the
 *    fields Initiate Refund will output, and dragging `ref_id` into the email's text maps
 *    `{{ $json.ref_id }}` — with no request sent to Crego;
 *  - the refunds example run from the editor: the run summary above the Crego node's
 *    output, and an error item in the error branch carrying its outcome and the row;
 *  - the same example run again: the skipped row's item names its row, its Reference and
 *    the earlier send;
 *  - a copy set to stop on error, stopped by an unknown outcome, retried from the
 *    Executions list: the retry sends only the row never sent and fails naming the
 *    unknown row (never "Succeeded"), each row reaching Crego at most once;
 *  - the node's parameter panel.
 * Run by `npm run test:browser` (and CI); CHROMIUM names the browser (/usr/bin/chromium).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { chain, packPackage, workflowFile } from '../helpers/n8nFiles';
import { ids, startSandbox, SANDBOX_TOKEN, type RunningSandbox } from '../helpers/sandbox';

const root = path.resolve(__dirname, '..', '..');
const docs = path.join(root, 'docs');
const { ensureN8n } = require('../../scripts/n8n/runtime');
const { createN8nInstance } = require('../../scripts/n8n/instance');
const { createMailbox } = require('../../scripts/n8n/mailbox');
const { examples, sandboxCredentials, OWNER } = require('../../scripts/n8n/examples');

const LINE = '2.41.1';
const PORT = 5731;
const PREVIEW_WORKFLOW_ID = 'cregoSchemaPreview';
const RETRY_WORKFLOW_ID = 'cregoRefundsStop';
const RETRY_LOANS = [ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS];

/**
 * The refunds example as a user may set it: On Error left at "Stop Workflow", one row at
 * a time, reading refunds-retry.csv (four good rows, each with its Reference).
 */
function stopOnErrorWorkflow(): string {
	const example = JSON.parse(
		fs.readFileSync(path.join(root, 'examples', 'refunds-from-csv.json'), 'utf8'),
	);
	for (const node of example.nodes) {
		if (node.type === 'n8n-nodes-base.readWriteFile')
			node.parameters.fileSelector = 'crego-examples/refunds-retry.csv';
		if (node.type === 'n8n-nodes-crego.crego') {
			delete node.onError;
			node.parameters.options = { ...node.parameters.options, concurrency: 1 };
		}
	}
	const file = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'crego-workflow-')),
		`${RETRY_WORKFLOW_ID}.json`,
	);
	fs.writeFileSync(
		file,
		JSON.stringify({ ...example, id: RETRY_WORKFLOW_ID, name: 'My refunds (stop on error)' }),
	);
	return file;
}

/** Manual trigger → Crego: Initiate Refund → Email, never run: what a user builds before the first refund. */
function previewWorkflow(): string {
	const nodes = [
		{
			id: 'p0',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'p1',
			name: 'Initiate refund',
			type: 'n8n-nodes-crego.crego',
			// What a node added now is: version 2, Loan ID as a locator.
			typeVersion: 2,
			position: [260, 0],
			parameters: {
				resource: 'loan',
				operation: 'initiateRefund',
				loanId: { __rl: true, mode: 'id', value: ids.DOCS_LOAN_ID },
				amount: '1500',
				refundType: 'cashback_refund',
			},
			credentials: { cregoApi: { id: 'crego-sandbox', name: 'Crego sandbox' } },
		},
		{
			id: 'p2',
			name: 'Email the borrower team',
			type: 'n8n-nodes-base.emailSend',
			typeVersion: 2.1,
			position: [520, 0],
			parameters: {
				fromEmail: 'n8n@example.com',
				toEmail: 'finance-ops@example.com',
				subject: 'Refund initiated',
				emailFormat: 'text',
				text: '',
			},
			credentials: { smtp: { id: 'crego-smtp', name: 'Local SMTP' } },
		},
	];
	return workflowFile({
		id: PREVIEW_WORKFLOW_ID,
		name: 'Crego: refund email (schema preview)',
		nodes,
		connections: chain(nodes.map((node) => node.name)),
	});
}

let sandbox: RunningSandbox;
let mailbox: any;
let n8n: any;
let dataDir: string;
let browser: Browser;
let cookie: string;

beforeAll(async () => {
	const tarball = packPackage();
	const runtime = await ensureN8n(LINE);
	dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-browser-'));
	sandbox = await startSandbox();
	mailbox = createMailbox();
	const smtpPort = await mailbox.start();
	n8n = createN8nInstance({ runtime, dataDir, port: PORT, brokerPort: PORT + 1000 });
	await n8n.installPackage(tarball);
	const samples = n8n.provideFiles(
		'crego-examples',
		examples.flatMap((example: any) => example.inputs),
	);
	const retryRows = RETRY_LOANS.map((loan, i) => `${loan},${200 + i},cashback_refund,RT-${i + 2}`);
	fs.writeFileSync(
		path.join(samples, 'refunds-retry.csv'),
		['loan_id,amount,refund_type,reference', ...retryRows, ''].join('\n'),
	);
	await n8n.importCredentials(
		sandboxCredentials({ sandboxUrl: sandbox.url, token: SANDBOX_TOKEN, smtpPort }),
	);
	await n8n.importWorkflows([
		...examples.map((example: any) => example.workflow),
		previewWorkflow(),
		stopOnErrorWorkflow(),
	]);
	await n8n.start();
	await n8n.setupOwner(OWNER);
	cookie = await n8n.login(OWNER);
	selectors.setTestIdAttribute('data-test-id');
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
});

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sandbox?.stop();
	await mailbox?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function openEditor(url: string): Promise<Page> {
	const context = await browser.newContext({
		viewport: { width: 1400, height: 900 },
		deviceScaleFactor: 1,
	});
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, url: n8n.baseUrl }]);
	const page = await context.newPage();
	await page.goto(`${n8n.baseUrl}${url}`, { waitUntil: 'networkidle' });
	return page;
}

const picture = (file: string) => path.join(docs, file);

/** Waits until the condition holds, checking every 200 ms; fails after the limit. */
async function until(condition: () => boolean | Promise<boolean>, limitMs: number) {
	const end = Date.now() + limitMs;
	while (!(await condition())) {
		if (Date.now() > end)
			throw new Error(`not so within ${limitMs / 1000} s: ${condition.toString()}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

test("before any run, the Email node sees Initiate Refund's fields, and ref_id drags into the email", async () => {
	const page = await openEditor(`/workflow/${PREVIEW_WORKFLOW_ID}/p2`);
	const served: string[] = [];
	page.on('response', (response) => {
		if (response.url().includes('/schemas/'))
			served.push(`${response.status()} ${new URL(response.url()).pathname}`);
	});
	await page.reload({ waitUntil: 'networkidle' });
	const input = page.getByTestId('ndv-input-panel');
	await input.getByText('Usually outputs the following fields').waitFor({ timeout: 30_000 });
	// The first fields (the list scrolls virtually: later ones are drawn when scrolled to).
	for (const field of ['id', 'ref_id', 'amount', 'status', 'utr']) {
		await input.locator(`[data-target="mappable"][data-name="${field}"]`).first().waitFor();
	}
	expect(served).toContain('200 /schemas/n8n-nodes-crego.crego/2.0.0/loan/initiateRefund.json');

	// Drag ref_id into the email's text, as a person does with the mouse.
	const text = page.getByTestId('parameter-input-text');
	for (
		let attempt = 0;
		attempt < 3 && !(await text.innerText()).includes('$json.ref_id');
		attempt++
	) {
		const from = (await input
			.locator('[data-target="mappable"][data-name="ref_id"]')
			.first()
			.boundingBox())!;
		const to = (await text.boundingBox())!;
		await page.mouse.move(from.x + 20, from.y + from.height / 2);
		await page.mouse.down();
		for (let step = 1; step <= 30; step++) {
			await page.mouse.move(
				from.x + 20 + ((to.x + 60 - from.x - 20) * step) / 30,
				from.y + from.height / 2 + ((to.y + 20 - from.y - from.height / 2) * step) / 30,
			);
			await page.waitForTimeout(15);
		}
		await page.waitForTimeout(300);
		await page.mouse.up();
		await page.waitForTimeout(1000);
	}
	expect(await text.innerText()).toContain('{{ $json.ref_id }}');
	await page.screenshot({ path: picture('schema-preview-mapping.png') });
	// Nothing ran: no request reached Crego.
	expect(sandbox.requests).toEqual([]);
	await page.context().close();
});

test('the refunds example run from the editor: the run summary, and an error item that says what became of its row', async () => {
	sandbox.reset();
	const page = await openEditor('/workflow/cregoRefundsCsv');
	await page.getByTestId('execute-workflow-button').first().click();
	await until(() => mailbox.messages.length === 1, 60_000);
	await page.locator('[data-test-id="canvas-node"][data-node-name="Initiate refunds"]').dblclick();
	const output = page.getByTestId('output-panel');
	const summary =
		/^Crego: 3 done, 1 rejected by Crego, 1 not sent — Crego did nothing for rejected and not-sent rows: fix them and run them again\.$/;
	await output.getByText(summary).waitFor({ timeout: 30_000 });
	await page.screenshot({ path: picture('run-summary.png') });

	await output
		.getByText(/^Error Branch/)
		.first()
		.click();
	await output.getByRole('radio', { name: 'JSON' }).click();
	const json = output.locator('.json-data');
	await until(
		async () =>
			(await json.innerText().catch(() => '')).includes(
				'Row 5: Crego has no loan 00000000-0000-4000-8000-000000000000 (Loan ID)',
			),
		30_000,
	);
	const shown = (await json.innerText()).replace(/\s+/g, ' ');
	for (const expected of [
		'"outcome": "rejected"',
		'"moneyMoved": "no"',
		'"httpStatus": 404',
		'"row": 5',
		'"outcome": "notSent"',
		'"row": 4',
	])
		expect(shown).toContain(expected);
	expect(shown).not.toContain(SANDBOX_TOKEN);
	await page.screenshot({ path: picture('error-item.png') });
	await page.context().close();
});

test('the refunds example run again: each skipped row says which row and Reference it is, and that Crego did it', async () => {
	sandbox.reset();
	const before = mailbox.messages.length;
	const page = await openEditor('/workflow/cregoRefundsCsv');
	await page.getByTestId('execute-workflow-button').first().click();
	await until(() => mailbox.messages.length === before + 1, 60_000);
	expect(mailbox.messages.at(-1).subject).toBe(
		'Crego refunds: 0 initiated, 3 already sent, 2 failed',
	);
	await page.locator('[data-test-id="canvas-node"][data-node-name="Initiate refunds"]').dblclick();
	const output = page.getByTestId('output-panel');
	await output
		.getByText(/^Crego: 3 already done by an earlier run \(not sent again\)/)
		.waitFor({ timeout: 30_000 });
	await output.getByRole('radio', { name: 'JSON' }).click();
	const json = output.locator('.json-data');
	await until(
		async () =>
			(await json.innerText().catch(() => '')).replace(/\s+/g, ' ').includes('"alreadySent": true'),
		30_000,
	);
	const shown = (await json.innerText()).replace(/\s+/g, ' ');
	for (const expected of [
		'this node sent Reference \\"CB-2026-0141\\" before (a Reference is used once)',
		'"row": 2',
		'"reference": "CB-2026-0141"',
		`"loan_id": "${ids.DOCS_LOAN_ID}"`,
	]) {
		expect(shown).toContain(expected);
	}
	await page.screenshot({ path: picture('skipped-row.png') });
	// Only the row Crego refused (unknown loan) was sent again.
	expect(sandbox.requests.map((request) => request.path)).toEqual([
		'/v1/lms/loans/00000000-0000-4000-8000-000000000000/refunds/',
	]);
	await page.context().close();
});

test('set to stop, stopped by an unknown outcome, retried from the Executions list: the retry sends only the unsent row and fails naming the unknown one', async () => {
	sandbox.reset();
	const emailsBefore = mailbox.messages.length;
	const sends = () =>
		RETRY_LOANS.map(
			(loan) =>
				sandbox.requests.filter((request) => request.path === `/v1/lms/loans/${loan}/refunds/`)
					.length,
		);
	sandbox.injectFault({
		path: `/v1/lms/loans/${RETRY_LOANS[2]}/refunds/`,
		status: 500,
		body: { detail: 'Server error.' },
	});
	const executions = async () => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: RETRY_WORKFLOW_ID }));
		return (await n8n.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie)).body.data
			.results as Array<{ id: string; status: string; retryOf?: string }>;
	};
	const page = await openEditor(`/workflow/${RETRY_WORKFLOW_ID}`);
	await page.getByTestId('execute-workflow-button').first().click();
	await until(
		async () => (await executions()).some((execution) => execution.status === 'error'),
		60_000,
	);
	expect(sends()).toEqual([1, 1, 1, 0]);
	const [failed] = await executions();

	// The Executions list, as a person opens it: the failed run is shown; Retry → with the original workflow.
	await page.goto(`${n8n.baseUrl}/workflow/${RETRY_WORKFLOW_ID}/executions/${failed.id}`, {
		waitUntil: 'networkidle',
	});
	await page.getByTestId('execution-preview-retry-button').click();
	await page.getByText('Retry with original workflow').click();
	await until(
		async () =>
			(await executions()).some(
				(execution) =>
					String(execution.retryOf) === String(failed.id) &&
					execution.status !== 'running' &&
					execution.status !== 'new',
			),
		60_000,
	);
	const retried = (await executions()).find(
		(execution) => String(execution.retryOf) === String(failed.id),
	)!;
	expect(retried.status).toBe('error');
	// Row 5 (never sent) went once; the unknown row 4 was not sent again; rows 2-3 were not either.
	expect(sends()).toEqual([1, 1, 1, 1]);
	const detail = await n8n.rest('GET', `/rest/executions/${retried.id}`, undefined, cookie);
	const { parse } = require(path.join(n8n.runtimeDir, 'node_modules/flatted'));
	const crego = parse(detail.body.data.data).resultData.runData['Initiate refunds'].at(-1);
	expect(crego.error.message).toMatch(
		/^Row 4: Not sent again: its outcome is unknown .*\[already done: row 2 \(\w+\), row 3 \(\w+\), row 5 \(\w+\); outcome unknown: row 4\]$/,
	);
	expect(crego.data?.main?.[0] ?? []).toEqual([]);
	// No email went out for either run: the run that holds an unknown row does not pretend to have finished.
	expect(mailbox.messages.length).toBe(emailsBefore);
	await page.goto(`${n8n.baseUrl}/workflow/${RETRY_WORKFLOW_ID}/executions/${retried.id}`, {
		waitUntil: 'networkidle',
	});
	await page.getByTestId('execution-preview-retry-button').waitFor({ timeout: 30_000 });
	await page.waitForTimeout(3000);
	await page.screenshot({ path: picture('retry-unknown-row.png') });
	await page.context().close();
});

test("the approval example run from the editor: the checker's email, the execution waiting in the Executions list, approved from the email: the batch sent once", async () => {
	sandbox.reset();
	const before = mailbox.messages.length;
	const page = await openEditor('/workflow/cregoRefundsApproval');
	await page.getByTestId('execute-workflow-button').first().click();
	await until(() => mailbox.messages.length === before + 1, 60_000);
	const email = mailbox.messages.at(-1);
	expect(email.subject).toBe('Approve Crego refunds: 4 to send, INR 1,01,851.25');
	expect(sandbox.requests).toEqual([]);

	const list = await openEditor('/workflow/cregoRefundsApproval/executions');
	await list.getByText('Waiting', { exact: false }).first().waitFor({ timeout: 30_000 });
	await list.waitForTimeout(500);
	await list.screenshot({ path: picture('approval-waiting.png') });
	await list.context().close();

	// The email as the checker's mail program shows it; the click is a person's (a browser, not a scanner).
	// A person's Chromium: headless Chromium names itself "HeadlessChrome", which n8n takes for a bot and ignores.
	const mail = await browser.newPage({
		viewport: { width: 760, height: 900 },
		userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${browser.version()} Safari/537.36`,
	});
	await mail.setContent(email.text, { waitUntil: 'load' });
	await mail.screenshot({ path: picture('approval-email.png'), fullPage: true });
	// The link opens in this page (the email's target="_blank" would open a new one).
	await mail.setContent(email.text.replace(/ target="_blank"/g, ''), { waitUntil: 'load' });
	const [resumed] = await Promise.all([
		mail.waitForResponse((response) => response.url().includes('/webhook-waiting/')),
		mail.getByText('Approve and send').click(),
	]);
	expect(resumed.status()).toBe(200);
	await until(() => mailbox.messages.length === before + 2, 60_000).catch(async (error) => {
		// What became of the execution, to say why no result email came.
		const filter = encodeURIComponent(JSON.stringify({ workflowId: 'cregoRefundsApproval' }));
		const listed = (await n8n.rest('GET', `/rest/executions?filter=${filter}`, undefined, cookie))
			.body.data.results;
		const detail = await n8n.rest('GET', `/rest/executions/${listed[0].id}`, undefined, cookie);
		const { parse } = require(path.join(n8n.runtimeDir, 'node_modules/flatted'));
		const data = parse(detail.body.data.data);
		throw new Error(
			`${error.message}; execution ${listed[0].id} ${listed[0].status}, ran ${Object.keys(data.resultData.runData).join(', ')}, error ${JSON.stringify(data.resultData.error?.message)}`,
		);
	});
	expect(mailbox.messages.at(-1).subject).toBe('Crego refunds: 3 initiated, 2 failed');
	expect(sandbox.requests.map((request) => request.body.amount).sort()).toEqual([
		100, 100000.5, 1500, 250.75,
	]);
	await mail.close();
	await page.context().close();
});

test("the node's parameter panel (the bank-file example's Process Payout, version 2): Payout ID By ID, Output", async () => {
	const page = await openEditor('/workflow/cregoPayoutsXlsx/b4');
	await page.getByText('Debit Bank ID').first().waitFor({ timeout: 30_000 });
	await page.getByText('Output', { exact: true }).first().waitFor();
	await page.getByText('Payout ID', { exact: true }).first().waitFor();
	expect(await page.getByText('Simplify', { exact: true }).count()).toBe(0);
	await page.waitForTimeout(1000);
	await page.screenshot({ path: picture('crego-node-panel.png') });
	await page.context().close();
});
