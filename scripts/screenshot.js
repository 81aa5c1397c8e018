#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Takes the README's picture: the Crego node's parameter panel in the n8n editor.
 * Run by hand, not by CI, while `npm start` is running:
 *   apt-get install chromium      (Debian's Chromium; the script drives it, downloads nothing)
 *   node scripts/screenshot.js    (writes docs/crego-node-panel.png)
 * Environment: CREGO_N8N_URL (http://127.0.0.1:5678), CHROMIUM (/usr/bin/chromium).
 */

const path = require('node:path');
const { chromium } = require('playwright-core');

const { OWNER } = require('./n8n/examples');

const baseUrl = process.env.CREGO_N8N_URL || 'http://127.0.0.1:5678';
const output = path.resolve(__dirname, '..', 'docs', 'crego-node-panel.png');
// The "Mark payouts processed" node of the bank-file example: the operation with most fields.
const WORKFLOW_ID = 'cregoPayoutsXlsx';
const NODE_ID = 'b4';

async function main() {
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok) throw new Error(`login failed (${login.status}): is \`npm start\` running?`);
	const authCookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const [name, value] = authCookie.split('=');

	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
		await context.addCookies([{ name, value, url: baseUrl }]);
		const page = await context.newPage();
		await page.goto(`${baseUrl}/workflow/${WORKFLOW_ID}/${NODE_ID}`, { waitUntil: 'networkidle' });
		await page.getByText('Debit Bank ID').first().waitFor({ timeout: 30_000 });
		await page.waitForTimeout(1000);
		await page.screenshot({ path: output });
		console.log(`wrote ${path.relative(process.cwd(), output)}`);
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	console.error(error.message);
	process.exit(1);
});
