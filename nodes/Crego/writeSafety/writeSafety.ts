import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { forRow } from '../vocabulary/rowNames';
import { formatInZone } from '../values/timezone';
import { createDuplicateGuard, type DuplicateGuard } from './duplicateGuard';
import { requestFingerprint } from './fingerprint';
import { approvalKey } from './approval';
import { ClaimFailed, openLedger, type EarlierSend } from './ledger';
import type { Outcome } from '../vocabulary/outcome';
import { resumeNote } from './resume';
import { unknownBreaker, UNKNOWN_IN_A_ROW } from './unknownBreaker';
import type { WriteRow } from './writeRow';

export { readWriteRow, type WriteRow } from './writeRow';
export {
	ApprovalRefused,
	approvalError,
	checkApprovedBatch,
	describeBatch,
	parseApprovedBatch,
	type ApprovedBatch,
	type Batch,
	type BatchRow,
} from './approval';
import type { NodeError } from '../vocabulary/itemResult';

/**
 * Everything that keeps a run of writes to "money moves at most once per row", in the
 * order it acts:
 *  1. resume — a retried run replays what its failed attempt did (resume.ts);
 *  2. the duplicate guard — a row repeating another of this execution (duplicateGuard.ts);
 *  3. the ledger — a row this node sent in an earlier execution, on the same business day
 *     or under the same Reference (ledger.ts);
 *  4. per row, just before sending: the unknown-outcome breaker, then the ledger's
 *     write-ahead claim; after the answer, each of them learns the outcome.
 * A row decided before sending never reaches Crego; a row that does is recorded first.
 */

/** A row settled without sending: Crego's earlier answer, a skip, or an error. */
export type Settled =
	| { kind: 'alreadyDone'; json: IDataObject }
	| { kind: 'alreadySent'; json: IDataObject }
	| { kind: 'error'; error: NodeError; outcome: Outcome };

export interface WriteSafetySettings {
	duplicateGuard: boolean;
	businessTimezone: string;
	continueOnFail: boolean;
	/** The digest of the batch a checker approved (Approved Batch): claimed for ever before any row. */
	approvedDigest?: string;
}

export type WriteSafety = Awaited<ReturnType<typeof openWriteSafety>>;

/** Opens write safety over a run's rows: a write's row, a row refused before sending (an error), or undefined for a read (API Request's GET rows). */
export async function openWriteSafety(
	context: IExecuteFunctions,
	rows: Array<WriteRow | NodeError | undefined>,
	settings: WriteSafetySettings,
) {
	const nodeContext = context.getContext('node');
	const resume = resumeNote(nodeContext, runIndexOf(context));
	const breaker = unknownBreaker(nodeContext, { fresh: resume.isRetry });
	const guard = settings.duplicateGuard ? createDuplicateGuard(nodeContext, context) : undefined;
	const businessDay = formatInZone(Date.now(), settings.businessTimezone).slice(0, 10);
	const ledger = settings.duplicateGuard ? await openLedger(context, businessDay) : undefined;
	if (settings.duplicateGuard && !ledger) sayLedgerIsOff(context);
	const executionId = context.getExecutionId();
	const fingerprints = rows.map((row) =>
		!row || row instanceof Error ? '' : requestFingerprint(row.request),
	);
	const settled = new Map<number, Settled>();

	const refuse = (itemIndex: number, message: string, description: string, outcome: Outcome) => {
		const error = new NodeOperationError(context.getNode(), message, { itemIndex, description });
		if (!settings.continueOnFail) throw error;
		settled.set(itemIndex, { kind: 'error', error, outcome });
	};

	// 1. Resume: what the failed attempt of this run did.
	rows.forEach((row, itemIndex) => {
		if (!row || row instanceof Error || row.sendAgain) return;
		const earlier = resume.earlier(itemIndex, fingerprints[itemIndex]);
		if (!earlier) return;
		resume.note(itemIndex, fingerprints[itemIndex], earlier.outcome, earlier.json);
		if (earlier.outcome === 'done') {
			settled.set(itemIndex, { kind: 'alreadyDone', json: earlier.json ?? {} });
		} else {
			// Reported, never thrown: n8n's Retry must be able to finish the sheet.
			const error = new NodeOperationError(
				context.getNode(),
				forRow(context, itemIndex, `Not sent again: its outcome was unknown in the failed attempt`),
				{
					itemIndex,
					description: `${UNKNOWN_ADVICE} Then set Options → Send Again for this row (or correct it in Crego) and run it again.`,
				},
			);
			settled.set(itemIndex, { kind: 'error', error, outcome: 'unknown' });
		}
	});

	// 2. Rows repeating another row of this execution.
	rows.forEach((row, itemIndex) => {
		if (!row || row instanceof Error || settled.has(itemIndex) || !guard) return;
		const repeat = repeatInExecution(context, guard, row, itemIndex);
		if (!repeat) return;
		if (!settings.continueOnFail) throw repeat;
		settled.set(itemIndex, { kind: 'error', error: repeat, outcome: 'notSent' });
	});

	// An approved batch is used once: claimed before anything else is recorded or forgotten.
	if (settings.approvedDigest !== undefined) {
		if (!ledger) throw approvalNeedsLedger(context, settings.duplicateGuard);
		await claimApproval(context, ledger, settings.approvedDigest, executionId);
	}

	// 3. The ledger: rows sent in an earlier execution are settled; the others are claimed (write-ahead) before the first is sent.
	const claimed = new Map<number, WriteRow>();
	if (ledger) {
		const candidates = rows.flatMap((row, itemIndex) =>
			!row || row instanceof Error || settled.has(itemIndex) || !row.keys
				? []
				: [{ itemIndex, row }],
		);
		await ledger.forget(candidates.filter(({ row }) => row.sendAgain).map(({ row }) => row.keys!));
		let refused: Map<number, EarlierSend>;
		try {
			refused = await ledger.claim(
				candidates.map(({ itemIndex, row }) => ({ itemIndex, keys: row.keys! })),
				executionId,
			);
		} catch (error) {
			// Not recorded, so not sent: no row may move money unrecorded. The approval was not used.
			if (settings.approvedDigest !== undefined)
				await ledger.releaseUnsent([[approvalKey(settings.approvedDigest)]]).catch(() => undefined);
			const held = error instanceof ClaimFailed && error.rowsHeld;
			throw new NodeOperationError(
				context.getNode(),
				`Nothing sent: the ledger could not record the rows (${(error as Error).message})`,
				{
					description:
						error instanceof ClaimFailed && error.advice
							? error.advice
							: held
								? "Refuse Duplicates could not claim the rows safely in n8n's processed-data store, so no row was sent by this run. Some rows may stay held there as if their outcome were unknown: if a re-run refuses them so, nothing was sent for them here — check in Crego (another execution may have sent them), then use Send Again for those Crego does not have."
								: "Refuse Duplicates could not write to n8n's processed-data store, so no row was sent. It is safe to run them again.",
				},
			);
		}
		for (const { itemIndex, row } of candidates) {
			const send = refused.get(itemIndex);
			if (!send) claimed.set(itemIndex, row);
			else if (send.claimedNow)
				refuse(
					itemIndex,
					forRow(
						context,
						itemIndex,
						`Not sent: another execution of this workflow claimed it at the same moment (${send.what})`,
					),
					'Two executions tried to send the same row at once (for example a sheet posted twice); the other one sends it. Nothing was sent for this row here.',
					'notSent',
				);
			else if (send.done)
				settled.set(itemIndex, { kind: 'alreadySent', json: alreadySentJson(send, row) });
			else
				refuse(
					itemIndex,
					forRow(
						context,
						itemIndex,
						`Not sent again: ${sentBefore(send, row)}, and its outcome was unknown`,
					),
					`${UNKNOWN_ADVICE} Then set Options → Send Again for this row and run it again.`,
					'unknown',
				);
		}
	}

	return {
		/** What became of a row without sending it; undefined: send it. */
		settled: (itemIndex: number) => settled.get(itemIndex),

		/** Just before a row is sent: the reason not to send it, or nothing. */
		beforeSend(itemIndex: number): NodeError | undefined {
			return breaker.tripped ? notSentAfterUnknowns(context, itemIndex) : undefined;
		},

		/** Marks a row as started: from here it may have left, so it is never released as unsent (and the breaker learns the row order). */
		started(itemIndex: number) {
			claimed.delete(itemIndex);
			return breaker.start();
		},

		/** After the answer: every part learns the outcome. */
		async afterSend(
			itemIndex: number,
			place: number,
			row: WriteRow,
			outcome: Outcome,
			json?: IDataObject,
		) {
			const keys = row.keys;
			// Each part learns the outcome on its own: one failing does not keep it from the others. The answer stands.
			quietly(() => breaker.record(place, outcome));
			quietly(
				() =>
					guard &&
					keys &&
					(outcome === 'done' || outcome === 'unknown') &&
					guard.remember(keys, itemIndex),
			);
			quietly(() => resume.note(itemIndex, fingerprints[itemIndex], outcome, json));
			if (!ledger || !keys || outcome === 'failed') return;
			try {
				await ledger.settle(
					keys,
					outcome,
					typeof json?.ref_id === 'string' ? json.ref_id : undefined,
				);
			} catch {
				// The row stays recorded as sent (write-ahead): a later run refuses it, the safe side.
			}
		},

		/**
		 * The run ended: outcomes written, rows claimed but never sent released, and whether
		 * another execution replaced this run's claim (it may have sent some of its rows too).
		 * A run that completed leaves nothing to resume.
		 */
		async finish({ completed }: { completed: boolean }): Promise<{ claimReplaced: boolean }> {
			if (completed) resume.finish();
			// Outcomes not yet written stay held as unknown if this fails: the safe side.
			await ledger?.flush().catch(() => undefined);
			const claimReplaced = ledger ? !(await ledger.claimHeld().catch(() => true)) : false;
			if (claimReplaced) sayClaimWasReplaced(context);
			await releaseUnsent();
			return { claimReplaced };
		},
	};

	/** Rows claimed but never sent (the run stopped first, or the breaker refused them) are released. */
	async function releaseUnsent() {
		if (!ledger || claimed.size === 0) return;
		const unsent = [...claimed.values()].map((row) => row.keys!);
		claimed.clear();
		try {
			await ledger.releaseUnsent(unsent);
		} catch {
			// They stay recorded: a later run refuses them as unknown, the safe side.
		}
	}
}

const UNKNOWN_ADVICE = 'Crego may or may not have processed it: check in Crego first.';

type Ledger = NonNullable<Awaited<ReturnType<typeof openLedger>>>;

/** The approved batch's key, claimed on its own (it refuses the whole run, not a row); its claim proven, its token removed. */
async function claimApproval(
	context: IExecuteFunctions,
	ledger: Ledger,
	digest: string,
	executionId: string,
) {
	const BATCH = -1;
	let refused: Map<number, EarlierSend>;
	let held: boolean;
	try {
		refused = await ledger.claim([{ itemIndex: BATCH, keys: [approvalKey(digest)] }], executionId);
		held = await ledger.claimHeld();
	} catch (error) {
		throw new NodeOperationError(
			context.getNode(),
			`Nothing sent: the ledger could not record the approved batch (${(error as Error).message})`,
			{
				description:
					"n8n's processed-data store did not take the approval, so no row was sent. Run it again.",
			},
		);
	}
	const earlier = refused.get(BATCH);
	if (earlier?.claimedNow || !held)
		throw new NodeOperationError(
			context.getNode(),
			'Nothing sent: another execution is sending this approved batch at the same moment',
			{
				description:
					'An approval pays once: the other execution sends its rows. Nothing was sent here.',
			},
		);
	if (earlier)
		throw new NodeOperationError(
			context.getNode(),
			`Nothing sent: this approved batch was sent before${earlier.detail ? ` (execution ${earlier.detail.executionId} at ${earlier.detail.at})` : ''}`,
			{
				description:
					'An approval pays once, even if its link is opened again or the same batch is approved twice. To send rows again, validate the sheet anew (rows already done are skipped, unknown ones need Send Again) and have that batch approved.',
			},
		);
}

function approvalNeedsLedger(context: IExecuteFunctions, duplicateGuard: boolean) {
	return new NodeOperationError(
		context.getNode(),
		duplicateGuard
			? "Nothing sent: Approved Batch needs n8n's processed-data store, and this n8n has none"
			: 'Nothing sent: Approved Batch needs Refuse Duplicates on',
		{
			description:
				'The ledger is what makes an approval pay once. Turn Options → Refuse Duplicates on (it is on by default).',
		},
	);
}

/** A step after Crego's answer whose failure must not change the row's outcome. */
function quietly(step: () => unknown) {
	try {
		step();
	} catch {
		// Kept on the safe side by the ledger's write-ahead record.
	}
}

/** Validate Only's check, row by row in order: the refusal of a row repeating an earlier one of this execution (nothing recorded across executions). */
export function previewRepeats(context: IExecuteFunctions) {
	const guard = createDuplicateGuard(context.getContext('node'), context);
	return (row: Pick<WriteRow, 'keys'>, itemIndex: number) =>
		repeatInExecution(context, guard, row, itemIndex);
}

/** The refusal of a row that repeats an earlier row of this execution (also what Validate Only shows), or nothing. */
function repeatInExecution(
	context: IExecuteFunctions,
	guard: DuplicateGuard,
	row: Pick<WriteRow, 'keys'>,
	itemIndex: number,
) {
	const duplicate = row.keys ? guard.check(row.keys, itemIndex) : undefined;
	if (!duplicate) return undefined;
	return new NodeOperationError(
		context.getNode(),
		forRow(context, itemIndex, `Not sent: ${duplicate}`),
		{
			itemIndex,
			description:
				'The node refuses to move the same money twice. If both items are meant, give each its own Reference (Options → Reference), or turn off Options → Refuse Duplicates.',
		},
	);
}

/** The earlier send in words, with the Reference it was known by. */
function sentBefore(send: EarlierSend, { reference }: WriteRow): string {
	const what = send.held
		? 'it on an earlier business day'
		: send.day
			? `it on business day ${send.day}`
			: reference !== undefined
				? `Reference "${reference}" before (a Reference is used once)`
				: 'it before';
	const where = send.detail ? ` in execution ${send.detail.executionId} at ${send.detail.at}` : '';
	return `this node sent ${what}${where} (${send.what})`;
}

function alreadySentJson(send: EarlierSend, row: WriteRow): IDataObject {
	return {
		alreadySent: true,
		reason: `Not sent again: ${sentBefore(send, row)}, and Crego did it.`,
		...(send.day ? { sentOn: send.day } : {}),
		...(send.detail ? { sentInExecution: send.detail.executionId, sentAt: send.detail.at } : {}),
		...(send.detail?.refId ? { ref_id: send.detail.refId } : {}),
	};
}

function notSentAfterUnknowns(context: IExecuteFunctions, itemIndex: number) {
	return new NodeOperationError(
		context.getNode(),
		forRow(
			context,
			itemIndex,
			`Not sent: ${UNKNOWN_IN_A_ROW} writes in a row had an unknown outcome, so the node stopped sending writes for this execution`,
		),
		{
			itemIndex,
			description:
				'Crego stopped answering reliably. Nothing was sent for this item: check the items with an unknown outcome in Crego, then run the remaining rows again.',
		},
	);
}

/** n8n's Retry reuses the run index of the failed run: the note of that run is found by it. */
function runIndexOf(context: IExecuteFunctions): number {
	const runIndex = context.getWorkflowDataProxy(0).$runIndex;
	return typeof runIndex === 'number' ? runIndex : 0;
}

/** Loudly, above the output: another execution may have sent rows of this run too. */
function sayClaimWasReplaced(context: IExecuteFunctions) {
	context.addExecutionHints?.({
		message:
			"Crego: another execution rewrote the ledger while this run was sending (n8n's database was slower than this run's claim showed). It may have sent some of this run's rows too: check the rows this run did in Crego for doubles before running anything again.",
		type: 'danger',
		location: 'outputPane',
	});
}

const SAID = 'cregoLedgerOffSaid';

/** Once per execution, in the output pane: protection across executions is off here. */
function sayLedgerIsOff(context: IExecuteFunctions) {
	const nodeContext = context.getContext('node');
	if (nodeContext[SAID]) return;
	nodeContext[SAID] = true;
	context.addExecutionHints?.({
		message:
			'Refuse Duplicates covers this execution only: this n8n has no processed-data store, so rows sent in earlier executions are not recognised.',
		location: 'outputPane',
	});
}
