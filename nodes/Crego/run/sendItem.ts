import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sendToCrego, type Connection } from '../transport/cregoApi';
import { fetchPages } from '../transport/pagination';
import type { ItemResult, NodeError } from '../vocabulary/itemResult';
import { outcomeOf, type Outcome } from '../vocabulary/outcome';
import { rowField } from '../vocabulary/rowNames';
import type { WriteSafety } from '../writeSafety/writeSafety';
import { errorItem } from './errorItem';
import { asNodeError } from './nodeErrors';
import { sentOf, type PlannedRow } from './plan';
import type { Shape } from './shaper';

export interface ItemTools {
	safety?: WriteSafety;
	shape: Shape;
}

/** Where a row got to: once it may have left, and once Crego's answer fixed its outcome. */
interface Progress {
	mayHaveLeft: boolean;
	outcome?: Outcome;
}

/**
 * sendItem, with a floor under it: whatever throws, the row still ends with its true
 * outcome — the one Crego's answer fixed, else unknown for a write that may have left,
 * else not sent. Nothing is thrown out of the item loop.
 */
export async function sendItemSafely(
	context: IExecuteFunctions,
	connection: Connection,
	row: PlannedRow | NodeError,
	itemIndex: number,
	tools: ItemTools,
): Promise<ItemResult> {
	const progress: Progress = { mayHaveLeft: false };
	try {
		return await sendItem(context, connection, row, itemIndex, tools, progress);
	} catch (error) {
		const write = !(row instanceof Error) && row.write !== undefined;
		const outcome =
			progress.outcome ?? (!progress.mayHaveLeft ? 'notSent' : write ? 'unknown' : 'failed');
		if (outcome === 'done')
			return {
				items: [
					{
						json: { outcome: 'done', ...rowField(context, itemIndex) },
						pairedItem: { item: itemIndex },
					},
				],
				outcome,
			};
		return failed(
			context,
			asNodeError(context, error, itemIndex),
			itemIndex,
			outcome,
			row instanceof Error ? undefined : sentOf(row),
		);
	}
}

async function sendItem(
	context: IExecuteFunctions,
	connection: Connection,
	row: PlannedRow | NodeError,
	itemIndex: number,
	{ safety, shape }: ItemTools,
	progress: Progress,
): Promise<ItemResult> {
	if (row instanceof Error) return failed(context, row, itemIndex, 'notSent');
	const { request } = row;
	const sent = sentOf(row);
	const paired = { pairedItem: { item: itemIndex } };
	const write = safety && row.write ? { safety, row: row.write } : undefined;
	// A write's item says which row it belongs to and what the row sent (loan, amount, Reference…); never over a field of Crego's own.
	const traced = (json: IDataObject): IDataObject =>
		row.write && !('sent' in json)
			? { ...json, sent: { ...rowField(context, itemIndex), ...sent } }
			: json;
	const settled = write?.safety.settled(itemIndex);
	if (settled?.kind === 'alreadyDone')
		return {
			items: [{ json: traced({ ...shape(settled.json).json, alreadyDone: true }), ...paired }],
			outcome: 'done',
			refId: refIdOf(settled.json),
			repeat: true,
		};
	if (settled?.kind === 'alreadySent')
		return {
			items: [{ json: traced(settled.json), ...paired }],
			outcome: 'done',
			refId: refIdOf(settled.json),
			repeat: true,
		};
	// An unknown outcome of a failed attempt does not stop the retried run: the rest is sent, then the run fails (sendAll).
	if (settled?.kind === 'error') {
		if (settled.outcome === 'unknown')
			return {
				items: [errorItem(context, settled.error, itemIndex, 'unknown', sent)],
				outcome: 'unknown',
			};
		return failed(context, settled.error, itemIndex, settled.outcome, sent);
	}
	const refusal = write?.safety.beforeSend(itemIndex);
	if (refusal) return failed(context, refusal, itemIndex, 'notSent', sent);
	const place = write?.safety.started(itemIndex) ?? -1;
	progress.mayHaveLeft = true;
	let answer: { json: IDataObject } | { pages: IDataObject[] } | { error: NodeError };
	try {
		answer = request.pages
			? { pages: await fetchPages(context, connection, request, request.pages, itemIndex) }
			: { json: await sendToCrego.call(context, connection, request, itemIndex) };
		progress.outcome = 'done';
	} catch (error) {
		const nodeError = asNodeError(context, error, itemIndex);
		// An error this node did not tag came from outside the transport: for a write, it may have been sent.
		progress.outcome = outcomeOf(nodeError) ?? (row.write ? 'unknown' : 'failed');
		answer = { error: nodeError };
	}
	// From here on the outcome is fixed: the bookkeeping, formatting and error items below cannot change or release it.
	const outcome = progress.outcome;
	const json = 'json' in answer ? answer.json : undefined;
	try {
		await write?.safety.afterSend(itemIndex, place, write.row, outcome, json);
	} catch {
		// Each part of afterSend keeps its own failures; a row not settled in the ledger stays held: the safe side.
	}
	if ('error' in answer) return failed(context, answer.error, itemIndex, outcome, sent);
	if ('pages' in answer) {
		const shaped = answer.pages.map(shape);
		return {
			items: shaped.map((result) => ({ json: result.json, ...paired })),
			outcome,
			kept: shaped.flatMap((result) => result.kept),
		};
	}
	const shaped = shape(json!);
	return {
		items: [{ json: traced(shaped.json), ...paired }],
		outcome,
		refId: refIdOf(json!),
		kept: shaped.kept,
	};
}

const refIdOf = (json: IDataObject) => (typeof json.ref_id === 'string' ? json.ref_id : undefined);

/** A row's error item; should building it fail, a plainer one that still says the outcome. */
export function failed(
	context: IExecuteFunctions,
	error: NodeError,
	itemIndex: number,
	outcome: Outcome,
	sent?: IDataObject,
): ItemResult {
	try {
		return { items: [errorItem(context, error, itemIndex, outcome, sent)], outcome, error };
	} catch {
		const message = {
			outcome,
			moneyMoved: outcome === 'done' ? 'yes' : outcome === 'unknown' ? 'unknown' : 'no',
			item: itemIndex,
		};
		return {
			items: [
				{
					json: { error: String(error?.message ?? error), message },
					pairedItem: { item: itemIndex },
				},
			],
			outcome,
			error,
		};
	}
}
