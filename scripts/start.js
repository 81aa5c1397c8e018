#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm start`: a real n8n with the Crego node, on the Crego sandbox, ready to click.
 * Builds the package, installs the pinned n8n into a cache folder the first time
 * (minutes; reused later), installs this package into it as n8n holds a community
 * package, starts the sandbox, a local mailbox for the example emails and n8n on
 * 127.0.0.1, imports the "Crego sandbox" credential and the example workflows that are
 * not there yet (never overwriting one you edited; `npm start -- --reset-examples`
 * restores them as shipped), creates the owner, and prints the URL, the login and the
 * sandbox's demo IDs.
 *
 * Stopping: Ctrl-C, SIGTERM or SIGHUP to this process or to the `npm start` above it
 * stops everything it started (n8n with its task runner, the sandbox, the mailbox). If
 * npm dies, this process notices and stops too; if this process is killed outright, a
 * small watchdog stops n8n.
 *
 * Environment: CREGO_N8N_LINE (2.41.1 or 1.123.81), CREGO_N8N_PORT (5678),
 * CREGO_SANDBOX_PORT (8787), CREGO_N8N_CACHE (the cache folder), CREGO_PLAYGROUND_DIR
 * (n8n's data for `npm start`; default in the cache folder).
 */

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ensureN8n, DEFAULT_LINE, CACHE_DIR } = require('./n8n/runtime');
const { createN8nInstance } = require('./n8n/instance');
const { createMailbox, readableText } = require('./n8n/mailbox');
const { examples, sandboxCredentials, OWNER } = require('./n8n/examples');
const { alive, portInUse, startScriptAbove, whoListens } = require('./n8n/ports');
const { lockDataFolder, readLock } = require('./n8n/dataFolderLock');
const { provideSampleFiles } = require('./n8n/sampleFiles');

const root = path.resolve(__dirname, '..');
const line = process.env.CREGO_N8N_LINE || DEFAULT_LINE;
const n8nPort = Number(process.env.CREGO_N8N_PORT || 5678);
const sandboxPort = Number(process.env.CREGO_SANDBOX_PORT || 8787);
const brokerPort = n8nPort + 1001;
const resetExamples = process.argv.includes('--reset-examples');
const SANDBOX_TOKEN = 'crego-sandbox-token';

function say(message) {
	process.stdout.write(`${message}\n`);
}

/** Stops what has been started so far (set once there is something to stop). */
let stopAll = (/** @type {string} */ _why) => process.exit(1);

/** Refuses to start on a busy port, saying who holds it and how to stop it. */
async function checkPorts(dataDir) {
	const earlier = readLock(dataDir);
	const problems = [];
	for (const [port, what, setting] of [
		[sandboxPort, 'the sandbox', 'CREGO_SANDBOX_PORT'],
		[n8nPort, 'n8n', 'CREGO_N8N_PORT'],
		[brokerPort, "n8n's task broker", 'CREGO_N8N_PORT'],
	]) {
		if (!(await portInUse(port))) continue;
		const holder = whoListens(port);
		const earlierStart =
			earlier && [earlier.pid, earlier.n8nPid].includes(holder?.pid) && alive(earlier.pid)
				? earlier.pid
				: holder && startScriptAbove(holder.pid);
		const who = holder
			? `pid ${holder.pid} (${holder.command.slice(0, 100)})`
			: 'a program this user cannot see';
		problems.push(
			earlierStart
				? `Port ${port} (${what}) is held by an earlier \`npm start\` that is still running (pid ${earlierStart}). Stop it with Ctrl-C in its terminal, or: kill ${earlierStart}; or choose another port with ${setting}.`
				: `Port ${port} (${what}) is in use by ${who}. Stop that program${holder ? ` (kill ${holder.pid})` : ''}, or choose another port with ${setting}.`,
		);
	}
	if (problems.length) throw new Error(`cannot start:\n  ${problems.join('\n  ')}`);
}

/**
 * `npm run build`'s three steps (n8n-node build, the codex, the schema previews), run directly: not
 * through `npm run`, which would sit between this process and its signals. Before anything
 * else: the sandbox reads Crego's objects from the build, and a fresh clone has none.
 */
function build() {
	say('Building the package...');
	execFileSync(
		process.execPath,
		[path.join(root, 'node_modules/@n8n/node-cli/bin/n8n-node.mjs'), 'build'],
		{
			cwd: root,
			stdio: 'inherit',
		},
	);
	execFileSync(
		process.execPath,
		[path.join(root, 'node_modules/gulp/bin/gulp.js'), '--silent', 'build:codex'],
		{ cwd: root, stdio: 'inherit' },
	);
	execFileSync(process.execPath, [path.join(root, 'scripts/build/schemas.js')], {
		cwd: root,
		stdio: 'inherit',
	});
}

async function main() {
	const dataDir =
		process.env.CREGO_PLAYGROUND_DIR || path.join(CACHE_DIR, `playground-n8n-${line}`);
	fs.mkdirSync(dataDir, { recursive: true });
	const lock = lockDataFolder(dataDir, { n8nUrl: `http://127.0.0.1:${n8nPort}` });
	stopAll = () => {
		lock.release();
		process.exit(1);
	};
	await checkPorts(dataDir);
	build();
	const { createSandbox } = require('../sandbox/server');
	const { ids } = require('../sandbox/seed');
	const runtime = await ensureN8n(line);

	const n8n = createN8nInstance({ runtime, dataDir, port: n8nPort, brokerPort });
	const sandbox = createSandbox({ token: SANDBOX_TOKEN, port: sandboxPort });
	const mailbox = createMailbox({
		onMessage: (message) =>
			say(
				`\n--- email to ${message.to.join(', ')}: ${message.subject}\n${readableText(message)}\n---`,
			),
	});
	let stopping;
	stopAll = (why) =>
		(stopping ??= (async () => {
			say(`\n${why}: stopping n8n, the sandbox and the mailbox...`);
			await n8n.stop();
			await sandbox.stop();
			await mailbox.stop();
			lock.release();
			say('Stopped.');
			process.exit(why === 'error' ? 1 : 0);
		})());
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal));
	// npm forwards only SIGINT and SIGTERM: if npm itself dies (SIGHUP, SIGKILL), this process is re-parented.
	const parent = process.ppid;
	setInterval(() => process.ppid !== parent && stopAll('npm start ended'), 500).unref();
	process.on('uncaughtException', (error) => {
		console.error(`npm start failed: ${error.message}`);
		void stopAll('error');
	});

	const sandboxUrl = await sandbox.start();
	const smtpPort = await mailbox.start();

	const packDir = fs.mkdtempSync(path.join(dataDir, 'pack-'));
	const [packed] = JSON.parse(
		execFileSync(
			'npm',
			['pack', '--json', '--ignore-scripts', '--loglevel=error', '--pack-destination', packDir],
			{ cwd: root, encoding: 'utf8' },
		),
	);
	say(`Installing ${packed.filename} into ${path.join(dataDir, '.n8n/nodes/node_modules')}`);
	await n8n.installPackage(path.join(packDir, packed.filename));
	fs.rmSync(packDir, { recursive: true, force: true });
	const samplesDir = path.join(dataDir, 'crego-examples');
	const samples = provideSampleFiles(
		samplesDir,
		// Each sample once, though several examples read it.
		[...new Set(examples.flatMap((example) => example.inputs))],
		{ reset: resetExamples },
	);
	if (samples.kept.length)
		say(
			`Sample files kept as you left them: ${samples.kept.join(', ')} (npm start -- --reset-examples restores them as shipped)`,
		);
	say('Importing the "Crego sandbox" credential...');
	await n8n.importCredentials(sandboxCredentials({ sandboxUrl, token: SANDBOX_TOKEN, smtpPort }));
	const existing = new Map((await n8n.workflows()).map(({ id, name }) => [id, name]));
	const toImport = resetExamples
		? examples
		: examples.filter((example) => !existing.has(example.id));
	const kept = examples.filter((example) => !toImport.includes(example));
	if (toImport.length) {
		say(
			`${resetExamples ? 'Restoring' : 'Importing'} example workflows: ${toImport.map((example) => `"${example.name}"`).join(', ')}`,
		);
		await n8n.importWorkflows(toImport.map((example) => example.workflow));
	}
	// Named as the user sees them now: an edited example may have been renamed.
	const shownName = (example) =>
		`"${toImport.includes(example) ? example.name : existing.get(example.id)}"`;
	if (kept.length)
		say(
			`Kept as you left them: ${kept.map(shownName).join(', ')} (npm start -- --reset-examples restores them as shipped)`,
		);

	say(`Starting n8n ${runtime.version} on http://127.0.0.1:${n8nPort} ...`);
	await n8n.start({ ownProcessGroup: true });
	// If this process is killed outright, the watchdog stops n8n and its task runner.
	spawn(
		process.execPath,
		[path.join(__dirname, 'n8n/watchdog.js'), String(process.pid), String(n8n.pid)],
		{ detached: true, stdio: 'ignore' },
	).unref();
	lock.update({ n8nPid: n8n.pid, ports: [n8nPort, sandboxPort, brokerPort, smtpPort] });
	const owner = await n8n.rest('GET', '/rest/settings');
	const ownerIsSetUp = owner.body?.data?.userManagement?.showSetupOnFirstLoad === false;
	if (!ownerIsSetUp) await n8n.setupOwner(OWNER);

	say('');
	say(`n8n ${runtime.version} with the Crego node is ready:`);
	say(`  Open      http://127.0.0.1:${n8nPort}`);
	say(`  Log in    ${OWNER.email} / ${OWNER.password}`);
	say(`  Sandbox   ${sandboxUrl} (token ${SANDBOX_TOKEN}); credential "Crego sandbox"`);
	say(`  Loans     ${[ids.DOCS_LOAN_ID, ...ids.DEMO_LOAN_IDS].join(', ')}`);
	say(`  Payouts   ${[ids.DOCS_PAYOUT_ID, ...ids.DEMO_PAYOUT_IDS].join(', ')}`);
	say(`  Record    ${ids.DOCS_RECORD_ID}   Debit bank ${ids.DOCS_DEBIT_BANK_ID}`);
	say(`  Examples  ${examples.map(shownName).join(', ')}`);
	say(`  Files     ${samplesDir} (sample inputs, and what the workflows write)`);
	say(
		`Emails the workflows send are printed here. Press Ctrl-C to stop everything (pid ${process.pid}).`,
	);
}

main().catch((error) => {
	console.error(`npm start failed: ${error.message}`);
	void stopAll('error');
});
