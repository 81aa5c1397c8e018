import {
	NodeOperationError,
	type ICheckProcessedOptions,
	type IExecuteFunctions,
} from 'n8n-workflow';

/**
 * The ledger's access to n8n's processed-data store: its two lists (this node's, and the
 * workflow's, shared by the workflow's nodes), calls made one at a time per list in this
 * process, and the token that tells whether a write survived.
 *
 * n8n's store keeps each list as one database row of md5 hashes and, on every call, reads
 * the row and writes it back whole, without a lock: a writer that read before another's
 * write can write its own copy over it. Removing a value searches the list from the start.
 */

export type List = 'node' | 'workflow';

export const PREFIX = 'crego1';
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries' };

/**
 * The shortest wait between a claim's write and its check. The wait is otherwise twice as
 * long as the claim's own store call took: a writer that read the list before this claim
 * was written takes about as long to write back, and a slow database lengthens both.
 */
const CLAIM_WINDOW_FLOOR_MS = 300;
/** A store call slower than this gives no safe claim: nothing is sent (the wait would pass 40 s). */
export const MAX_CLAIM_CALL_MS = 20_000;
/** Claims retried after another execution's write replaced this one's, before nothing is sent. */
export const MAX_CLAIM_ATTEMPTS = 3;

/** The wait between a claim's write and its check: twice the call's own time, within bounds. */
export const claimWindow = (callMs: number) =>
	Math.max(CLAIM_WINDOW_FLOOR_MS, 2 * Math.min(callMs, MAX_CLAIM_CALL_MS));

/** A claim that could not be made safely: nothing was sent. `rowsHeld`: some rows may stay recorded (refused later as unknown). */
export class ClaimFailed extends Error {
	constructor(
		message: string,
		readonly rowsHeld: boolean,
		/** What the person can do, when it is not "run them again". */
		readonly advice?: string,
	) {
		super(message);
	}
}

export const tooSlow = (callMs: number, rowsHeld: boolean) =>
	new ClaimFailed(
		`n8n's database took ${(callMs / 1000).toFixed(1)} s to record the rows, too slow to claim them safely against other executions`,
		rowsHeld,
	);

export const keptWriting = () =>
	new ClaimFailed(
		`other executions kept writing the ledger at the same moment (${MAX_CLAIM_ATTEMPTS} tries)`,
		true,
	);

export type LedgerStore = ReturnType<typeof ledgerStore>;

/** The store's calls for this node, or undefined when this n8n (or test harness) has no processed-data store. */
export async function openLedgerStore(context: IExecuteFunctions) {
	const helpers = context.helpers;
	if (typeof helpers?.checkProcessedAndRecord !== 'function') return undefined;
	const held = await count(context, 'node');
	if (held === undefined) return undefined;
	return ledgerStore(context, { node: held, workflow: (await count(context, 'workflow')) ?? 0 });
}

function ledgerStore(context: IExecuteFunctions, held: Record<List, number>) {
	const helpers = context.helpers;
	const workflowId = context.getWorkflow().id;
	const laneOf = (list: List) =>
		list === 'node' ? `${workflowId}|${context.getNode().id}` : `${workflowId}|`;

	const store = {
		/** How many values each list held when the run began. */
		held,
		/** Runs store calls on one list one after another, even from concurrent rows or executions in this process. */
		one: <T>(list: List, work: () => Promise<T>) => oneAtATime(laneOf(list), work),
		/** Records values (those already there come back as processed); `maxEntries` drops the oldest past it. */
		async record(list: List, values: string[], maxEntries?: number) {
			if (values.length === 0) return { new: [] as string[], processed: [] as string[] };
			const checked = await helpers.checkProcessedAndRecord(
				values,
				list,
				maxEntries ? { ...STORE_OPTIONS, maxEntries } : STORE_OPTIONS,
			);
			return { new: checked.new.map(String), processed: checked.processed.map(String) };
		},
		async release(list: List, values: string[]) {
			if (values.length) await helpers.removeProcessed(values, list, STORE_OPTIONS);
		},
		/** Which of these values were there, leaving the list as it was. */
		async seen(list: List, values: string[]): Promise<Set<string>> {
			const checked = await store.record(list, [...new Set(values)]);
			await store.release(list, checked.new);
			return new Set(checked.processed);
		},
		/** A token for one write: written with its values, it tells later whether they survived. */
		newToken: (executionId: string) =>
			`${PREFIX}|claim|${executionId}|${Math.random().toString(36).slice(2, 10)}`,
		/** Whether a write's token is still in its list; removed unless `keep` (then the run removes it at its end). */
		async tokenSurvived(list: List, token: string, keep: boolean) {
			return await store.one(list, async () => {
				const checked = await store.record(list, [token]);
				const survived = checked.processed.length === 1;
				// Lost, it was just written again by this check: not kept.
				if (!survived || !keep) await store.release(list, [token]);
				return survived;
			});
		},
	};
	return store;
}

/** How many values a list holds; undefined when the store was never set up (old n8n, bare test harness). */
async function count(context: IExecuteFunctions, list: List): Promise<number | undefined> {
	try {
		return await context.helpers.getProcessedDataCount(list, STORE_OPTIONS);
	} catch (error) {
		if (/initiali[sz]ed/i.test((error as Error).message ?? '')) return undefined;
		// The store exists but fails: nothing is sent rather than sending unguarded.
		throw new NodeOperationError(context.getNode(), error as Error, {
			description:
				"Refuse Duplicates could not read n8n's processed-data store (its database), so nothing was sent. Try again; if it persists, check n8n's database.",
		});
	}
}

const lanes = new Map<string, Promise<unknown>>();

function oneAtATime<T>(lane: string, work: () => Promise<T>): Promise<T> {
	const previous = lanes.get(lane) ?? Promise.resolve();
	const next = previous.then(work, work);
	const settled = next.then(
		() => undefined,
		() => undefined,
	);
	lanes.set(lane, settled);
	void settled.then(() => {
		if (lanes.get(lane) === settled) lanes.delete(lane);
	});
	return next;
}
