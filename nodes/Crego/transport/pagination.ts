import { createHash } from 'node:crypto';

import { forRow } from '../vocabulary/rowNames';
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { sendToCrego, type Connection } from './cregoApi';
import type { CregoRequest, PageLimit } from '../vocabulary/request';

/**
 * Follows Crego's page envelope `{count, current_page, page_size, results}` (reads only:
 * a write is never paged). The docs name no page parameter, so the next page is
 * asked for with `page` (Django REST Framework's page-number pagination) until `count`
 * results are in. The listing ends cleanly on an empty page, or on DRF's 404 "Invalid
 * page." after the first page (the count shrank meanwhile). A server that ignores `page`
 * answers the same results again: results are told apart by their `id`, and a page made
 * only of IDs already received, or a page whose results are the same as an earlier
 * page's (rows without an `id` are told apart by their content), stops with an error
 * giving the counts, never a loop or repeated items. Results without an `id` are never
 * dropped. No more than ceil(count / page_size) + 1 pages are asked for, and never more
 * than MAX_PAGES pages or MAX_ROWS results, whatever `count` says: a listing beyond
 * either stops with an error that says so.
 */

/** The most pages one listing reads. */
export const MAX_PAGES = 1_000;
/** The most results one listing collects (in memory, then as items). */
export const MAX_ROWS = 50_000;
export async function fetchPages(
	context: IExecuteFunctions,
	connection: Connection,
	request: CregoRequest,
	{ returnAll, limit }: PageLimit,
	itemIndex: number,
): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const seen = new Set<unknown>();
	const pagesSeen = new Set<string>();
	let maxPages = 1;
	let total = 0;
	for (let page = 1; page <= maxPages; page++) {
		const query = page === 1 ? request.query : { ...request.query, page };
		let envelope: IDataObject;
		try {
			envelope = await sendToCrego.call(context, connection, { ...request, query }, itemIndex);
		} catch (error) {
			// DRF's 404 "Invalid page." after page 1: the listing ended (it shrank meanwhile).
			if (page > 1 && (error as NodeApiError).httpCode === '404') return collected;
			// sendToCrego throws only NodeApiError or NodeOperationError, already tagged with the item's outcome.
			throw error as NodeApiError;
		}
		const { results, count, pageSize } = readEnvelope(context, envelope, request, itemIndex);
		if (page === 1) {
			total = count;
			maxPages = Math.min(MAX_PAGES, Math.ceil(count / Math.max(pageSize, 1)) + 1);
		}
		const fresh = results.filter((result) => result.id === undefined || !seen.has(result.id));
		const content =
			results.length > 0
				? createHash('sha256').update(JSON.stringify(results)).digest('base64')
				: '';
		if ((results.length > 0 && fresh.length === 0) || pagesSeen.has(content)) {
			throw pagingError(
				context,
				request,
				itemIndex,
				`Crego answered page ${page} with results already received: it seems to ignore the page parameter (got ${collected.length} of ${total})`,
			);
		}
		if (content) pagesSeen.add(content);
		if ((returnAll || limit > MAX_ROWS) && collected.length + fresh.length > MAX_ROWS) {
			throw pagingError(
				context,
				request,
				itemIndex,
				`Stopped at ${MAX_ROWS.toLocaleString('en-US')} results, the most one listing collects (Crego says there are ${total.toLocaleString('en-US')})`,
			);
		}
		for (const result of fresh) if (result.id !== undefined) seen.add(result.id);
		collected.push(...fresh);
		if (!returnAll && collected.length >= limit) return collected.slice(0, limit);
		if (collected.length >= count || results.length === 0) return collected;
	}
	const why = maxPages === MAX_PAGES ? `, the most one listing reads` : '';
	throw pagingError(
		context,
		request,
		itemIndex,
		`Stopped after ${maxPages.toLocaleString('en-US')} pages${why}: got ${collected.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`,
	);
}

function readEnvelope(
	context: IExecuteFunctions,
	envelope: IDataObject,
	request: CregoRequest,
	itemIndex: number,
) {
	const { results, count, page_size: pageSize } = envelope;
	if (!Array.isArray(results) || typeof count !== 'number') {
		throw pagingError(
			context,
			request,
			itemIndex,
			'Crego answered without a page envelope (count, results)',
		);
	}
	return {
		results: results as IDataObject[],
		count,
		pageSize: typeof pageSize === 'number' ? pageSize : results.length,
	};
}

function pagingError(
	context: IExecuteFunctions,
	request: CregoRequest,
	itemIndex: number,
	message: string,
) {
	return new NodeApiError(context.getNode(), { paging: message } as JsonObject, {
		message: forRow(context, itemIndex, message),
		description: `While reading the pages of ${request.method} ${request.path}. The results so far were not output, so nothing is repeated. A listing reads at most ${MAX_PAGES.toLocaleString('en-US')} pages and ${MAX_ROWS.toLocaleString('en-US')} results: narrow it with a filter (for example a date range) or a Limit.`,
		itemIndex,
	});
}
