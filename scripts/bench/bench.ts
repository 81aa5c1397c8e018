/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * `npm run bench`: how fast the node is, measured, every figure from this run. Prints each
 * row as it is measured, then every target of issue 14 with met / not met, and writes all
 * of it to bench-results.json. The parts, in order (`--only a,b` runs some of them):
 *  month-end  Process Payout over 5,000 distinct payouts at 300 ms, at the defaults and with
 *             a fault mix (monthEnd.ts);
 *  ledger     the same 5,000 with the ledger on, and a 20,000-row sheet run again: time
 *             and store time (ledgerCost.ts);
 *  ceilings   the same write at 1,000 rows under Concurrent Requests 5 to 50;
 *  in-process Get Record through n8n-core's engine against a plain axios loop and a probe
 *             of n8n's request helpers (inProcess.ts);
 *  memory     peak RSS growth while 50,000 items go through the node;
 *  answers    a 201 carrying a 600 MiB gzip bomb: the node against n8n's helper reading it
 *             its default way, each in a process of its own (answerBound.ts);
 *  package    tarball size, load time;
 *  n8n        a real n8n 2.41.1: the Crego node against n8n's HTTP Request node (realN8n.ts).
 * Options: --quick (smaller runs, for a try); --profile (only the capped real-n8n runs,
 * under V8's CPU profiler, with where the CPU went).
 * A benchmark, not a test: it asserts nothing, it judges.
 */
import { Logger } from '@n8n/backend-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LoggerProxy } from 'n8n-workflow';

import { answerBound } from './answerBound';
import { inProcess, memory } from './inProcess';
import { ledgerCost } from './ledgerCost';
import { monthEndWrites, writeCeilings } from './monthEnd';
import { packageFigures } from './packageFigures';
import { profiles, realN8n } from './realN8n';
import { printTargets, rows, targets } from './results';

const argument = (name: string) =>
	process.argv.find((each) => each.startsWith(`${name}=`))?.slice(name.length + 1);
const quick = process.argv.includes('--quick');
const profiling = process.argv.includes('--profile');
const PARTS = [
	'month-end',
	'ledger',
	'ceilings',
	'in-process',
	'memory',
	'answers',
	'package',
	'n8n',
] as const;
const only = argument('--only')?.split(',');
const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);

// n8n-core logs every node error; a benchmark wants its table only.
for (const level of ['error', 'warn', 'info', 'debug'] as const) Logger.prototype[level] = () => {};
LoggerProxy.init({ error() {}, warn() {}, info() {}, debug() {} } as never);

async function main() {
	const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
	console.log(`Crego node benchmark — ${machine}${quick ? ' (quick)' : ''}`);
	const unknown = only?.filter((part) => !(PARTS as readonly string[]).includes(part));
	if (unknown?.length)
		throw new Error(`--only: no part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
	let pkg: ReturnType<typeof packageFigures> | undefined;
	if (profiling) await realN8n({ quick, profiling });
	else {
		if (runs('month-end')) await monthEndWrites(quick);
		if (runs('ledger')) await ledgerCost(quick);
		if (runs('ceilings')) await writeCeilings(quick);
		if (runs('in-process')) await inProcess(quick);
		if (runs('memory')) await memory(quick);
		if (runs('answers')) await answerBound();
		if (runs('package')) pkg = packageFigures();
		if (runs('n8n')) await realN8n({ quick, profiling });
	}
	printTargets();
	const file = path.join(path.resolve(__dirname, '../..'), 'bench-results.json');
	fs.writeFileSync(
		file,
		JSON.stringify(
			{ when: new Date().toISOString(), machine, quick, rows, targets, package: pkg, profiles },
			null,
			2,
		),
	);
	console.log(`Figures written to ${path.relative(process.cwd(), file)}`);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
