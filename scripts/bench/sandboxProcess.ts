/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The sandbox in a process of its own (`npm run sandbox`), so its work does not share the
 * measured process's event loop: on 2 cores, client and server each get one.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const TOKEN = 'bench-token';
export const { ids } = require('../../sandbox/seed');

const root = path.resolve(__dirname, '../..');
export async function startSandbox(latencyMs: number) {
	// Port 0: the system picks a free one, which the sandbox prints.
	const child = spawn(
		process.execPath,
		[
			path.join(root, 'sandbox/cli.js'),
			'--port',
			'0',
			'--token',
			TOKEN,
			'--latency',
			String(latencyMs),
		],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	process.once('exit', () => child.kill('SIGTERM')); // a failed run leaves no sandbox behind
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			const listening = /listening on (http:\/\/\S+)/.exec(String(chunk));
			if (listening) resolve(listening[1]);
		});
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	const stop = () =>
		new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	return { stop, url };
}

/** One input item per lookup, all for the docs' record. */
export const recordItems = (count: number) =>
	Array.from({ length: count }, () => ({ record: ids.DOCS_RECORD_ID }));
