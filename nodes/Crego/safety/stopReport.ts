import type { IDataObject } from 'n8n-workflow';

import type { Outcome } from './outcomes';
import type { NodeError, Sent } from './sendInOrder';

/**
 * When writes stop half-way (the node set to stop on an error), n8n shows one error and
 * no output. That error must still say, for every row, whether money moved: the items
 * Crego did (with their ref_id), the items whose outcome is unknown (in flight when the
 * run stopped included), and the items not sent. The same lists are in the error's
 * context, `itemOutcomes`, one entry per item.
 */
export function withEveryOutcome(error: NodeError, sent: Sent): NodeError {
	const outcomes: Array<Outcome> = sent.results.map((result) => result?.outcome ?? 'notSent');
	const done = listed(sent, 'done');
	const unknown = listed(sent, 'unknown');
	const notStarted = sent.results.flatMap((result, itemIndex) => (result ? [] : [itemIndex]));
	const parts = [
		done.length ? `already done: ${shortList(done)}` : '',
		unknown.length ? `outcome unknown: ${shortList(unknown)}` : '',
	].filter(Boolean);
	if (parts.length) error.message = `${error.message} [${parts.join('; ')}]`;
	error.description = [
		done.length ? `Already done in this run, do not send again: ${done.join(', ')}.` : '',
		unknown.length ? `Outcome unknown (check in Crego before sending again): ${unknown.join(', ')}.` : '',
		notStarted.length ? `Not sent (safe to send again): ${ranges(notStarted)}.` : '',
		error.description ?? '',
	]
		.filter(Boolean)
		.join('\n');
	error.context = { ...error.context, itemOutcomes: outcomes as unknown as IDataObject[] };
	return error;
}

function listed(sent: Sent, outcome: Outcome): string[] {
	return sent.results.flatMap((result, itemIndex) =>
		result?.outcome === outcome ? [`item ${itemIndex}${result.refId ? ` (${result.refId})` : ''}`] : [],
	);
}

function shortList(entries: string[]): string {
	return entries.length > 5 ? `${entries.slice(0, 5).join(', ')}, ...` : entries.join(', ');
}

/** 3, 4, 5, 9 → "items 3-5, 9" */
function ranges(indexes: number[]): string {
	const spans: string[] = [];
	for (let i = 0; i < indexes.length; i++) {
		let j = i;
		while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
		spans.push(j > i ? `${indexes[i]}-${indexes[j]}` : String(indexes[i]));
		i = j;
	}
	return `item${indexes.length === 1 ? '' : 's'} ${spans.join(', ')}`;
}
