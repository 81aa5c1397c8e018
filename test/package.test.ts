/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * What n8n does on install: read the "n8n" section of package.json, require every file
 * it lists from dist/, and build each class, named after its file. Plus what a user
 * receives from npm: dist, README and LICENSE, and no runtime dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** n8n derives the class name from the file name: Crego.node.js must export class Crego. */
function load<T>(file: string): T {
	const className = path.basename(file).split('.')[0];

	const module = require(path.join(root, file));
	expect(typeof module[className]).toBe('function');
	return new module[className]() as T;
}

test('every node listed in package.json loads from dist and describes itself', () => {
	expect(pkg.n8n.nodes).toEqual(['dist/nodes/Crego/Crego.node.js']);
	for (const file of pkg.n8n.nodes as string[]) {
		const node = load<INodeType>(file);
		expect(node.description.name).toBe('crego');
		expect(node.description.usableAsTool).toBe(true);
		expect(typeof node.execute).toBe('function');
		const folder = path.dirname(path.join(root, file));
		expect(existsSync(path.join(folder, 'Crego.node.json'))).toBe(true);
		const icon = node.description.icon as { light: string; dark: string };
		for (const variant of [icon.light, icon.dark]) {
			expect(existsSync(path.join(folder, variant.replace(/^file:/, '')))).toBe(true);
		}
	}
});

test('every credential listed in package.json loads from dist', () => {
	expect(pkg.n8n.credentials).toEqual(['dist/credentials/CregoApi.credentials.js']);
	for (const file of pkg.n8n.credentials as string[]) {
		const credential = load<ICredentialType>(file);
		expect(credential.name).toBe('cregoApi');
		const icon = credential.icon as { light: string };
		expect(
			existsSync(path.join(path.dirname(path.join(root, file)), icon.light.replace(/^file:/, ''))),
		).toBe(true);
	}
});

test('the codex files in dist are valid and name the node as n8n does', () => {
	const codex = JSON.parse(
		readFileSync(path.join(root, 'dist/nodes/Crego/Crego.node.json'), 'utf8'),
	);
	expect(codex.node).toBe('n8n-nodes-crego.crego');
	expect(codex.categories).toEqual(['Finance & Accounting']);
});

test('package.json is what n8n verifies: MIT, the keyword, strict, peer n8n-workflow, no runtime dependencies', () => {
	expect(pkg.name).toBe('n8n-nodes-crego');
	expect(pkg.license).toBe('MIT');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.n8n.strict).toBe(true);
	expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.dependencies).toBeUndefined();
	expect(pkg.homepage).toMatch(/^https:\/\//);
	expect(pkg.repository.url).toContain(pkg.homepage.replace(/#.*$/, '').replace(/^https:\/\//, ''));
	expect(pkg.author.name).toBeTruthy();
});

test('npm pack ships dist, README and LICENSE, and no sources, tests or sandbox', () => {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	const files = (packed.files as Array<{ path: string }>).map((f) => f.path);
	expect(files).toEqual(
		expect.arrayContaining([
			'README.md',
			'LICENSE',
			'package.json',
			'index.js',
			...pkg.n8n.nodes,
			...pkg.n8n.credentials,
			'dist/nodes/Crego/Crego.node.json',
			'dist/nodes/Crego/crego.svg',
			'dist/nodes/Crego/crego.dark.svg',
		]),
	);
	const unexpected = files.filter(
		(f) => !/^(dist\/|README\.md$|LICENSE$|package\.json$|index\.js$)/.test(f),
	);
	expect(unexpected).toEqual([]);
	expect(files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
});
