/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/** scripts/checkLayers.js: the tree has no import pointing up a layer, and the check does catch one. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { upwardImports, LAYERS, DOORS } = require('../../scripts/checkLayers') as {
	upwardImports: (root: string) => { files: number; found: string[] };
	LAYERS: string[][];
	DOORS: Record<string, string[]>;
};

test('no import in nodes/ or credentials/ points up a layer', () => {
	const { files, found } = upwardImports(path.resolve(__dirname, '..', '..'));
	expect(files).toBeGreaterThan(50);
	expect(found).toEqual([]);
});

/** A tree of two files: `from` imports `to`. */
function tree(from: string, to: string) {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-layers-'));
	for (const file of [from, to]) {
		fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
	}
	fs.mkdirSync(path.join(root, 'credentials'), { recursive: true });
	const specifier = path
		.relative(path.dirname(path.join(root, from)), path.join(root, to))
		.replace(/\.ts$/, '');
	fs.writeFileSync(
		path.join(root, from),
		`import { x } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';\n`,
	);
	fs.writeFileSync(path.join(root, to), 'export const x = 1;\n');
	return root;
}

const FOLDERS = LAYERS.flat().filter((folder) => folder !== '.' && folder !== 'credentials');
/** A file of the folder; in a room with doors, a door (the layer rule alone is under test here). */
const fileIn = (folder: string) => `nodes/Crego/${folder}/${DOORS[folder]?.[0] ?? 'a'}.ts`;

test.each(FOLDERS.flatMap((from) => FOLDERS.map((to) => [from, to])))(
	'%s importing %s',
	(from, to) => {
		const layer = (folder: string) => LAYERS.findIndex((names) => names.includes(folder));
		const root = tree(fileIn(from), from === to ? `nodes/Crego/${to}/b.ts` : fileIn(to));
		try {
			expect(upwardImports(root).found.length).toBe(layer(to) > layer(from) ? 1 : 0);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	},
);

test('write safety is entered only by its doors: the run of writes, its options, the keys', () => {
	for (const door of ['writeSafety', 'duplicateKeys', 'ledger']) {
		const root = tree('nodes/Crego/run/a.ts', `nodes/Crego/writeSafety/${door}.ts`);
		try {
			expect(upwardImports(root).found.length).toBe(DOORS.writeSafety.includes(door) ? 0 : 1);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	}
	// Inside the room, any file may import any other.
	const root = tree('nodes/Crego/writeSafety/writeSafety.ts', 'nodes/Crego/writeSafety/ledger.ts');
	try {
		expect(upwardImports(root).found).toEqual([]);
	} finally {
		fs.rmSync(root, { recursive: true, force: true });
	}
});
