// `npm run scan`: n8n's community package scanner, offline. Its CLI downloads the
// published package and its attested source; here the same two legs run on what we
// would publish: the unpacked `npm pack` tarball (compiled .js and package.json) and
// the source tree (package.json, nodes/, credentials/), with the scanner's own rules.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scanDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(scanDir, '..');

function run(command, args, cwd) {
	const result = spawnSync(command, args, {
		cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (result.status !== 0) {
		console.error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
		process.exit(1);
	}
	return result.stdout;
}

if (!fs.existsSync(path.join(scanDir, 'node_modules', '@n8n', 'scan-community-package'))) {
	console.log('Installing the scanner into scan/node_modules (once)...');
	run('npm', ['ci', '--no-audit', '--no-fund'], scanDir);
}
if (!fs.existsSync(path.join(root, 'dist'))) {
	console.error('dist/ is missing: run `npm run build` first.');
	process.exit(1);
}

const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crego-scan-'));
try {
	const [packed] = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root),
	);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	run(
		'tar',
		['-xzf', path.join(work, packed.filename), '-C', unpacked, '--strip-components=1'],
		work,
	);

	const legs = [
		{
			name: `tarball ${packed.filename} (${packed.files.length} files)`,
			dir: unpacked,
			patterns: ['**/*.js', 'package.json'],
		},
		{
			name: 'source (package.json, nodes/, credentials/)',
			dir: root,
			patterns: SOURCE_FILE_PATTERNS,
		},
	];
	let failed = false;
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		console.log(
			`${result.passed ? 'PASS' : 'FAIL'} scan of the ${leg.name}${result.message ? `: ${result.message}` : ''}`,
		);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
