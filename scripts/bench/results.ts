/* eslint-disable -- never published: n8n's node rules (n8n-node lint) do not apply; eslint.dev.config.mjs checks this file */
/**
 * The bench's figures: every measured row (printed as it comes, written to
 * bench-results.json) and the targets of issue 14, each judged met / not met from them.
 */

export interface Row {
	part: string;
	case: string;
	items: number;
	latencyMs: number;
	concurrency: number | string;
	seconds: number;
	itemsPerSecond: number;
	ratio?: string;
	note?: string;
}

export const rows: Row[] = [];

export function record(row: Omit<Row, 'itemsPerSecond'>): Row {
	const full = { ...row, itemsPerSecond: Math.round(row.items / row.seconds) };
	rows.push(full);
	console.log(
		`${full.part.padEnd(11)} ${full.case.padEnd(44)} ${String(full.items).padStart(6)} items  ${String(full.latencyMs).padStart(3)} ms  c=${String(full.concurrency).padEnd(9)} ${full.seconds.toFixed(2).padStart(7)} s  ${String(full.itemsPerSecond).padStart(6)}/s ${full.ratio ?? ''} ${full.note ?? ''}`,
	);
	return full;
}

export interface Target {
	target: string;
	figure: string;
	met: boolean;
}

export const targets: Target[] = [];

export function judge(target: string, figure: string, met: boolean): void {
	targets.push({ target, figure, met });
}

export function printTargets(): void {
	console.log('\nTargets:');
	for (const { target, figure, met } of targets)
		console.log(`  ${met ? 'met    ' : 'NOT MET'}  ${target}: ${figure}`);
}

/** The middle one of three (or more) runs, by `measure`: a single run on a shared machine varies too much. */
export function median<T>(runs: T[], measure: (run: T) => number): T {
	return [...runs].sort((a, b) => measure(a) - measure(b))[Math.floor(runs.length / 2)];
}
