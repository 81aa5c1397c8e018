import { sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { shortHash } from './fingerprint';
import { openDays, type Days } from './ledgerDays';
import {
	ClaimFailed,
	claimWindow,
	keptWriting,
	MAX_CLAIM_ATTEMPTS,
	MAX_CLAIM_CALL_MS,
	openLedgerStore,
	PREFIX,
	tooSlow,
	type List,
} from './ledgerStore';
import type { DuplicateKey } from '../vocabulary/request';

export { ClaimFailed } from './ledgerStore';

/**
 * The money ledger across executions, kept in n8n's own processed-data store (the one
 * behind Remove Duplicates' "previous executions"): in n8n's database, so it survives
 * restarts, covers manual runs and is shared by queue-mode workers. Scope: this node in
 * this workflow.
 *
 * What it holds, per write. In the node's list, for the business day only (ledgerDays.ts
 * drops days older than the day before): one value per duplicate key
 * (`day|2026-11-23|refund|<loan>|cashback_refund|15e2`) and, once Crego did it, a `done|`
 * marker beside each. In the workflow's list, kept for ever: a Reference with its done
 * marker, and one hold per row sent and not yet known done or rejected
 * (`hold|<node>|refund|<loan>|…`), written before the request, lifted once Crego
 * answered, kept while the outcome is unknown — so such a row is refused on every later
 * day too, until Send Again. A ledger written before this layout keeps its References in
 * the node's list, never trimmed.
 * The store keeps hashes only, so the detail a message needs (execution, time, Crego's
 * ref_id) is kept beside it in the workflow's static data, which n8n saves for every run
 * except those started from the editor.
 *
 * n8n's store reads and rewrites one database row per call without a lock: calls for one
 * node are therefore made one at a time in a process, and across processes (queue-mode
 * workers) a run's claim carries a token that tells whether its write survived (claim()).
 * Outcomes are settled in batches (SETTLE_BATCH rows, or every SETTLE_EVERY_MS): each
 * call rewrites the whole list, so a call per row would not scale; a crash before a
 * batch is written leaves its rows held as unknown, the safe side.
 */

/** The most values the workflow's list takes: 200,000 References (two values each) and 50,000 holds. */
export const MAX_WORKFLOW_VALUES = 450_000;
/** The most rows whose detail is kept in static data. */
const MAX_DETAILS = 2_000;
const DETAILS = 'cregoLedger';
/** Rows whose outcomes are written in one go (each store call rewrites the whole list). */
const SETTLE_BATCH = 500;
/** …or this often, so other executions soon see rows as done rather than unknown. */
const SETTLE_EVERY_MS = 2_000;

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
	/** The business day of the matching key; undefined for a Reference (any day) or a hold. */
	day?: string;
	/** Crego did it (a done marker); false: its outcome was unknown then. */
	done: boolean;
	/** Another execution claimed it at the same moment as this one. */
	claimedNow?: boolean;
	/** Held since an earlier send (any day) whose outcome is unknown or was never settled. */
	held?: boolean;
	detail?: SendDetail;
}

interface LedgerValue {
	value: string;
	what: string;
	/** Business-day keys live in the node's list; References in the workflow's (the node's, in a legacy ledger). */
	list: List;
	day?: string;
	/** Checked, never recorded: the key as an earlier release wrote it (a ledger written before the upgrade still holds). */
	legacy?: boolean;
	/**
	 * A key shared by rows with References (DuplicateKey.withReference) has a tag beside
	 * it that says only such rows hold it: the key refuses a row only when its tag was not
	 * already there, that is when a row without a Reference holds it.
	 */
	tag?: string;
	/** This value is such a tag: recorded, never a match itself. */
	isTag?: boolean;
	/** A hold (workflow's list): the row was sent and its outcome is not known done or rejected. */
	isHold?: boolean;
}

interface Row {
	itemIndex: number;
	values: LedgerValue[];
}

/** Outcomes waiting to be written, per list: values to record and to release. */
type Batch = Record<List, { record: string[]; release: string[] }> & {
	rows: number;
	refIds: Array<{ values: string[]; refId: string }>;
};
const emptyBatch = (): Batch => ({
	node: { record: [], release: [] },
	workflow: { record: [], release: [] },
	rows: 0,
	refIds: [],
});

const doneMarker = (value: string) => `${PREFIX}|done|${value}`;
const count = (value: number) => value.toLocaleString('en');

/** The ledger of this node, or undefined when this n8n (or test harness) has no processed-data store. */
export async function openLedger(context: IExecuteFunctions, businessDay: string) {
	const store = await openLedgerStore(context);
	if (!store) return undefined;
	const nodeId = context.getNode().id;
	const days = await openDays(store, nodeId, businessDay);
	const details = () =>
		(context.getWorkflowStaticData('node')[DETAILS] ??= {}) as Record<string, SendDetail>;
	const values = ledgerValues(nodeId, businessDay, days);
	const { of: valuesOf, recorded, releasable, markable, inList } = values;

	/** The token of this run's surviving claim, kept until the run ends: its loss later means another writer replaced the claim. */
	let runToken: string | undefined;
	/** Workflow-list values this run wrote in a write that survived: found there again, they are not another send's. */
	const ownInWorkflow = new Set<string>();
	let batch = emptyBatch();
	let lastFlush = Date.now();

	/** For each row's matching values (of one list), the earlier send behind them and whether Crego did it: one probe for all rows. */
	async function describe(list: List, matchesPerRow: LedgerValue[][]): Promise<EarlierSend[]> {
		const done = await store!.seen(
			list,
			matchesPerRow.flat().map(({ value }) => doneMarker(value)),
		);
		return matchesPerRow.map((matches) => {
			const match = matches.find(({ value }) => done.has(doneMarker(value))) ?? matches[0];
			if (match.isHold)
				return {
					what: match.what,
					done: false,
					held: true,
					detail: details()[shortHash(match.value)],
				};
			return {
				what: match.what,
				day: match.day,
				done: done.has(doneMarker(match.value)),
				detail: details()[shortHash(match.value)],
			};
		});
	}

	/**
	 * One claim write on a list: records the rows' values of that list and a token. Rows
	 * with a value already there (another send's) are refused; what the call added for
	 * them is taken back, and so are their node-list values when `alsoRelease`.
	 */
	async function claimWrite(
		list: List,
		rows: Row[],
		refused: Map<number, EarlierSend>,
		executionId: string,
		attempt: number,
		own: Set<string>,
	) {
		const token = store!.newToken(executionId);
		const startedAt = Date.now();
		const kept = await store!.one(list, async () => {
			const checked = await store!.record(list, [
				...new Set(rows.flatMap(({ values }) => inList(values, list).map(({ value }) => value))),
				token,
			]);
			const processed = new Set(checked.processed.filter((value) => !own.has(value)));
			// A shared key refuses only when no tag says that rows with References alone hold it.
			const matchesOf = (row: Row) =>
				inList(row.values, list).filter(
					({ value, tag, isTag }) => !isTag && processed.has(value) && !(tag && processed.has(tag)),
				);
			const taken = rows.filter((row) => matchesOf(row).length > 0);
			const earlier = taken.length ? await describe(list, taken.map(matchesOf)) : [];
			taken.forEach(({ itemIndex }, i) => {
				// Rows found taken only on a second attempt were taken by the execution that overwrote the first.
				const now = attempt > 1 && !earlier[i].done && !earlier[i].held;
				refused.set(itemIndex, now ? { ...earlier[i], claimedNow: true } : earlier[i]);
			});
			const keep = new Set([
				token,
				...rows
					.filter(({ itemIndex }) => !refused.has(itemIndex))
					.flatMap(({ values }) => recorded(inList(values, list))),
			]);
			await store!.release(
				list,
				checked.new.filter((value) => !keep.has(value)),
			);
			const added = new Set(checked.new.filter((value) => keep.has(value) && value !== token));
			return { rows: rows.filter(({ itemIndex }) => !refused.has(itemIndex)), added };
		});
		return { token, callMs: Date.now() - startedAt, ...kept };
	}

	/**
	 * Step two of a claim, once the node's list is safely claimed: References and holds in
	 * the workflow's list, with a token checked after a wait of its own (so a hold found is
	 * never a concurrent claim of today's, which the node's list settled, but an earlier
	 * send's). Rows refused here are released from the node's list.
	 */
	async function claimInWorkflow(
		rows: Row[],
		refused: Map<number, EarlierSend>,
		executionId: string,
		nodeAdded: Set<string>,
	) {
		for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
			const pending = rows.filter(
				({ itemIndex, values }) => !refused.has(itemIndex) && inList(values, 'workflow').length > 0,
			);
			if (pending.length === 0) return;
			const write = await claimWrite(
				'workflow',
				pending,
				refused,
				executionId,
				attempt,
				ownInWorkflow,
			);
			// What the rows turned away here added to the node's list, unless a row still going holds it too (two rows with References share a key).
			const stillUsed = new Set(
				rows
					.filter(({ itemIndex }) => !refused.has(itemIndex))
					.flatMap(({ values }) => recorded(values)),
			);
			const turnedAway = pending
				.filter(({ itemIndex }) => refused.has(itemIndex))
				.flatMap(({ values }) => recorded(inList(values, 'node')));
			await store!.one('node', () =>
				store!.release(
					'node',
					turnedAway.filter((value) => nodeAdded.has(value) && !stillUsed.has(value)),
				),
			);
			await sleep(claimWindow(write.callMs));
			const survived = await store!.tokenSurvived('workflow', write.token, false);
			if (write.callMs > MAX_CLAIM_CALL_MS) {
				if (survived) await releaseRows(rows.filter(({ itemIndex }) => !refused.has(itemIndex)));
				throw tooSlow(write.callMs, !survived);
			}
			if (survived) {
				for (const value of write.added) ownInWorkflow.add(value);
				return;
			}
		}
		throw keptWriting();
	}

	/** Releases rows from both lists (values, References, holds; with `alsoDone`, their done markers and legacy forms) and forgets their detail. */
	async function releaseRows(rows: Row[], alsoDone = false) {
		for (const list of ['node', 'workflow'] as const) {
			const listed = rows.flatMap(({ values }) =>
				alsoDone
					? releasable(inList(values, list)).concat(
							inList(values, list)
								.filter(({ legacy }) => legacy)
								.map(({ value }) => value),
						)
					: releasable(inList(values, list)),
			);
			await store!.one(list, () =>
				store!.release(list, alsoDone ? [...listed, ...listed.map(doneMarker)] : listed),
			);
			for (const value of listed) delete details()[shortHash(value)];
		}
	}

	async function flush() {
		const written = batch;
		batch = emptyBatch();
		lastFlush = Date.now();
		if (written.rows === 0) return;
		// The node's list first: a crash before the workflow's is written leaves rows held, the safe side.
		for (const list of ['node', 'workflow'] as const) {
			await store!.one(list, async () => {
				await store!.record(list, written[list].record);
				await store!.release(list, written[list].release);
			});
		}
		for (const { values: sent, refId } of written.refIds) {
			for (const value of sent) {
				const detail = details()[shortHash(value)];
				if (detail) detail.refId = refId;
			}
		}
		for (const value of [...written.node.release, ...written.workflow.release])
			delete details()[shortHash(value)];
	}

	return {
		/**
		 * Write-ahead for every row of the run, before the first is sent: records each
		 * row's values, so a crash mid-request leaves them recorded. n8n's store has no
		 * lock: a writer that read the list before this claim was written can write its
		 * own list back over it. The claim's store call therefore also writes one token of
		 * this claim; after a wait as long as a slow database needs (twice the claim call's
		 * own time, at least 300 ms), the token still being there proves the whole write
		 * survived, since a call's values and token stand or fall together. If it was
		 * replaced, the claim is made again: rows the other execution took are then refused
		 * as claimed by it at the same moment, and the others are recorded afresh. The rows
		 * then get their References and holds (claimInWorkflow()). Returns, per row, the
		 * earlier send that refuses it; rows not in the map may be sent. Throws (nothing may
		 * be sent) when a list is full, or the store too slow to claim safely, or it keeps
		 * being overwritten.
		 */
		async claim(
			candidates: Array<{ itemIndex: number; keys: DuplicateKey[] }>,
			executionId: string,
		): Promise<Map<number, EarlierSend>> {
			const refused = new Map<number, EarlierSend>();
			if (candidates.length === 0) return refused;
			let pending: Row[] = candidates.map(({ itemIndex, keys }) => ({
				itemIndex,
				values: valuesOf(keys),
			}));
			checkRoom(pending, days, store.held.workflow, businessDay, values);
			for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
				const write = await claimWrite('node', pending, refused, executionId, attempt, new Set());
				if (write.rows.length === 0) {
					await store.one('node', () => store.release('node', [write.token]));
					return refused;
				}
				await sleep(claimWindow(write.callMs));
				const survived = await store.tokenSurvived('node', write.token, true);
				if (write.callMs > MAX_CLAIM_CALL_MS) {
					// Still this claim's own at the check: released, so the rows can simply be run again. Replaced: they may be another's now, so left alone.
					if (survived)
						await store.one('node', () =>
							store.release('node', [
								write.token,
								...write.rows.flatMap(({ values }) => releasable(inList(values, 'node'))),
							]),
						);
					throw tooSlow(write.callMs, !survived);
				}
				if (survived) {
					runToken = write.token;
					await claimInWorkflow(write.rows, refused, executionId, write.added);
					const sent = write.rows.filter(({ itemIndex }) => !refused.has(itemIndex));
					keepDetails(details(), sent.flatMap(({ values }) => recorded(values)).map(shortHash), {
						executionId,
						at: new Date().toISOString(),
					});
					return refused;
				}
				pending = write.rows;
			}
			// The last attempt's rows may now be another execution's: left recorded, the safe side.
			throw keptWriting();
		},

		/**
		 * After the answer: done marks it done (and lifts its holds); rejected or not sent
		 * releases it (it may be fixed and sent again); unknown keeps it, and its holds.
		 * Written in batches (flush()).
		 */
		async settle(
			keys: DuplicateKey[],
			outcome: 'done' | 'rejected' | 'notSent' | 'unknown',
			refId?: string,
		) {
			const rowValues = valuesOf(keys);
			for (const list of ['node', 'workflow'] as const) {
				const listed = inList(rowValues, list);
				const holds = listed.filter(({ isHold }) => isHold).map(({ value }) => value);
				const kept = markable(listed);
				if (outcome === 'done') {
					// The values again too: a concurrent writer's rewrite may have dropped them since the claim.
					batch[list].record.push(...kept, ...kept.map(doneMarker));
					batch[list].release.push(...holds);
				} else if (outcome === 'unknown') batch[list].record.push(...holds);
				else batch[list].release.push(...releasable(listed));
			}
			if (outcome === 'done' && refId) batch.refIds.push({ values: recorded(rowValues), refId });
			batch.rows++;
			if (batch.rows >= SETTLE_BATCH || Date.now() - lastFlush >= SETTLE_EVERY_MS) await flush();
		},

		/** Writes the outcomes still waiting: before the run ends. */
		flush,

		/**
		 * The run ended: whether its claim was still in the store. False means a writer
		 * replaced the list after the claim window (a database slower than it showed): that
		 * execution may have sent rows of this run too. The token is removed either way.
		 */
		async claimHeld(): Promise<boolean> {
			if (!runToken) return true;
			const token = runToken;
			runToken = undefined;
			return await store.tokenSurvived('node', token, false);
		},

		/** Releases rows claimed but never sent (the run stopped before them): they may be sent again. */
		async releaseUnsent(rows: DuplicateKey[][]) {
			if (rows.length)
				await releaseRows(rows.map((keys, itemIndex) => ({ itemIndex, values: valuesOf(keys) })));
		},

		/** Forgets these rows on purpose (Send Again), done markers and holds too: they are then recorded afresh when sent. */
		async forget(rows: DuplicateKey[][]) {
			if (rows.length)
				await releaseRows(
					rows.map((keys, itemIndex) => ({ itemIndex, values: valuesOf(keys) })),
					true,
				);
		},
	};
}

/** How the ledger writes a row's keys, for this node, business day and layout. */
function ledgerValues(nodeId: string, businessDay: string, days: Days) {
	const referenceList: List = days.layout === 'days' ? 'workflow' : 'node';
	const dayValue = (key: string) => `${PREFIX}|day|${businessDay}|${key}`;
	// A legacy ledger's References are as an earlier release wrote them; this layout's name the node (the workflow's list is shared).
	const referenceValue = (key: string) =>
		referenceList === 'node' ? `${PREFIX}|always|${key}` : `${PREFIX}|always|${nodeId}|${key}`;
	const valueOf = (key: string, lasts: DuplicateKey['lasts']) =>
		lasts === 'always' ? referenceValue(key) : dayValue(key);
	const listOf = (lasts: DuplicateKey['lasts']): List =>
		lasts === 'always' ? referenceList : 'node';

	/** Every value a row's keys are checked against, in both lists; the legacy ones are never recorded. */
	const of = (keys: DuplicateKey[]): LedgerValue[] => {
		const ledgerKeys = keys.filter(({ lasts }) => lasts !== 'execution');
		// A row is held by its first business-day key until its outcome is known (one hold a row: removing one costs a search of the workflow's list). Not by a key it shares with other rows with References: its Reference, kept for ever, holds it.
		const held = ledgerKeys.find(
			({ lasts, withReference }) => lasts !== 'always' && !withReference,
		);
		const hold = held
			? [
					{
						value: `${PREFIX}|hold|${nodeId}|${held.key}`,
						what: held.what,
						list: 'workflow' as const,
						isHold: true,
					},
				]
			: [];
		return ledgerKeys
			.flatMap(({ key, what, lasts, legacyKey, withReference }) => {
				const where = {
					what,
					list: listOf(lasts),
					...(lasts === 'always' ? {} : { day: businessDay }),
				};
				if (withReference) {
					const tag = valueOf(`withReference|${key}`, lasts);
					return [
						{ value: valueOf(key, lasts), ...where, tag },
						{ value: tag, ...where, isTag: true },
					];
				}
				const legacy =
					legacyKey && referenceList === 'node'
						? [{ value: valueOf(legacyKey, lasts), ...where, legacy: true }]
						: [];
				return [{ value: valueOf(key, lasts), ...where }, ...legacy];
			})
			.concat(hold);
	};
	return {
		of,
		/** The values a row records (never those it is only checked against). */
		recorded: (values: LedgerValue[]) =>
			values.filter(({ legacy }) => !legacy).map(({ value }) => value),
		/**
		 * The recorded values a row gives back when released: not a key it shares with other
		 * rows with References (another may still hold it; kept, the safe side).
		 */
		releasable: (values: LedgerValue[]) =>
			values
				.filter(({ legacy, tag, isTag }) => !legacy && !tag && !isTag)
				.map(({ value }) => value),
		/** The recorded values that get a done marker (not tags, not holds). */
		markable: (values: LedgerValue[]) =>
			values
				.filter(({ legacy, isTag, isHold }) => !legacy && !isTag && !isHold)
				.map(({ value }) => value),
		inList: (values: LedgerValue[], list: List) => values.filter((value) => value.list === list),
	};
}

/** Refuses a run that could take a list past its bound, before anything is recorded (counted generously: every value new, each with a done marker). */
function checkRoom(
	rows: Row[],
	days: Days,
	workflowHeld: number,
	businessDay: string,
	{ recorded, inList }: ReturnType<typeof ledgerValues>,
) {
	const needed = (list: List) =>
		2 * rows.reduce((sum, { values }) => sum + recorded(inList(values, list)).length, 0) + 1;
	if (days.used + needed('node') > days.capacity) {
		throw ledgerFull(
			days.layout === 'days'
				? `this node's ledger is full for business day ${businessDay}: it took ${count(days.used)} of the ${count(days.capacity)} values a day may take, and this run may add ${count(needed('node'))}`
				: `this node's ledger is full: it holds ${count(days.used)} of ${count(days.capacity)} values, and this run may add ${count(needed('node'))}`,
			days.layout === 'days'
				? 'The next business day it has room again (the ledger keeps each day for that day and the next). To go on today, send the rest from a copy of this node (a copied node keeps a ledger of its own; it does not know what this one sent, so keep sheets this node sent on this node), or split this sheet if it only just does not fit.'
				: 'To go on, send new sheets from a copy of this node (a copied node keeps a ledger of its own; it does not know what this one sent, so keep sheets this node sent on this node), or split this sheet into smaller runs if it only just does not fit. A copy keeps its ledger by business day, with room for 50,000 Process Payout rows a day.',
		);
	}
	if (workflowHeld + needed('workflow') > MAX_WORKFLOW_VALUES) {
		throw ledgerFull(
			`the workflow's ledger is full: it holds ${count(workflowHeld)} of ${count(MAX_WORKFLOW_VALUES)} values (References, and rows in flight or of unknown outcome), and this run may add ${count(needed('workflow'))}`,
			'Rows of unknown outcome stay held until checked: look them up in Crego and release them with Send Again. References are kept for ever: to send new ones, use a copy of this workflow (it keeps a ledger of its own and does not know what this one sent).',
		);
	}
}

function ledgerFull(message: string, advice: string) {
	return new ClaimFailed(
		message,
		false,
		`Nothing was recorded or sent. The ledger keeps every row that protects money so that no sheet pays twice, and forgets none of them to make room. ${advice}`,
	);
}

/** Keeps the detail of these values, newest last, and only the newest MAX_DETAILS. */
function keepDetails(
	details: Record<string, SendDetail | IDataObject>,
	keys: string[],
	detail: SendDetail,
) {
	for (const key of keys) {
		delete details[key];
		details[key] = { ...detail } as unknown as IDataObject;
	}
	const all = Object.keys(details);
	for (const old of all.slice(0, Math.max(0, all.length - MAX_DETAILS))) delete details[old];
}
