// @ts-check
'use strict';

/**
 * The examples' sample inputs in n8n's data folder, written as shipped unless the user
 * changed them: a file whose content differs from what was last written here is kept
 * (and listed), the way edited example workflows are. `--reset-examples` writes them all.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const WRITTEN = '.as-shipped.json';
const hash = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * @param {string} folder where n8n reads them
 * @param {string[]} files the shipped files
 * @param {{reset: boolean}} options
 * @returns {{written: string[], kept: string[]}} file names
 */
function provideSampleFiles(folder, files, { reset }) {
	fs.mkdirSync(folder, { recursive: true });
	const recordFile = path.join(folder, WRITTEN);
	let record = {};
	try {
		record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
	} catch {
		record = {};
	}
	const written = [];
	const kept = [];
	for (const file of files) {
		const name = path.basename(file);
		const target = path.join(folder, name);
		const current = fs.existsSync(target) ? hash(target) : undefined;
		const edited = current !== undefined && current !== record[name] && current !== hash(file);
		if (edited && !reset) {
			kept.push(name);
			continue;
		}
		fs.copyFileSync(file, target);
		record[name] = hash(target);
		written.push(name);
	}
	fs.writeFileSync(recordFile, JSON.stringify(record, null, 2));
	return { written, kept };
}

module.exports = { provideSampleFiles };
