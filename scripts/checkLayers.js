// @ts-check
'use strict';

/**
 * The node's layers, bottom first. A file may import from its own layer and the ones
 * below it, never from one above: the money rules (writeSafety) can change without
 * touching HTTP (transport), and endpoints (actions) only describe requests.
 * Run by `npm run lint`; exits 1 naming every import that points up, or that enters
 * write safety by another file than its doors.
 */

const fs = require('node:fs');
const path = require('node:path');

const LAYERS = [
	['values', 'model'], // what a value means: parsers and Crego's objects, nothing of n8n's run
	['vocabulary'], // the words every layer shares: request, outcome, item result, row names
	['transport'], // HTTP to Crego: one request, its answer, its outcome
	['writeSafety'], // money moves at most once: guard, keys, ledger, resume, breaker
	['run'], // the run: plan, order, pace, stop, summary, output items
	['actions'], // the documented endpoints: fields and the request each item makes
	['.', 'credentials'], // the node and the credential n8n loads
];

/**
 * Write safety is a room with doors: from outside it, only these files may be imported —
 * the one entry for a run of writes, the options it owns, and the keys operations build.
 */
const DOORS = {
	writeSafety: ['writeSafety', 'writeOptions', 'duplicateKeys'],
};

/** The folder under nodes/Crego a file is in (or '.' / 'credentials'). */
function folderOf(root, file) {
	const relative = path.relative(root, file).split(path.sep);
	return relative[0] === 'credentials' ? 'credentials' : relative.length > 3 ? relative[2] : '.';
}

/** The layer of a file, by its folder under nodes/Crego (the node's own folder and credentials/ are the top). */
function layerOf(root, file) {
	const folder = folderOf(root, file);
	const index = LAYERS.findIndex((names) => names.includes(folder));
	if (index < 0)
		throw new Error(
			`${path.relative(root, file)} is in no layer: add its folder to scripts/checkLayers.js`,
		);
	return index;
}

const IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every import that points up a layer or enters write safety by another door, as "file → import (why)". */
function upwardImports(root) {
	const sources = [];
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.ts')) sources.push(full);
		}
	};
	walk(path.join(root, 'nodes'));
	walk(path.join(root, 'credentials'));
	const found = [];
	for (const file of sources) {
		const from = layerOf(root, file);
		for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
			const target = path.resolve(path.dirname(file), specifier);
			const to = layerOf(root, target);
			if (to > from)
				found.push(
					`${path.relative(root, file)} → ${specifier} (${LAYERS[from].join('/')} imports ${LAYERS[to].join('/')})`,
				);
			const room = folderOf(root, target);
			const door = path.basename(target).replace(/\.(ts|js)$/, '');
			if (DOORS[room] && folderOf(root, file) !== room && !DOORS[room].includes(door)) {
				found.push(
					`${path.relative(root, file)} → ${specifier} (${room} is entered only through ${DOORS[room].join(', ')})`,
				);
			}
		}
	}
	return { files: sources.length, found };
}

module.exports = { LAYERS, DOORS, upwardImports };

if (require.main === module) {
	const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
	const { files, found } = upwardImports(root);
	if (found.length) {
		console.error(
			`Imports that point up a layer (see scripts/checkLayers.js):\n${found.map((line) => `  ${line}`).join('\n')}`,
		);
		process.exit(1);
	}
	console.log(
		`layers: ${files} files, no import points up, write safety entered only by its doors`,
	);
}
