// @ts-check
'use strict';

/**
 * A real n8n for trying and testing the package, installed once into a cache folder
 * outside the repository and reused. Two lines are supported, as users run both:
 *   - n8n 2.41.1 on Node 24 (n8n >= 2.36 refuses older Node): the system Node when it
 *     is 24 or newer, else Node 24 from the npm registry's package for this platform;
 *   - n8n 1.123.81 on the machine's own Node 20.
 * What each line needs to install here is measured in ../../shared/n8n-runtime.md and
 * summarised in the README ("Supported n8n versions").
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const NODE_24_VERSION = '24.21.0';

const CACHE_DIR =
	process.env.CREGO_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-crego');

/** The pinned n8n lines: exact versions, since the registry lacks some newer patches. */
const LINES = {
	'2.41.1': {
		version: '2.41.1',
		nodeMajor: 24,
		packageJson: {
			dependencies: { n8n: '2.41.1', 'date-fns': '^2.30.0', 'ts-toolbelt': '^9.6.0' },
			overrides: {
				linkedom: '0.18.14',
				'@langchain/langgraph-sdk': '1.12.4',
				langchain: { '@langchain/langgraph': '1.4.18' },
			},
			allowScripts: {
				sqlite3: true,
				'isolated-vm': true,
				protobufjs: true,
				'@parcel/watcher': true,
				'msgpackr-extract': true,
				'cpu-features': true,
				ssh2: true,
				'@sentry/node-cpu-profiler': true,
				'@sentry/node-native-stacktrace': true,
				'vue-demi': true,
				oracledb: true,
				'@confluentinc/kafka-javascript': false,
				'@scarf/scarf': false,
				'agent-browser': false,
			},
		},
		installArgs: ['--legacy-peer-deps'],
		rebuild: [],
		env: {},
	},
	'1.123.81': {
		version: '1.123.81',
		nodeMajor: 20,
		packageJson: {
			// date-fns is a peer that --legacy-peer-deps drops: Extract From File needs it.
			dependencies: { n8n: '1.123.81', 'date-fns': '^2.30.0' },
			overrides: {
				// n8n-nodes-base points xlsx at a tarball off the registry.
				xlsx: 'npm:@e965/xlsx@0.20.2',
				// Newer checkpoints import @langchain/core/utils/uuid, which the core that
				// n8n 1.123 pins does not export: `n8n start` then fails to load.
				'@langchain/langgraph-checkpoint': '1.1.0',
			},
		},
		installArgs: ['--ignore-scripts', '--legacy-peer-deps'],
		rebuild: ['sqlite3'],
		// The default expression engine needs isolated-vm, which does not build on Node 20.
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

const DEFAULT_LINE = '2.41.1';

function log(message) {
	process.stdout.write(`[n8n-runtime] ${message}\n`);
}

/**
 * Runs npm with its output shown. npm's per-request and per-script lines are counted
 * instead of shown: a minutes-long install prints one progress line every 10 seconds,
 * naming its phase — downloading packages, or building a native module (npm's
 * `npm info run <package> install` lines say which). npm's warnings about the machine's
 * own `nodedir` setting (which this script must set for native builds) are left out.
 */
function runNpm(args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		let requests = 0;
		let phase = 'downloading packages';
		const child = spawn('npm', [...args, '--loglevel=info'], {
			cwd,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const progress = setInterval(() => {
			log(
				`... ${phase}: ${requests} registry requests so far, ${Math.round((Date.now() - started) / 1000)} s`,
			);
		}, 10_000);
		const show = (chunk) => {
			for (const line of String(chunk).split('\n')) {
				const script = /^npm info run (\S+?)@\S+ (preinstall|install|postinstall)/.exec(line);
				if (script) phase = `building native modules (${script[1]})`;
				if (line.startsWith('npm http')) requests++;
				else if (
					line.startsWith('npm info') ||
					line.startsWith('npm timing') ||
					/Unknown (user|env) config "nodedir"/.test(line)
				)
					continue;
				else if (line.trim()) process.stdout.write(`${line}\n`);
			}
		};
		child.stdout.on('data', show);
		child.stderr.on('data', show);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearInterval(progress);
			if (code === 0) resolve(undefined);
			else reject(new Error(`npm ${args.join(' ')} exited with ${code}`));
		});
	});
}

/** Node's binary folder for a major version: the system Node when it fits, else the registry's package. */
async function ensureNode(major) {
	const systemMajor = Number(process.versions.node.split('.')[0]);
	if (major === 20 ? systemMajor >= 20 && systemMajor <= 24 : systemMajor >= major) {
		return { binDir: path.dirname(process.execPath), nodeDir: undefined };
	}
	const platform = process.platform === 'win32' ? 'win' : process.platform;
	const packageName = `node-${platform}-${process.arch}`;
	const dir = path.join(CACHE_DIR, `node-${NODE_24_VERSION}`);
	const packageDir = path.join(dir, 'node_modules', packageName);
	const binDir = process.platform === 'win32' ? packageDir : path.join(packageDir, 'bin');
	if (!fs.existsSync(path.join(binDir, process.platform === 'win32' ? 'node.exe' : 'node'))) {
		log(
			`Node ${systemMajor} is too old for n8n ${LINES[DEFAULT_LINE].version}: installing Node ${NODE_24_VERSION} (${packageName}) into ${dir}`,
		);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ name: 'node-runtime', private: true }, null, 2),
		);
		await runNpm(
			['install', '--no-audit', '--no-fund', '--no-save', `${packageName}@${NODE_24_VERSION}`],
			{ cwd: dir, env: process.env },
		);
	}
	return { binDir, nodeDir: packageDir };
}

/** n8n's database driver is a native module: without its build, every n8n command fails. */
function sqliteBuilt(dir) {
	return fs.existsSync(
		path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
	);
}

/** The environment n8n and its installer run in: the right Node first on PATH. */
function envFor(node, line, extra = {}) {
	const env = { ...process.env, ...line.env, ...extra };
	// Started from a test runner, n8n would see NODE_ENV=test and behave as in its own tests.
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	// Started through `npm run`, npm hands this project's .npmrc down as npm_config_*
	// variables: ignore-scripts would stop sqlite3 from being built for n8n.
	for (const key of Object.keys(env)) {
		if (/^npm_(config_(ignore_scripts|legacy_peer_deps)|package_|lifecycle_)/i.test(key))
			delete env[key];
	}
	env.PATH = `${node.binDir}${path.delimiter}${process.env.PATH}`;
	if (node.nodeDir) env.npm_config_nodedir = node.nodeDir;
	return env;
}

/**
 * Installs the n8n line into the cache once (minutes, with npm's progress shown) and
 * returns how to run it. A finished install is marked, so an interrupted one is redone.
 */
async function ensureN8n(lineName = DEFAULT_LINE) {
	const line = LINES[lineName];
	if (!line)
		throw new Error(`Unknown n8n line ${lineName}; known: ${Object.keys(LINES).join(', ')}`);
	const node = await ensureNode(line.nodeMajor);
	const dir = path.join(CACHE_DIR, `n8n-${line.version}`);
	// The marker holds the package.json it installed: a changed pin reinstalls.
	const marker = path.join(dir, '.installed');
	const spec = JSON.stringify(
		{ name: `n8n-runtime-${line.version}`, private: true, ...line.packageJson },
		null,
		2,
	);
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== spec) {
		const started = Date.now();
		log(
			`Installing n8n ${line.version} into ${dir} — the first time takes a few minutes; later runs reuse it.`,
		);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), spec);
		const env = envFor(node, line);
		await runNpm(['install', '--no-audit', '--no-fund', ...line.installArgs], { cwd: dir, env });
		if (line.rebuild.length) await runNpm(['rebuild', ...line.rebuild], { cwd: dir, env });
		fs.writeFileSync(marker, spec);
		log(`n8n ${line.version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	}
	if (!sqliteBuilt(dir)) {
		log("Building sqlite3, n8n's database driver (about a minute)...");
		await runNpm(['rebuild', 'sqlite3'], { cwd: dir, env: envFor(node, line) });
		if (!sqliteBuilt(dir))
			throw new Error(
				`sqlite3 could not be built in ${dir}: n8n cannot open its database. See the output above.`,
			);
	}
	return {
		version: line.version,
		dir,
		/** Runs n8n's CLI with this line's Node. */
		command: path.join(node.binDir, process.platform === 'win32' ? 'node.exe' : 'node'),
		args: [bin],
		env: (extra) => envFor(node, line, extra),
	};
}

module.exports = { ensureN8n, LINES, DEFAULT_LINE, CACHE_DIR };

if (require.main === module) {
	const lines = process.argv.slice(2).length ? process.argv.slice(2) : [DEFAULT_LINE];
	(async () => {
		for (const name of lines) {
			const n8n = await ensureN8n(name);
			log(`n8n ${n8n.version} ready: ${n8n.command} ${n8n.args.join(' ')}`);
		}
	})().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
