/**
 * `npm start` as a user meets it, checked by process id and port: a second start keeps an
 * edited example; a busy port is explained; and SIGTERM or SIGHUP to the `npm` process, or
 * SIGKILL to the script itself, leaves no process and no port behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { OWNER } = require('../../scripts/n8n/examples');
const { alive, portInUse } = require('../../scripts/n8n/ports');
const { freePort } = require('../../scripts/n8n/services');

const root = path.resolve(__dirname, '../..');
const playground = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-start-'));
let env: NodeJS.ProcessEnv;
let n8nPort: number;
const started: ChildProcess[] = [];

beforeAll(async () => {
	n8nPort = await freePort();
	// As from a user's shell: without the npm_config_* variables `npm run test:start` hands down.
	const shell = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
	env = { ...shell, CREGO_PLAYGROUND_DIR: playground, CREGO_N8N_PORT: String(n8nPort), CREGO_SANDBOX_PORT: String(await freePort()) };
});

afterAll(() => {
	for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
	fs.rmSync(playground, { recursive: true, force: true });
});

interface Start {
	npm: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

/** `npm start`, as a user types it; resolves once it printed its banner (or failed). */
async function npmStart(args: string[] = []): Promise<Start> {
	const npm = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	started.push(npm);
	let text = '';
	npm.stdout!.on('data', (chunk) => (text += chunk));
	npm.stderr!.on('data', (chunk) => (text += chunk));
	const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
	const deadline = Date.now() + 5 * 60_000;
	while (!/is ready:|npm start failed/.test(text) && npm.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
	return { npm, output: () => text, exited };
}

/** What the running start wrote about itself: its pid, n8n's pid (a process group with its task runner), its ports. */
const state = () => JSON.parse(fs.readFileSync(path.join(playground, 'npm-start.json'), 'utf8')) as { pid: number; n8nPid: number; ports: number[] };
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
			...(await Promise.all(ports.map(async (port) => ((await portInUse(port)) ? `port ${port}` : '')))).filter(Boolean),
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
	const { response } = await rest('POST', '/rest/login', { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password });
	return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

test('first start: examples imported, demo IDs printed; an example is edited; SIGTERM to npm stops everything', async () => {
	const first = await npmStart();
	expect(first.output()).toContain('is ready:');
	expect(first.output()).toMatch(/Importing example workflows: "Crego: refunds from a spreadsheet"/);
	expect(first.output()).toMatch(/ Loans {5}4541ca25-cf98-4b75-a2c8-db7d5a6b9e69, /);
	expect(first.output()).not.toMatch(/Unknown env config/);
	const cookie = await login();
	const workflow = await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie);
	const edited = await rest('PATCH', '/rest/workflows/cregoRefundsCsv', { name: 'My refunds (edited)', versionId: workflow.json.data.versionId }, cookie);
	expect(edited.response.status).toBe(200);

	const running = state();
	first.npm.kill('SIGTERM');
	expect(await first.exited).not.toBeNull();
	expect(await leftBehind(running, first.npm.pid!)).toEqual([]);
});

test('second start keeps the edited example; a third start on its ports says who holds them; SIGHUP to npm stops everything', async () => {
	const second = await npmStart();
	expect(second.output()).toContain('Kept as you left them: "Crego: refunds from a spreadsheet"');
	const cookie = await login();
	expect((await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie)).json.data.name).toBe('My refunds (edited)');

	const running = state();
	const third = await npmStart();
	expect(await third.exited).toBe(1);
	expect(third.output()).toContain(`is held by an earlier \`npm start\` that is still running (pid ${running.pid}). Stop it with Ctrl-C in its terminal, or: kill ${running.pid}`);

	second.npm.kill('SIGHUP');
	expect(await leftBehind(running, second.npm.pid!)).toEqual([]);
});

test('--reset-examples restores them as shipped; SIGKILL to the script itself: its watchdog stops n8n', async () => {
	const fourth = await npmStart(['--reset-examples']);
	expect(fourth.output()).toContain('Restoring example workflows:');
	const cookie = await login();
	expect((await rest('GET', '/rest/workflows/cregoRefundsCsv', undefined, cookie)).json.data.name).toBe('Crego: refunds from a spreadsheet');

	const running = state();
	process.kill(running.pid, 'SIGKILL');
	expect(await leftBehind(running, fourth.npm.pid!)).toEqual([]);
});
