import { canonicalJson } from './duplicateKeys';
import type { CregoRequest } from '../vocabulary/request';

/**
 * A short fingerprint of the request a row makes (method, path, query, body, in canonical
 * form): a retried run compares it with what the failed attempt sent for the same row.
 * Two 32-bit FNV-1a hashes with different offsets, as 16 hex digits: enough to tell a
 * row's requests apart, small to keep in the node's context.
 */
export function requestFingerprint({
	method,
	path,
	query,
	body,
}: Pick<CregoRequest, 'method' | 'path' | 'query' | 'body'>): string {
	return shortHash(canonicalJson({ method, path, query: query ?? {}, body: body ?? {} }));
}

function fnv1a(text: string, offset: number): string {
	let hash = offset;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A short, stable name for a longer text (a ledger value), for keeping its detail. */
export const shortHash = (text: string) => fnv1a(text, 0x811c9dc5) + fnv1a(text, 0x050c5d1f);
