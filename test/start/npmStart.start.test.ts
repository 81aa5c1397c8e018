/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * `npm start` as a user meets it, from a fresh copy of the project (what git holds: no
 * dist/, no earlier build) after `npm ci`, checked by process id and port: a second start
 * keeps an edited example and an edited sample file, naming them as they are now; a second
 * `npm start` on other ports but the same data folder is refused and leaves the first
 * working; a busy port is explained; and SIGTERM or SIGHUP to the `npm` process, or SIGKILL
 * to the script itself, leaves no process and no port behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { OWNER } = require('../../scripts/n8n/examples');
const { alive, portInUse } = require('../../scripts/n8n/ports');
const { freePort } = require('../../scripts/n8n/services');

const project = path.resolve(__dirname, '../..');
const playground = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-start-'));
/** A fresh copy of the project: the files git holds (tracked, and new ones not ignored), as a clone has them. */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-clone-'));
let env: NodeJS.ProcessEnv;
let n8nPort: number;
let sandboxPort: number;
const started: ChildProcess[] = [];

beforeAll(async () => {
	const files = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{ cwd: project, encoding: 'utf8' },
	)
		.split('\0')
		.filter(Boolean);
	for (const file of files) {
		if (!fs.existsSync(path.join(project, file))) continue;
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		fs.copyFileSync(path.join(project, file), path.join(root, file));
	}
	execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
		cwd: root,
		stdio: 'ignore',
	});
	n8nPort = await freePort();
	sandboxPort = await freePort();
	// As from a user's shell: without the npm_config_* variables `npm run test:start` hands down.
	const shell = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)),
	);
	env = {
		...shell,
		CREGO_PLAYGROUND_DIR: playground,
		CREGO_N8N_PORT: String(n8nPort),
		CREGO_SANDBOX_PORT: String(sandboxPort),
	};
}, 10 * 60_000);

afterAll(() => {
	for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
	fs.rmSync(playground, { recursive: true, force: true });
	fs.rmSync(root, { recursive: true, force: true });
});

interface Start {
	npm: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

/** `npm start`, as a user types it; resolves once it printed its banner (or failed). */
async function npmStart(args: string[] = [], moreEnv: NodeJS.ProcessEnv = {}): Promise<Start> {
	const npm = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
		cwd: root,
		env: { ...env, ...moreEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	started.push(npm);
	let text = '';
	npm.stdout!.on('data', (chunk) => (text += chunk));
	npm.stderr!.on('data', (chunk) => (text += chunk));
	const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
	const deadline = Date.now() + 5 * 60_000;
	while (!/is ready:|npm start failed/.test(text) && npm.exitCode === null && Date.now() < deadline)
		await new Promise((r) => setTimeout(r, 250));
	return { npm, output: () => text, exited };
}

/** What the running start wrote about itself: its pid, n8n's pid (a process group with its task runner), its ports. */
const state = () =>
	JSON.parse(fs.readFileSync(path.join(playground, 'npm-start.json'), 'utf8')) as {
		pid: number;
		n8nPid: number;
		ports: number[];
	};
const groupAlive = (pgid: number) => {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
};

/** Waits until every process and port of that start is gone; returns what is left. */
async function leftBehind({ pid, n8nPid, ports }: ReturnType<typeof state>, npmPid: number) {
	const deadline = Date.now() + 30_000;
	let left: string[] = [];
	while (Date.now() < deadline) {
		left = [
			...(alive(npmPid) ? [`npm ${npmPid}`] : []),
			...(alive(pid) ? [`start.js ${pid}`] : []),
			...(groupAlive(n8nPid) ? [`n8n group ${n8nPid}`] : []),
			...(
				await Promise.all(
					ports.map(async (port) => ((await portInUse(port)) ? `port ${port}` : '')),
				)
			).filter(Boolean),
		];
		if (left.length === 0) break;
		await new Promise((r) => setTimeout(r, 250));
	}
	return left;
}

async function rest(method: string, urlPath: string, body?: unknown, cookie?: string) {
	const response = await fetch(`http://127.0.0.1:${n8nPort}${urlPath}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { response, json: (await response.json()) as any };
}

async function login() {
	const { response } = await rest('POST', '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		email: OWNER.email,
		password: OWNER.password,
	});
	return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

test('first start from a fresh clone (no dist/): examples imported, demo IDs printed; a second start on other ports but the same data folder is refused and the first keeps working; an example and a sample file are edited; SIGTERM to npm stops everything', async () => {
	expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
	const first = await npmStart();
	expect(first.output()).toContain('is ready:');
	expect(first.output()).not.toMatch(/run `npm run build` first/);
	// The build made the schema previews too, and the installed package carries them.
	expect(
		fs.existsSync(
			path.join(
				playground,
				'.n8n/nodes/node_modules/n8n-nodes-crego/dist/nodes/Crego/__schema__/v1.0.0/loan/initiateRefund.json',
			),
		),
	).toBe(true);
	expect(first.output()).toMatch(
		/Importing example workflows: "Crego: refunds from a spreadsheet"/,
	);
	expect(first.output()).toMatch(/ Loans {5}4541ca25-cf98-4b75-a2c8-db7d5a6b9e69, /);
	expect(first.output()).not.toMatch(/Unknown env config/);
	const running = state();

	// Another start, on ports of its own, on the same data folder: refused before it touches anything.
	const otherPorts = {
		CREGO_N8N_PORT: String(await freePort()),
		CREGO_SANDBOX_PORT: String(await freePort()),
	};
	const second = await npmStart([], otherPorts);
	expect(await second.exited).toBe(1);
	expect(second.output()).toContain(
		`n8n's data folder ${playground} is in use by another \`npm start\` (pid ${running.pid}, n8n at http://127.0.0.1:${n8nPort})`,
	);
	expect(second.output()).toContain('CREGO_PLAYGROUND_DIR=');
	expect(second.output()).not.toContain('Importing');
	expect(state()).toEqual(running);
	const cookie = await login();
	const credentials = await rest('GET', '/rest/credentials?includeData=true', undefined, cookie);
	const sandboxCredential = credentials.json.data.find(
		(credential: any) => credential.name === 'Crego sandbox',
	);
	expect(sandboxCredential.data.baseUrl).toBe(`http://127.0.0.1:${sandboxPort}`);

	const workflow = await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie);
	const edited = await rest(
		'PATCH',
		'/rest/workflows/cregoRefundsCsv',
		{ name: 'My refunds (edited)', versionId: workflow.json.data.versionId },
		cookie,
	);
	expect(edited.response.status).toBe(200);
	fs.appendFileSync(path.join(playground, 'crego-examples/refunds.csv'), 'my,own,row\n');

	first.npm.kill('SIGTERM');
	expect(await first.exited).not.toBeNull();
	expect(await leftBehind(running, first.npm.pid!)).toEqual([]);
});

test('second start keeps the edited example and sample file, naming them as they are now; a third start on its ports says who holds them; SIGHUP to npm stops everything', async () => {
	const second = await npmStart();
	expect(second.output()).toContain(
		'Kept as you left them: "My refunds (edited)", "Crego: mark payouts processed from a bank file", "Crego: refunds with approval", "Crego: record lookup to a spreadsheet" (npm start -- --reset-examples',
	);
	expect(second.output()).toContain(
		'Sample files kept as you left them: refunds.csv (npm start -- --reset-examples',
	);
	// Named once, though two examples read it.
	expect(second.output()).not.toContain('refunds.csv, refunds.csv');
	expect(second.output()).toMatch(/Examples {2}"My refunds \(edited\)", "Crego: mark payouts/);
	expect(fs.readFileSync(path.join(playground, 'crego-examples/refunds.csv'), 'utf8')).toMatch(
		/my,own,row\n$/,
	);
	const cookie = await login();
	expect(
		(await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie)).json.data.name,
	).toBe('My refunds (edited)');

	const running = state();
	// Its ports, from another data folder: the port is explained, not the folder.
	const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-start-other-'));
	const third = await npmStart([], { CREGO_PLAYGROUND_DIR: elsewhere });
	expect(await third.exited).toBe(1);
	fs.rmSync(elsewhere, { recursive: true, force: true });
	expect(third.output()).toContain(
		`is held by an earlier \`npm start\` that is still running (pid ${running.pid}). Stop it with Ctrl-C in its terminal, or: kill ${running.pid}`,
	);
	expect(third.output()).not.toContain(`kill ${running.n8nPid}`);

	second.npm.kill('SIGHUP');
	expect(await leftBehind(running, second.npm.pid!)).toEqual([]);
});

test('--reset-examples restores them as shipped; SIGKILL to the script itself: its watchdog stops n8n', async () => {
	const fourth = await npmStart(['--reset-examples']);
	expect(fourth.output()).toContain('Restoring example workflows:');
	expect(
		fs.readFileSync(path.join(playground, 'crego-examples/refunds.csv'), 'utf8'),
	).not.toContain('my,own,row');
	const cookie = await login();
	expect(
		(await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie)).json.data.name,
	).toBe('Crego: refunds from a spreadsheet');

	const running = state();
	process.kill(running.pid, 'SIGKILL');
	expect(await leftBehind(running, fourth.npm.pid!)).toEqual([]);
});
