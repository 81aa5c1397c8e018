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

/** Writes a workflow for `n8n import:workflow` into a folder of its own; returns the file's path. */
export function workflowFile(workflow: {
	id: string;
	name: string;
	nodes: object[];
	connections: object;
}): string {
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
