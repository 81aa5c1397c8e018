#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm start`: a real n8n with the Crego node, on the Crego sandbox, ready to click.
 * Installs the pinned n8n into a cache folder the first time (minutes; reused later),
 * installs this package into it as n8n holds a community package, starts the sandbox,
 * a local mailbox for the example emails and n8n on 127.0.0.1, imports the "Crego
 * sandbox" credential and the example workflows, creates the owner, prints the URL and
 * login. Ctrl-C stops everything it started.
 *
 * Environment: CREGO_N8N_LINE (2.41.1 or 1.123.81), CREGO_N8N_PORT (5678),
 * CREGO_SANDBOX_PORT (8787), CREGO_N8N_CACHE (the cache folder).
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { createSandbox } = require('../sandbox/server');
const { ensureN8n, DEFAULT_LINE, CACHE_DIR } = require('./n8n/runtime');
const { createN8nInstance } = require('./n8n/instance');
const { createMailbox } = require('./n8n/mailbox');
const { examples, sandboxCredentials, OWNER } = require('./n8n/examples');

const root = path.resolve(__dirname, '..');
const line = process.env.CREGO_N8N_LINE || DEFAULT_LINE;
const n8nPort = Number(process.env.CREGO_N8N_PORT || 5678);
const sandboxPort = Number(process.env.CREGO_SANDBOX_PORT || 8787);
const SANDBOX_TOKEN = 'crego-sandbox-token';

function say(message) {
	process.stdout.write(`${message}\n`);
}

async function main() {
	const runtime = await ensureN8n(line);

	const dataDir = path.join(CACHE_DIR, `playground-n8n-${runtime.version}`);
	fs.mkdirSync(dataDir, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(dataDir, 'pack-'));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }),
	);

	const sandbox = createSandbox({ token: SANDBOX_TOKEN, port: sandboxPort });
	const sandboxUrl = await sandbox.start();
	const mailbox = createMailbox({
		onMessage: (message) => say(`\n--- email to ${message.to.join(', ')}: ${message.subject}\n${message.text}\n---`),
	});
	const smtpPort = await mailbox.start();

	const n8n = createN8nInstance({ runtime, dataDir, port: n8nPort, brokerPort: n8nPort + 1001 });
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n, the sandbox and the mailbox...');
		await n8n.stop();
		await sandbox.stop();
		await mailbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', stopAll);
	process.on('SIGTERM', stopAll);

	say(`Installing ${packed.filename} into ${path.join(dataDir, '.n8n/nodes/node_modules')}`);
	await n8n.installPackage(path.join(packDir, packed.filename));
	fs.rmSync(packDir, { recursive: true, force: true });
	n8n.provideFiles('crego-examples', examples.flatMap((example) => example.inputs));
	say('Importing the "Crego sandbox" credential and the example workflows...');
	await n8n.importCredentials(sandboxCredentials({ sandboxUrl, token: SANDBOX_TOKEN, smtpPort }));
	await n8n.importWorkflows(examples.map((example) => example.workflow));

	say(`Starting n8n ${runtime.version} on http://127.0.0.1:${n8nPort} ...`);
	await n8n.start();
	const owner = await n8n.rest('GET', '/rest/settings');
	const ownerIsSetUp = owner.body?.data?.userManagement?.showSetupOnFirstLoad === false;
	if (!ownerIsSetUp) await n8n.setupOwner(OWNER);

	say('');
	say(`n8n ${runtime.version} with the Crego node is ready:`);
	say(`  Open      http://127.0.0.1:${n8nPort}`);
	say(`  Log in    ${OWNER.email} / ${OWNER.password}`);
	say(`  Sandbox   ${sandboxUrl} (token ${SANDBOX_TOKEN}); credential "Crego sandbox"`);
	say(`  Examples  ${examples.map((example) => `"${example.name}"`).join(', ')}`);
	say(`  Files     ${path.join(dataDir, 'crego-examples')} (sample inputs, and what the workflows write)`);
	say('Emails the workflows send are printed here. Press Ctrl-C to stop everything.');
}

main().catch((error) => {
	console.error(`npm start failed: ${error.message}`);
	process.exit(1);
});
