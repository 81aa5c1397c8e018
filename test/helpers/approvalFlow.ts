/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The "Refunds with approval" example as a real n8n runs it in its server: the same
 * workflow with its manual Start replaced by a Webhook (so an execution can start, wait
 * for the checker and resume there), reading a sheet of the test's own; and the
 * checker's side: the links in the approval email, opened as a person's browser does.
 */
import fs from 'node:fs';
import path from 'node:path';

import { workflowFile } from './n8nFiles';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'refunds-with-approval.json');

export const APPROVAL_WORKFLOW_ID = 'cregoApprovalHook';
export const APPROVAL_WEBHOOK_PATH = 'crego-approval';
export const APPROVAL_SHEET = 'approval-rows.csv';

/** The example, started by `POST /webhook/crego-approval`, reading `crego-examples/approval-rows.csv`. */
export function approvalWorkflow(): string {
	const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	const nodes = example.nodes.map((node: any) => {
		if (node.name === 'Start')
			return {
				id: node.id,
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: node.position,
				webhookId: '2f6e0c1a-8b3d-4e5f-9a7b-1c2d3e4f5a6b',
				parameters: {
					httpMethod: 'POST',
					path: APPROVAL_WEBHOOK_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			};
		if (node.type === 'n8n-nodes-base.readWriteFile')
			return {
				...node,
				parameters: { ...node.parameters, fileSelector: `crego-examples/${APPROVAL_SHEET}` },
			};
		return node;
	});
	return workflowFile({
		id: APPROVAL_WORKFLOW_ID,
		name: 'Crego: refunds with approval (webhook)',
		nodes,
		connections: example.connections,
	});
}

export interface SheetRow {
	loan: string;
	amount: string | number;
	type: string;
	reference: string;
}

/** Writes the sheet the approval workflow reads (loan_id, amount, refund_type, reference). */
export function writeApprovalSheet(folder: string, rows: SheetRow[]) {
	const lines = [
		'loan_id,amount,refund_type,reference',
		...rows.map((row) => `${row.loan},${row.amount},${row.type},${row.reference}`),
	];
	fs.writeFileSync(path.join(folder, APPROVAL_SHEET), `${lines.join('\n')}\n`);
}

/** The approve and decline links of an approval email (its HTML, entities decoded). */
export function approvalLinks(email: { text: string }): { approve: string; decline: string } {
	const links = [...email.text.matchAll(/href="([^"]*webhook-waiting[^"]*)"/g)].map((match) =>
		match[1].replace(/&amp;/g, '&'),
	);
	const approve = links.find((link) => /[?&]approved=true/.test(link));
	const decline = links.find((link) => /[?&]approved=false/.test(link));
	if (!approve || !decline)
		throw new Error(`no approve and decline links in the approval email: ${links.join(', ')}`);
	return { approve, decline };
}

const BROWSER =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** Opens a link as the checker's browser does (n8n ignores bots: a mail scanner's visit approves nothing). */
export async function openAsPerson(link: string): Promise<number> {
	const response = await fetch(link, { headers: { 'User-Agent': BROWSER } });
	await response.text();
	return response.status;
}

/** Opens a link as a mail scanner does. */
export async function openAsScanner(link: string): Promise<number> {
	const response = await fetch(link, {
		headers: {
			'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
		},
	});
	await response.text();
	return response.status;
}

/** Waits until `done` holds, polling every 100 ms, for at most `limitMs`. */
export async function waitFor<T>(
	what: string,
	probe: () => T | undefined | false | Promise<T | undefined | false>,
	limitMs = 60_000,
): Promise<T> {
	const end = Date.now() + limitMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
