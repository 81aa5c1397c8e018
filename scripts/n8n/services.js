// @ts-check
'use strict';

/**
 * The services n8n's queue mode needs, for the queue-mode suite: PostgreSQL and Redis from
 * Debian's packages (installed with apt-get when missing), each started on 127.0.0.1 on a
 * port of its own, with a throwaway data folder, and stopped by its process id. PostgreSQL
 * refuses to run as root: as root it runs as the unprivileged `postgres` user the Debian
 * package creates.
 */

const { execFileSync, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { alive, portInUse } = require('./ports');

const log = (message) => process.stdout.write(`[services] ${message}\n`);

/** PostgreSQL's programs (initdb, postgres, pg_isready), from Debian's versioned folder. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((entry) => fs.existsSync(path.join(root, entry, 'bin', 'postgres')));
	versions.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

function onPath(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Installs Debian's postgresql and redis-server when they are missing (as root, with apt-get). */
function ensureDebianPackages() {
	const missing = [
		...(postgresBin() ? [] : ['postgresql']),
		...(onPath('redis-server') ? [] : ['redis-server']),
	];
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`Queue mode needs ${missing.join(' and ')}: install them (sudo apt-get install ${missing.join(' ')}) and run again.`,
		);
	}
	const started = Date.now();
	log(`installing ${missing.join(', ')} from Debian's packages`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
			env,
			stdio: 'ignore',
		}).status === 0;
	if (!install()) {
		execFileSync('apt-get', ['update'], { env, stdio: 'ignore' });
		if (!install()) throw new Error(`apt-get could not install ${missing.join(', ')}`);
	}
	log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** A free TCP port on 127.0.0.1. */
async function freePort() {
	const server = net.createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {net.AddressInfo} */ (server.address());
	await new Promise((resolve) => server.close(() => resolve(undefined)));
	return port;
}

/**
 * A child process that can be stopped for sure: SIGTERM (or the given signal), then
 * SIGKILL after a grace period; and killed if this process exits first.
 */
function supervise(child, name, stopSignal = 'SIGTERM') {
	const killOnExit = () => child.exitCode === null && child.kill('SIGKILL');
	process.on('exit', killOnExit);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		pid: child.pid,
		exited,
		async stop() {
			process.off('exit', killOnExit);
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill(stopSignal);
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
			log(`${name} (pid ${child.pid}) stopped`);
		},
	};
}

async function waitFor(check, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
}

/**
 * PostgreSQL in a throwaway data folder on 127.0.0.1: database `n8n`, user `n8n`, no
 * password (trust, loopback only). Returns the settings n8n needs and stop().
 */
async function startPostgres() {
	const bin = postgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed');
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-pg-'));
	// As root, PostgreSQL's programs run as the `postgres` user (spawned with its uid, so the pid is PostgreSQL's own).
	const user = process.getuid?.() === 0 ? postgresUser() : undefined;
	const as = { ...(user ?? {}), cwd: dataDir, env: { ...process.env, HOME: dataDir } };
	const runAs = (command, args, options = {}) => spawn(command, args, { ...as, ...options });
	const runAsSync = (command, args) => {
		const result = spawnSync(command, args, { ...as, encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(`${path.basename(command)} failed: ${result.stderr || result.stdout}`);
		return result.stdout;
	};
	if (user) {
		fs.chmodSync(dataDir, 0o700);
		fs.chownSync(dataDir, user.uid, user.gid);
	}
	runAsSync(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		'n8n',
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const port = await freePort();
	const child = runAs(
		path.join(bin, 'postgres'),
		['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dataDir, '-c', 'fsync=off'],
		{
			stdio: ['ignore', 'ignore', 'pipe'],
		},
	);
	let output = '';
	child.stderr?.on('data', (chunk) => (output += chunk));
	const process_ = supervise(child, 'PostgreSQL', 'SIGINT');
	await waitFor(
		() =>
			spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0,
		`PostgreSQL on port ${port}\n${output}`,
	);
	runAsSync(path.join(bin, 'createdb'), [
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		'n8n',
		'n8n',
	]);
	log(`PostgreSQL on 127.0.0.1:${port} (pid ${child.pid}, data ${dataDir})`);
	return {
		port,
		pid: child.pid,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
		/** Runs SQL in database `n8n` as user `n8n` (psql); returns its unaligned, tuples-only output. */
		sql(text) {
			return runAsSync(path.join(bin, 'psql'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				'n8n',
				'-d',
				'n8n',
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-c',
				text,
			]).trim();
		},
		async stop() {
			await process_.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/** The uid and gid of the `postgres` user that Debian's package creates. */
function postgresUser() {
	const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/** Redis on 127.0.0.1, in memory only. Returns the settings n8n needs and stop(). */
async function startRedis() {
	const port = await freePort();
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let output = '';
	child.stdout?.on('data', (chunk) => (output += chunk));
	const process_ = supervise(child, 'Redis');
	await waitFor(() => output.includes('Ready to accept connections'), `Redis on port ${port}`);
	log(`Redis on 127.0.0.1:${port} (pid ${child.pid})`);
	return {
		port,
		pid: child.pid,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: () => process_.stop(),
	};
}

module.exports = {
	ensureDebianPackages,
	startPostgres,
	startRedis,
	freePort,
	supervise,
	waitFor,
	portInUse,
	alive,
};
