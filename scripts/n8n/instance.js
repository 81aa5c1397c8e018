// @ts-check
'use strict';

/**
 * One real n8n, headless and offline, with its own data folder: install this package
 * into it the way n8n holds a community package, import credentials and workflows,
 * run workflows with `n8n execute`, or start the editor and talk to its REST API.
 * Used by `npm start` and by the end-to-end tests.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_NAME = 'n8n-nodes-crego';

/**
 * @param {object} options
 * @param {Awaited<ReturnType<typeof import('./runtime').ensureN8n>>} options.runtime
 * @param {string} options.dataDir        N8N_USER_FOLDER; n8n keeps its data in <dataDir>/.n8n
 * @param {number} options.port           the editor and REST API, on 127.0.0.1
 * @param {number} options.brokerPort     n8n's task broker; each running n8n needs its own
 * @param {Record<string, string>} [options.env]
 */
function createN8nInstance({ runtime, dataDir, port, brokerPort, env = {} }) {
	const n8nDir = path.join(dataDir, '.n8n');
	const baseUrl = `http://127.0.0.1:${port}`;
	const major = Number(runtime.version.split('.')[0]);
	const environment = runtime.env({
		N8N_USER_FOLDER: dataDir,
		N8N_ENCRYPTION_KEY: 'crego-local-n8n-encryption-key',
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		// Community packages must be enabled for n8n to load the one under .n8n/nodes.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		...(major >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_SECURE_COOKIE: 'false',
		N8N_RESTRICT_FILE_ACCESS_TO: dataDir,
		GENERIC_TIMEZONE: 'Asia/Kolkata',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		...env,
	});
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let server;
	let processGroup = false;

	/** Runs one n8n CLI command to its end. */
	function cli(args, { timeoutMs = 120_000 } = {}) {
		return new Promise((resolve, reject) => {
			const child = spawn(runtime.command, [...runtime.args, ...args], {
				cwd: dataDir,
				env: environment,
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('exit', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async function cliOrThrow(args, options) {
		const result = await cli(args, options);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`,
			);
		}
		return result;
	}

	return {
		baseUrl,
		dataDir,
		version: runtime.version,
		/** Where this n8n is installed (its node_modules, e.g. to read its REST answers with its own libraries). */
		runtimeDir: runtime.dir,

		/**
		 * Unpacks an `npm pack` tarball where n8n keeps installed community packages:
		 * <dataDir>/.n8n/nodes/node_modules/n8n-nodes-crego, listed in nodes/package.json.
		 */
		async installPackage(tarball) {
			const nodesDir = path.join(n8nDir, 'nodes');
			const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
			fs.rmSync(target, { recursive: true, force: true });
			fs.mkdirSync(target, { recursive: true });
			await untar(tarball, target);
			const version = JSON.parse(
				fs.readFileSync(path.join(target, 'package.json'), 'utf8'),
			).version;
			fs.writeFileSync(
				path.join(nodesDir, 'package.json'),
				JSON.stringify(
					{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } },
					null,
					2,
				),
			);
			return target;
		},

		/** Copies files (sample inputs) into <dataDir>/<folder>, where n8n may read and write. */
		provideFiles(folder, files) {
			const target = path.join(dataDir, folder);
			fs.mkdirSync(target, { recursive: true });
			for (const file of files) fs.copyFileSync(file, path.join(target, path.basename(file)));
			return target;
		},

		/** `n8n import:credentials`: plain `data` is encrypted with this instance's key. */
		async importCredentials(credentials) {
			const file = path.join(dataDir, 'credentials-to-import.json');
			fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
			try {
				await cliOrThrow(['import:credentials', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true });
			}
		},

		/** `n8n import:workflow` for each file; every workflow keeps its fixed id. */
		async importWorkflows(files) {
			for (const file of files) await cliOrThrow(['import:workflow', `--input=${file}`]);
		},

		/**
		 * `n8n execute --id <id> --rawOutput`. The run data is printed among log lines:
		 * the JSON object is cut out. Exit 0 means the workflow succeeded.
		 */
		async execute(workflowId) {
			const result = await cli(['execute', `--id=${workflowId}`, '--rawOutput']);
			return { ...result, run: extractJson(result.stdout) };
		},

		/** Any n8n CLI command (e.g. `publish:workflow --id=…`), failing when n8n does. */
		command: (args) => cliOrThrow(args),

		/**
		 * `n8n worker` (queue mode), resolved once it says it is ready. Its output goes to
		 * onOutput: a worker logs "Worker started execution <id>" for each execution it runs.
		 */
		async startWorker({ concurrency = 1, onOutput = () => {}, timeoutMs = 120_000 } = {}) {
			server = spawn(runtime.command, [...runtime.args, 'worker', `--concurrency=${concurrency}`], {
				cwd: dataDir,
				env: environment,
			});
			let output = '';
			const listen = (chunk) => {
				output += chunk;
				onOutput(String(chunk));
			};
			server.stdout?.on('data', listen);
			server.stderr?.on('data', listen);
			const exited = new Promise((resolve) => server?.once('exit', (code) => resolve(code)));
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const code = await Promise.race([exited, sleep(250).then(() => 'waiting')]);
				if (code !== 'waiting')
					throw new Error(
						`n8n worker exited with ${code} before it was ready:\n${output.slice(-2000)}`,
					);
				if (output.includes('n8n worker is now ready')) return server.pid;
			}
			throw new Error(`n8n worker was not ready within ${timeoutMs / 1000} s`);
		},

		/** The pid of the server or worker started by start() or startWorker(). */
		get pid() {
			return server?.pid;
		},

		/** The workflows in n8n's database, as their ids and current names (`n8n list:workflow`). */
		async workflows() {
			const { stdout } = await cliOrThrow(['list:workflow']);
			return stdout.split('\n').flatMap((line) => {
				const match = /^([\w-]{1,36})\|(.*)$/.exec(line.trim());
				return match ? [{ id: match[1], name: match[2] }] : [];
			});
		},

		/**
		 * `n8n start`, resolved once /healthz/readiness and the REST API answer. With
		 * ownProcessGroup, n8n and its task runner form a process group of their own, which
		 * stop() ends as one (and a watchdog can end when its starter is killed).
		 */
		async start({ onOutput = () => {}, timeoutMs = 120_000, ownProcessGroup = false } = {}) {
			processGroup = ownProcessGroup;
			server = spawn(runtime.command, [...runtime.args, 'start'], {
				cwd: dataDir,
				env: environment,
				detached: ownProcessGroup,
			});
			server.stdout?.on('data', (chunk) => onOutput(String(chunk)));
			server.stderr?.on('data', (chunk) => onOutput(String(chunk)));
			const exited = new Promise((resolve) => server?.once('exit', (code) => resolve(code)));
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const code = await Promise.race([exited, sleep(500).then(() => 'waiting')]);
				if (code !== 'waiting') throw new Error(`n8n exited with ${code} before it was ready`);
				try {
					// Readiness can answer before the REST routes exist (1.x): wait for both.
					const ready = await fetch(`${baseUrl}/healthz/readiness`);
					const settings = ready.ok ? await fetch(`${baseUrl}/rest/settings`) : undefined;
					if (settings?.ok) return;
				} catch {
					// not listening yet
				}
			}
			throw new Error(`n8n was not ready within ${timeoutMs / 1000} s`);
		},

		/** Creates the owner account (the login printed by `npm start`). */
		async setupOwner(owner) {
			const response = await rest('POST', '/rest/owner/setup', owner);
			if (!response.ok)
				throw new Error(`owner setup failed: ${response.status} ${JSON.stringify(response.body)}`);
		},

		/** Logs in and returns the session cookie for further REST calls. */
		async login({ email, password }) {
			const response = await rest('POST', '/rest/login', {
				emailOrLdapLoginId: email,
				email,
				password,
			});
			if (!response.ok)
				throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
			const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
			return cookie;
		},

		rest,

		/** Stops the server or worker started by start() or startWorker() (its whole group, if it has one), and waits for it. */
		async stop() {
			if (!server || server.exitCode !== null || server.signalCode !== null) return;
			const child = server;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const signal = (name) => {
				try {
					if (processGroup && child.pid) process.kill(-child.pid, name);
					else child.kill(name);
				} catch {
					// already gone
				}
			};
			signal('SIGTERM');
			const timer = setTimeout(() => signal('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
			// The task runner may outlive n8n by a moment: give the group the same end.
			if (processGroup) signal('SIGKILL');
		},
	};

	/** A JSON call to the running n8n's REST API. */
	async function rest(method, urlPath, body, cookie) {
		const response = await fetch(`${baseUrl}${urlPath}`, {
			method,
			headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
		return { ok: response.ok, status: response.status, headers: response.headers, body: parsed };
	}
}

/** The run data in `n8n execute --rawOutput` output: the outermost JSON object among log lines. */
function extractJson(stdout) {
	const start = stdout.indexOf('\n{');
	const from = start >= 0 ? start + 1 : stdout.startsWith('{') ? 0 : -1;
	if (from < 0) return undefined;
	const end = stdout.lastIndexOf('}');
	try {
		return JSON.parse(stdout.slice(from, end + 1));
	} catch {
		return undefined;
	}
}

function untar(tarball, target) {
	return new Promise((resolve, reject) => {
		const child = spawn('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {
			stdio: 'inherit',
		});
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0 ? resolve(undefined) : reject(new Error(`tar exited with ${code}`)),
		);
	});
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { createN8nInstance, PACKAGE_NAME };
