// @ts-check
'use strict';

/**
 * One `npm start` per n8n data folder. Two n8n processes on one folder share its database:
 * the second re-imports the "Crego sandbox" credential pointing at its own sandbox, and the
 * first n8n's runs then fail. The lock is a file created exclusively in the data folder,
 * holding the owner's pid and addresses; a lock whose owner is gone (killed outright) is
 * taken over. Only the owner removes it.
 */

const fs = require('node:fs');
const path = require('node:path');

const { alive } = require('./ports');

const lockFile = (dataDir) => path.join(dataDir, 'npm-start.json');

/** What the running start wrote about itself, or undefined. */
function readLock(dataDir) {
	try {
		return JSON.parse(fs.readFileSync(lockFile(dataDir), 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Takes the data folder for this process, or throws saying who holds it and what to do.
 * @param {string} dataDir
 * @param {Record<string, unknown>} about what a later start may read (ports, URL)
 */
function lockDataFolder(dataDir, about) {
	const file = lockFile(dataDir);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, JSON.stringify({ pid: process.pid, ...about }), { flag: 'wx' });
			return ownedLock(dataDir);
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		const holder = readLock(dataDir);
		if (holder && alive(holder.pid)) {
			throw new Error(
				`n8n's data folder ${dataDir} is in use by another \`npm start\` (pid ${holder.pid}${holder.n8nUrl ? `, n8n at ${holder.n8nUrl}` : ''}). ` +
					`One n8n per data folder: two would share one database and overwrite each other's "Crego sandbox" credential. ` +
					`Use the running one, stop it (Ctrl-C in its terminal, or: kill ${holder.pid}), or give this one a folder of its own: CREGO_PLAYGROUND_DIR=/some/other/folder npm start`,
			);
		}
		// Its owner is gone (killed outright): the folder is free.
		fs.rmSync(file, { force: true });
	}
	throw new Error(
		`could not lock n8n's data folder ${dataDir}: another start took it at the same moment`,
	);
}

function ownedLock(dataDir) {
	const file = lockFile(dataDir);
	return {
		/** Adds to what a later start may read (n8n's pid once it runs). */
		update(more) {
			fs.writeFileSync(file, JSON.stringify({ ...readLock(dataDir), ...more, pid: process.pid }));
		},
		/** Frees the folder, if this process still holds it. */
		release() {
			if (readLock(dataDir)?.pid === process.pid) fs.rmSync(file, { force: true });
		},
	};
}

module.exports = { lockDataFolder, readLock };
