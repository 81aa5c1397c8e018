import { NodeOperationError, sleep, type ICheckProcessedOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { DuplicateKey } from './duplicateGuard';
import { shortHash } from './fingerprint';

/**
 * The money ledger across executions, kept in n8n's own processed-data store (the one
 * behind Remove Duplicates' "previous executions"): in n8n's database, so it survives
 * restarts, covers manual runs and is shared by queue-mode workers. Scope: this node in
 * this workflow.
 *
 * What it holds, per write: one value per duplicate key — for the key's business day
 * (`day|2026-11-23|refund|<loan>|cashback_refund|15e2`), or for ever for a Reference —
 * and, once Crego did it, a `done|` marker beside each. The store keeps hashes only, so
 * the detail a message needs (execution, time, Crego's ref_id) is kept beside it in the
 * workflow's static data, which n8n saves for every run except those started from the
 * editor.
 *
 * n8n's store reads and rewrites one database row per call without a lock: calls for one
 * node are therefore made one at a time in a process, and across processes (queue-mode
 * workers) a run's claim carries tokens that decide which execution owns a row (claim()).
 */

/** How long claims of two simultaneous executions may take to settle in the store before each looks which it won. */
const CLAIM_WINDOW_MS = 300;
/** The most values the store keeps for this node; the oldest go first. */
export const MAX_LEDGER_ENTRIES = 20_000;
/** The most rows whose detail is kept in static data. */
const MAX_DETAILS = 2_000;
const STORE_OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: MAX_LEDGER_ENTRIES };
const PREFIX = 'crego1';
const DETAILS = 'cregoLedger';

export interface SendDetail {
	executionId: string;
	/** When it was sent, ISO 8601. */
	at: string;
	refId?: string;
}

/** What the ledger knows of an earlier send of a row. */
export interface EarlierSend {
	/** Which key matched, in words, e.g. "same loan, refund type and amount". */
	what: string;
	/** The business day of the matching key; undefined for a Reference (any day). */
	day?: string;
	/** Crego did it (a done marker); false: its outcome was unknown then. */
	done: boolean;
	/** Another execution claimed it at the same moment as this one. */
	claimedNow?: boolean;
	detail?: SendDetail;
}

interface LedgerValue {
	value: string;
	what: string;
	day?: string;
}


/** The ledger of this node, or undefined when this n8n (or test harness) has no processed-data store. */
export async function openLedger(context: IExecuteFunctions, businessDay: string) {
	const store = context.helpers;
	if (typeof store?.checkProcessedAndRecord !== 'function' || !(await storeIsUp(context))) return undefined;
	const lane = `${context.getWorkflow().id}|${context.getNode().id}`;
	const one = <T>(work: () => Promise<T>) => oneAtATime(lane, work);
	const details = () => (context.getWorkflowStaticData('node')[DETAILS] ??= {}) as Record<string, SendDetail>;

	const valuesOf = (keys: DuplicateKey[]): LedgerValue[] =>
		keys.filter(({ lasts }) => lasts !== 'execution').map(({ key, what, lasts }) =>
			lasts === 'always' ? { value: `${PREFIX}|always|${key}`, what } : { value: `${PREFIX}|day|${businessDay}|${key}`, what, day: businessDay },
		);
	const record = async (values: string[]) => (values.length ? await store.checkProcessedAndRecord(values, 'node', STORE_OPTIONS) : { new: [], processed: [] });
	const release = async (values: Array<string | number>) => {
		if (values.length) await store.removeProcessed(values, 'node', STORE_OPTIONS);
	};

	/** Which of these values were recorded before, leaving the store as it was. */
	async function seen(values: string[]): Promise<Set<string>> {
		const unique = [...new Set(values)];
		if (unique.length === 0) return new Set();
		const checked = await record(unique);
		await release(checked.new);
		return new Set(checked.processed.map(String));
	}

	const doneMarker = (value: string) => `${PREFIX}|done|${value}`;

	/** For each row's matching values, the earlier send behind them and whether Crego did it: one probe for all rows. */
	async function describe(matchesPerRow: LedgerValue[][]): Promise<EarlierSend[]> {
		const done = await seen(matchesPerRow.flat().map(({ value }) => doneMarker(value)));
		return matchesPerRow.map((matches) => {
			const match = matches.find(({ value }) => done.has(doneMarker(value))) ?? matches[0];
			return { what: match.what, day: match.day, done: done.has(doneMarker(match.value)), detail: details()[shortHash(match.value)] };
		});
	}

	return {
		/**
		 * Write-ahead for every row of the run, before the first is sent: records each
		 * row's values, so a crash mid-request leaves them recorded. n8n's store has no
		 * lock, so two executions on two workers claiming the same row at the same moment
		 * could both "win"; each row's claim therefore carries a token of this execution,
		 * written in the same store call as its values, and after CLAIM_WINDOW_MS the rows
		 * whose token is still there are this execution's: of two simultaneous writers the
		 * store keeps one list, and with it one token per row. Returns, per row, the earlier
		 * send that refuses it (recorded before, or claimed by another execution at the same
		 * time); rows not in the map may be sent. Rows it returns are not recorded by this call.
		 */
		async claim(rows: Array<{ itemIndex: number; keys: DuplicateKey[] }>, executionId: string): Promise<Map<number, EarlierSend>> {
			const refused = new Map<number, EarlierSend>();
			if (rows.length === 0) return refused;
			const nonce = Math.random().toString(36).slice(2, 10);
			const claims = rows.map(({ itemIndex, keys }) => {
				const values = valuesOf(keys);
				return { itemIndex, values, token: `${PREFIX}|claim|${executionId}|${nonce}|${itemIndex}` };
			});
			const recorded = await one(async () => {
				const checked = await record([...new Set(claims.flatMap(({ values, token }) => [...values.map(({ value }) => value), token]))]);
				const processed = new Set(checked.processed.map(String));
				const taken = claims.filter(({ values }) => values.some(({ value }) => processed.has(value)));
				const earlier = taken.length ? await describe(taken.map(({ values }) => values.filter(({ value }) => processed.has(value)))) : [];
				taken.forEach(({ itemIndex }, i) => refused.set(itemIndex, earlier[i]));
				// What this call added for refused rows is not theirs to keep.
				const keep = new Set(claims.filter(({ itemIndex }) => !refused.has(itemIndex)).flatMap(({ values, token }) => [...values.map(({ value }) => value), token]));
				await release(checked.new.filter((value) => !keep.has(String(value))));
				return claims.filter(({ itemIndex }) => !refused.has(itemIndex));
			});
			if (recorded.length === 0) return refused;
			await sleep(CLAIM_WINDOW_MS);
			await one(async () => {
				const checked = await record(recorded.map(({ token }) => token));
				const lost = new Set(checked.new.map(String));
				for (const claim of recorded.filter(({ token }) => lost.has(token))) {
					refused.set(claim.itemIndex, { what: claim.values[0]?.what ?? 'same row', day: claim.values[0]?.day, done: false, claimedNow: true });
				}
				await release(recorded.map(({ token }) => token));
				const at = new Date().toISOString();
				for (const claim of recorded.filter(({ itemIndex }) => !refused.has(itemIndex))) {
					for (const { value } of claim.values) keepDetail(details(), shortHash(value), { executionId, at });
				}
			});
			return refused;
		},

		/** After the answer: done marks it done; rejected or not sent releases it (it may be fixed and sent again); unknown keeps it. */
		async settle(keys: DuplicateKey[], outcome: 'done' | 'rejected' | 'notSent' | 'unknown', refId?: string) {
			await one(async () => {
				const values = valuesOf(keys).map(({ value }) => value);
				if (outcome === 'done') {
					// The values again too: a concurrent writer's rewrite may have dropped them since the claim.
					await record([...values, ...values.map(doneMarker)]);
					for (const value of values) {
						const detail = details()[shortHash(value)];
						if (detail && refId) detail.refId = refId;
					}
				} else if (outcome === 'rejected' || outcome === 'notSent') {
					await release(values);
					for (const value of values) delete details()[shortHash(value)];
				}
			});
		},

		/** Releases rows claimed but never sent (the run stopped before them): they may be sent again. */
		async releaseUnsent(rows: DuplicateKey[][]) {
			if (rows.length === 0) return;
			await one(async () => {
				const values = rows.flatMap((keys) => valuesOf(keys).map(({ value }) => value));
				await release(values);
				for (const value of values) delete details()[shortHash(value)];
			});
		},

		/** Forgets these rows on purpose (Send Again): they are then recorded afresh when sent. */
		async forget(keys: DuplicateKey[]) {
			await one(async () => {
				const values = valuesOf(keys).map(({ value }) => value);
				await release([...values, ...values.map(doneMarker)]);
			});
		},
	};
}

/** Whether n8n's processed-data store answers; false when it was never set up (old n8n, bare test harness). */
async function storeIsUp(context: IExecuteFunctions): Promise<boolean> {
	try {
		await context.helpers.getProcessedDataCount('node', STORE_OPTIONS);
		return true;
	} catch (error) {
		if (/initiali[sz]ed/i.test((error as Error).message ?? '')) return false;
		// The store exists but fails: nothing is sent rather than sending unguarded.
		throw new NodeOperationError(context.getNode(), error as Error, {
			description: "Refuse Duplicates could not read n8n's processed-data store (its database), so nothing was sent. Try again; if it persists, check n8n's database.",
		});
	}
}

function keepDetail(details: Record<string, SendDetail | IDataObject>, key: string, detail: SendDetail) {
	delete details[key];
	details[key] = detail as unknown as IDataObject;
	const keys = Object.keys(details);
	for (const old of keys.slice(0, Math.max(0, keys.length - MAX_DETAILS))) delete details[old];
}

const lanes = new Map<string, Promise<unknown>>();

/** Runs store calls for one node one after another, even from concurrent rows or executions in this process. */
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
