import type { NodeExecutionHint } from 'n8n-workflow';

import type { Pace } from './pace';
import { rowList } from '../vocabulary/rowNames';
import type { ItemResult } from '../vocabulary/itemResult';

/**
 * The line n8n shows above the output after a run (an execution hint): how many rows were
 * done, already done earlier, rejected, not sent and of unknown outcome, and what to do
 * about the ones that need a person. Reads count what they read (a listing of 28
 * settlements is 28, not one request). The pace is told only when Crego made the node
 * slow down: otherwise it is nothing the user needs to act on. Values Simplify could not
 * read, and so kept as Crego sent them, are named with their rows.
 */
export function runSummary(
	run: object,
	results: Array<ItemResult | undefined>,
	writes: boolean,
	pace?: Pace,
): NodeExecutionHint | undefined {
	const count = { done: 0, repeat: 0, rejected: 0, notSent: 0, unknown: 0, failed: 0, read: 0 };
	for (const result of results) {
		if (!result) continue;
		if (result.outcome === 'done' && result.repeat) count.repeat++;
		else count[result.outcome]++;
		if (result.outcome === 'done') count.read += result.items.length;
	}
	const parts = [
		writes
			? count.done || count.repeat === 0
				? `${count.done} done`
				: ''
			: `${count.read} ${count.read === 1 ? 'item' : 'items'} read`,
		count.repeat ? `${count.repeat} already done by an earlier run (not sent again)` : '',
		count.rejected ? `${count.rejected} rejected by Crego` : '',
		count.notSent ? `${count.notSent} not sent` : '',
		count.unknown ? `${count.unknown} with an unknown outcome` : '',
		count.failed ? `${count.failed} failed` : '',
	].filter(Boolean);
	const advice: string[] = [];
	if (count.unknown)
		advice.push(
			`check the ${plural(count.unknown, 'unknown row')} in Crego before sending ${count.unknown === 1 ? 'it' : 'them'} again`,
		);
	if (count.rejected || count.notSent)
		advice.push('Crego did nothing for rejected and not-sent rows: fix them and run them again');
	const trouble = count.unknown || count.rejected || count.notSent || count.failed;
	const slowed = pace?.slowedDown
		? ` Crego was slow or limiting requests, so the node slowed down: at most ${pace.peak} in flight at once (Concurrent Requests ${pace.ceiling}).`
		: '';
	return {
		message: `Crego: ${parts.join(', ')}${advice.length ? ` — ${advice.join('; ')}` : ''}.${slowed}${keptAsSent(run, results)}`,
		type: count.unknown ? 'danger' : trouble ? 'warning' : 'info',
		location: 'outputPane',
	};
}

/** " Simplify kept created_at as Crego sent it (not readable as a time) in rows 3, 5." */
function keptAsSent(run: object, results: Array<ItemResult | undefined>): string {
	const rows = results.flatMap((result, itemIndex) => (result?.kept?.length ? [itemIndex] : []));
	if (!rows.length) return '';
	const fields = [
		...new Set(
			rows.flatMap((itemIndex) =>
				results[itemIndex]!.kept!.map((path) => path.replace(/\.\d+\./g, '[].')),
			),
		),
	];
	const shown =
		fields.slice(0, 5).join(', ') + (fields.length > 5 ? ` and ${fields.length - 5} more` : '');
	return ` Simplify could not read ${shown}, so kept ${fields.length === 1 && rows.length === 1 ? 'it' : 'them'} as Crego sent ${fields.length === 1 && rows.length === 1 ? 'it' : 'them'}, in ${rowList(run, rows)}.`;
}

const plural = (count: number, noun: string) =>
	`${count === 1 ? '' : `${count} `}${noun}${count === 1 ? '' : 's'}`;
