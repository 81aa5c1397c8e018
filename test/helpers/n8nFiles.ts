/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/** Files the real-n8n suites hand to n8n: the packed package, and workflows to import. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** Packs the package as npm would publish it (the built dist/); returns the tarball's path. */
export function packPackage(): string {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	return path.join(packDir, packed.filename);
}

/** Connections that run the named nodes one after another. */
export const chain = (names: string[]) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

/**
 * Writes a workflow for `n8n import:workflow` into a folder of its own; returns the file's path.
 * n8n 2.x refuses a workflow whose nodes share an id or a name (1.x imports it), so both are checked here,
 * where the line they broke on is named, rather than in one n8n line's import.
 */
export function workflowFile(workflow: {
	id: string;
	name: string;
	nodes: Array<{ id?: string; name?: string }>;
	connections: object;
}): string {
	for (const key of ['id', 'name'] as const) {
		const seen = new Set<string>();
		for (const node of workflow.nodes) {
			const value = String(node[key]);
			if (seen.has(value))
				throw new Error(`Workflow ${workflow.id}: two nodes have the ${key} ${value}`);
			seen.add(value);
		}
	}
	const file = path.join(
		fs.mkdtempSync(path.join(os.tmpdir(), 'crego-workflow-')),
		`${workflow.id}.json`,
	);
	fs.writeFileSync(
		file,
		JSON.stringify({ ...workflow, active: false, settings: { executionOrder: 'v1' }, pinData: {} }),
	);
	return file;
}

/**
 * A Webhook trigger taking `POST {rows: [...]}` and a Split Out making one item per row:
 * the first two nodes of a workflow fed by a sheet posted over HTTP.
 */
export function rowsByWebhook(options: {
	idPrefix: string;
	webhookId: string;
	path: string;
	responseMode: 'lastNode' | 'onReceived';
}): Array<{ id: string; name: string; [key: string]: unknown }> {
	const { idPrefix, webhookId, path: webhookPath, responseMode } = options;
	return [
		{
			id: `${idPrefix}1`,
			name: 'Rows posted',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId,
			parameters: {
				httpMethod: 'POST',
				path: webhookPath,
				responseMode,
				...(responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}),
				options: {},
			},
		},
		{
			id: `${idPrefix}2`,
			name: 'One item per row',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [250, 0],
			parameters: { fieldToSplitOut: 'body.rows', options: {} },
		},
	];
}
