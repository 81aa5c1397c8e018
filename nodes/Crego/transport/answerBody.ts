import type { IDataObject } from 'n8n-workflow';

import { readJson, type JsonReading } from '../values/jsonText';

/**
 * What comes back from the server, made safe before anything reads it: the access token
 * is cut out of it (a misconfigured server or proxy may echo the Authorization header),
 * and only bounded amounts of it are parsed or shown.
 */

/** A success body larger than this is not parsed: it is shown as (the start of) its text. */
const MAX_PARSED_SUCCESS = 16 * 1024 * 1024;
/** An error body is read up to this much: enough for any message, bounded for any answer. */
export const MAX_READ_ERROR = 64 * 1024;
/** How much raw text an output item or an error keeps. */
const MAX_KEPT_TEXT = 64 * 1024;

const REDACTED = '[redacted]';

/** The text with every occurrence of the token (alone, or after "Bearer ") replaced. */
export function redact(text: string, token: unknown): string {
	if (typeof token !== 'string' || token.length < 4 || !text.includes(token)) return text;
	return text.split(token).join(REDACTED);
}

/** Crego did the work: an unreadable answer must not look like a failure, so it is kept as text. */
export function successJson(status: number, text: string): IDataObject {
	const reading: JsonReading =
		text.length <= MAX_PARSED_SUCCESS
			? readJson(text, 'keepAsText')
			: { ok: false, problem: 'invalid' };
	if (reading.ok && isObject(reading.value)) return reading.value;
	return {
		statusCode: status,
		responseText: keep(text),
		...(text.length > MAX_KEPT_TEXT ? { responseTruncated: true } : {}),
	};
}

export function keep(text: string, limit = MAX_KEPT_TEXT): string {
	return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
