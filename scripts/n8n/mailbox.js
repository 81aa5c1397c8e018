// @ts-check
'use strict';

/**
 * A local SMTP server on 127.0.0.1 that keeps every email it receives, so the example
 * workflows' summaries can be read (by `npm start`, which prints them) and asserted (by
 * the end-to-end tests). No TLS, no authentication: it is for loopback only.
 */

const { SMTPServer } = require('smtp-server');

/** Decodes a quoted-printable body (nodemailer's choice for long text lines). */
function decodeQuotedPrintable(text) {
	const bytes = text
		.replace(/=\r?\n/g, '')
		.replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Splits a simple (single-part) message into headers and a decoded text body. */
function parseMessage(raw) {
	const [head, ...rest] = raw.split(/\r?\n\r?\n/);
	const headers = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const at = line.indexOf(':');
		if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
	}
	let body = rest.join('\n\n');
	const encoding = String(headers['content-transfer-encoding'] ?? '').toLowerCase();
	if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
	if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
	return {
		headers,
		subject: decodeHeader(headers.subject ?? ''),
		text: body.replace(/\r\n/g, '\n').trim(),
	};
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?...?= or =?UTF-8?B?...?=) in a header. */
function decodeHeader(value) {
	return value.replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=\s*/gi, (_, _charset, kind, data) =>
		kind.toUpperCase() === 'B'
			? Buffer.from(data, 'base64').toString('utf8')
			: decodeQuotedPrintable(data.replace(/_/g, ' ')),
	);
}

/**
 * @param {{port?: number, onMessage?: (message: {from: string, to: string[], subject: string, text: string}) => void}} options
 */
function createMailbox({ port = 0, onMessage = () => {} } = {}) {
	/** @type {Array<{from: string, to: string[], subject: string, text: string, raw: string}>} */
	const messages = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (chunk) => chunks.push(chunk));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const parsed = parseMessage(raw);
				const message = {
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					subject: parsed.subject,
					text: parsed.text,
					raw,
				};
				messages.push(message);
				onMessage(message);
				callback();
			});
		},
	});
	return {
		messages,
		/** @returns {Promise<number>} the port it listens on */
		start() {
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', () =>
					resolve(/** @type {import('node:net').AddressInfo} */ (server.server.address()).port),
				);
			});
		},
		stop() {
			return new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * An email as a person reads it in a terminal: an HTML one (n8n's approval emails) with
 * its tags dropped and each button as "label: link", so the link can be opened.
 * @param {{text: string}} message
 */
function readableText(message) {
	const { text } = message;
	if (!/^\s*<(!doctype|html|body|div|table|p)\b/i.test(text)) return text;
	return text
		.replace(/<style[\s\S]*?<\/style>/gi, '')
		.replace(
			/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi,
			(_, href, label) => `\n${label.trim()}: ${href}\n`,
		)
		.replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.split('\n')
		.map((line) => line.trim())
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

module.exports = {
	readableText,
	createMailbox,
};
