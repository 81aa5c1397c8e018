import type { IContextObject, IDataObject } from 'n8n-workflow';

import type { Outcome } from '../vocabulary/outcome';

/**
 * Resume after n8n's Retry. n8n retries a failed execution by running the failed node
 * again, with the same input items, the execution's saved node context, and the same run
 * index. As rows go out, the node notes in its context what each one did (by run index,
 * with a fingerprint of the request): a retried run finds the note of its failed attempt
 * and replays it — rows Crego did come out with Crego's earlier answer, rows whose outcome
 * was unknown come out as errors — and sends only the rest.
 *
 * A loop's next batch has another run index; a new execution starts with an empty
 * context; a row whose request changed (the workflow was edited before the retry) is a
 * new row. The note of a run that finished is dropped.
 */

const STORE = 'cregoRuns';

export interface EarlierRow {
	outcome: 'done' | 'unknown';
	/** Crego's answer, for a done row. */
	json?: IDataObject;
}

interface RowNote extends EarlierRow {
	fingerprint: string;
}

interface RunNote {
	rows: Record<string, RowNote>;
}

export function resumeNote(context: IContextObject, runIndex: number) {
	const runs = (context[STORE] ??= {}) as Record<string, RunNote>;
	const failedAttempt = runs[runIndex];
	const thisAttempt: RunNote = { rows: {} };
	runs[runIndex] = thisAttempt;

	return {
		/** Whether this run is a retry of a failed attempt. */
		isRetry: failedAttempt !== undefined,
		/** What the failed attempt did with this row, when the row makes the same request again. */
		earlier(itemIndex: number, fingerprint: string): EarlierRow | undefined {
			const row = failedAttempt?.rows[itemIndex];
			return row && row.fingerprint === fingerprint
				? { outcome: row.outcome, json: row.json }
				: undefined;
		},
		/** Notes a row that moved money or may have: what a retry must not send again. */
		note(itemIndex: number, fingerprint: string, outcome: Outcome, json?: IDataObject) {
			if (outcome === 'done' || outcome === 'unknown')
				thisAttempt.rows[itemIndex] = { fingerprint, outcome, ...(json ? { json } : {}) };
		},
		/** The run finished (nothing to resume): the note is dropped, so executions do not carry it. */
		finish() {
			delete runs[runIndex];
		},
	};
}
