import type { IDataObject } from 'n8n-workflow';

import { rowList, rowName } from '../vocabulary/rowNames';
import type { Outcome } from '../vocabulary/outcome';
import type { Sent } from './sendInOrder';
import type { NodeError } from '../vocabulary/itemResult';

/**
 * When writes stop half-way (the node set to stop on an error), n8n shows one error and
 * no output. That error must still say, for every row, whether money moved: the rows
 * Crego did (with their ref_id), the rows whose outcome is unknown (in flight when the
 * run stopped included), and the rows not sent. The same lists are in the error's
 * context, `itemOutcomes`, one entry per item. Rows are named as everywhere else
 * (vocabulary/rowNames.ts).
 */
export function withEveryOutcome(run: object, error: NodeError, sent: Sent): NodeError {
	const outcomes: Array<Outcome> = sent.results.map((result) => result?.outcome ?? 'notSent');
	const done = listed(run, sent, 'done');
	const unknown = listed(run, sent, 'unknown');
	// Rows never started, and rows not sent for a reason of their own (a Stop) other than the error that stopped the run.
	const notStarted = sent.results.flatMap((result, itemIndex) =>
		!result || (result.outcome === 'notSent' && result.error !== error) ? [itemIndex] : [],
	);
	const parts = [
		done.length ? `already done: ${shortList(done)}` : '',
		unknown.length ? `outcome unknown: ${shortList(unknown)}` : '',
	].filter(Boolean);
	if (parts.length) error.message = `${error.message} [${parts.join('; ')}]`;
	error.description = [
		done.length ? `Already done in this run, do not send again: ${done.join(', ')}.` : '',
		// The advice once: the stopping error may already give it.
		unknown.length
			? `Outcome unknown${/check in crego/i.test(error.description ?? '') ? '' : ' (check in Crego before sending again)'}: ${unknown.join(', ')}.`
			: '',
		notStarted.length ? `Not sent (safe to send again): ${rowList(run, notStarted)}.` : '',
		error.description ?? '',
	]
		.filter(Boolean)
		.join('\n');
	error.context = { ...error.context, itemOutcomes: outcomes as unknown as IDataObject[] };
	return error;
}

function listed(run: object, sent: Sent, outcome: Outcome): string[] {
	return sent.results.flatMap((result, itemIndex) =>
		result?.outcome === outcome
			? [`${rowName(run, itemIndex, true)}${result.refId ? ` (${result.refId})` : ''}`]
			: [],
	);
}

function shortList(entries: string[]): string {
	return entries.length > 5 ? `${entries.slice(0, 5).join(', ')}, ...` : entries.join(', ');
}
