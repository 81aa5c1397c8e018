#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run sandbox`: starts the Crego sandbox on 127.0.0.1 and prints its URL and token.
 * Options: --port N (default 8787), --token T (default "crego-sandbox-token"),
 * --latency MS (wait before every answer, like a remote API; default 0).
 * Runs until Ctrl-C.
 */

const { createSandbox } = require('./server');
const { ids } = require('./seed');

function option(name, fallback) {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const token = option('token', process.env.CREGO_SANDBOX_TOKEN || 'crego-sandbox-token');
const port = Number(option('port', process.env.CREGO_SANDBOX_PORT || 8787));
const latencyMs = Number(option('latency', 0));
const sandbox = createSandbox({ token, port, latencyMs });

sandbox.start().then(
	(url) => {
		console.log(`Crego sandbox listening on ${url}`);
		console.log(`  Base URL:     ${url}`);
		console.log(`  Access token: ${token}`);
		if (latencyMs) console.log(`  Latency:      ${latencyMs} ms per answer`);
		console.log(`  Demo loan:    ${ids.DOCS_LOAN_ID} (also ${ids.DEMO_LOAN_IDS.join(', ')})`);
		console.log(`  Demo payout:  ${ids.DOCS_PAYOUT_ID} (also ${ids.DEMO_PAYOUT_IDS.join(', ')})`);
		console.log(`  Demo record:  ${ids.DOCS_RECORD_ID}`);
		console.log(`  Debit bank:   ${ids.DOCS_DEBIT_BANK_ID}`);
		console.log('Press Ctrl-C to stop.');
	},
	(error) => {
		console.error(`Could not start the sandbox: ${error.message}`);
		process.exit(1);
	},
);

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => sandbox.stop().then(() => process.exit(0)));
}
