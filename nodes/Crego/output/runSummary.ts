import type { NodeExecutionHint } from 'n8n-workflow';

import type { Pace } from '../safety/pace';
import type { ItemResult } from '../safety/sendInOrder';

/**
 * The line n8n shows above the output after a run (an execution hint): how many items were
 * done, already done earlier, rejected, not sent and of unknown outcome, and what to do
 * about the ones that need a person.
 */
export function runSummary(results: Array<ItemResult | undefined>, writes: boolean, pace?: Pace): NodeExecutionHint | undefined {
	const count = { done: 0, repeat: 0, rejected: 0, notSent: 0, unknown: 0, failed: 0 };
	for (const result of results) {
		if (!result) continue;
		if (result.outcome === 'done' && result.repeat) count.repeat++;
		else count[result.outcome]++;
	}
	const parts = [
		count.done || !writes ? `${count.done} done` : '',
		count.repeat ? `${count.repeat} already done by an earlier run (not sent again)` : '',
		count.rejected ? `${count.rejected} rejected by Crego` : '',
		count.notSent ? `${count.notSent} not sent` : '',
		count.unknown ? `${count.unknown} with an unknown outcome` : '',
		count.failed ? `${count.failed} failed` : '',
	].filter(Boolean);
	if (parts.length === 0) return undefined;
	const advice: string[] = [];
	if (count.unknown) advice.push(`check the ${plural(count.unknown, 'unknown row')} in Crego before sending ${count.unknown === 1 ? 'it' : 'them'} again`);
	if (count.rejected || count.notSent) advice.push('Crego did nothing for rejected and not-sent rows: fix them and run them again');
	const trouble = count.unknown || count.rejected || count.notSent || count.failed;
	// The pace it found, where there was one to find.
	const paced = pace && pace.peak > 1 ? ` Pace: at most ${pace.peak} in flight at once, ${pace.limit} allowed at the end (Concurrent Requests ${pace.ceiling}).` : '';
	return {
		message: `Crego: ${parts.join(', ')}${advice.length ? ` — ${advice.join('; ')}` : ''}.${paced}`,
		type: count.unknown ? 'danger' : trouble ? 'warning' : 'info',
		location: 'outputPane',
	};
}

const plural = (count: number, noun: string) => `${count === 1 ? '' : `${count} `}${noun}${count === 1 ? '' : 's'}`;
