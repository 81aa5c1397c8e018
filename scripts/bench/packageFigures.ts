/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/** The package: tarball size and how long n8n takes to load and construct the node. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export function packageFigures() {
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-bench-pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	// n8n has n8n-workflow loaded already: time our package on top of it.
	const script = `require('n8n-workflow');const t=performance.now();const {Crego}=require(${JSON.stringify(path.join(root, 'dist/nodes/Crego/Crego.node.js'))});new Crego();console.log(performance.now()-t)`;
	const load = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: root });
	const loadMs = Number(load.stdout.trim());
	console.log(
		`package     tarball ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.files.length} files; load + construct ${loadMs.toFixed(1)} ms (with n8n-workflow already loaded)`,
	);
	fs.rmSync(packDir, { recursive: true, force: true });
	return {
		size: packed.size as number,
		unpackedSize: packed.unpackedSize as number,
		files: packed.files.length as number,
		loadMs,
	};
}
