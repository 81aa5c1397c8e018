import type { IDataObject } from 'n8n-workflow';

import { readJson, type JsonReading } from '../values/jsonText';

/**
 * What comes back from the server, made safe before anything reads it: the access token
 * is cut out of it (a misconfigured server or proxy may echo the Authorization header),
 * and only bounded amounts of it are parsed or shown (the read itself is bounded: boundedBody.ts).
 */

/** How much raw text an output item or an error keeps. */
const MAX_KEPT_TEXT = 64 * 1024;

const REDACTED = '[redacted]';

/**
 * The text with every occurrence of the token replaced, in whatever form a server may
 * echo it: as is, JSON-escaped ("a\/b", "\u0061"), percent-encoded (upper or lower
 * case, wholly or in part), or base64 of the token alone.
 */
export function redact(text: string, token: unknown): string {
	if (typeof token !== 'string' || token.length < 4 || text.length < 4) return text;
	return text.replace(tokenPattern(token), REDACTED);
}

let cached: { token: string; pattern: RegExp } | undefined;

function tokenPattern(token: string): RegExp {
	if (cached?.token === token) return cached.pattern;
	const forms = [...token].map((char) => {
		const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
		const alternatives = [escapeForRegex(char), `%${caseless(hex)}`, `\\\\u00${caseless(hex)}`];
		// JSON may escape these with a backslash.
		if (char === '/' || char === '"' || char === '\\')
			alternatives.push(`\\${escapeForRegex(char)}`);
		return `(?:${alternatives.join('|')})`;
	});
	const base64 = [
		Buffer.from(token).toString('base64').replace(/=+$/, ''),
		Buffer.from(token).toString('base64url'),
	].map(escapeForRegex);
	const pattern = new RegExp([forms.join(''), ...base64].join('|'), 'g');
	cached = { token, pattern };
	return pattern;
}

const escapeForRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const caseless = (hex: string) =>
	[...hex]
		.map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
		.join('');

/** Crego did the work: an unreadable answer must not look like a failure, so it is kept as text. */
export function successJson(status: number, text: string): IDataObject {
	const reading: JsonReading = readJson(text, 'keepAsText');
	if (reading.ok && isObject(reading.value)) return reading.value;
	return {
		statusCode: status,
		responseText: keep(text),
		...(text.length > MAX_KEPT_TEXT ? { responseTruncated: true } : {}),
	};
}

/** A success whose body was not read whole (too large, cut short, corrupt compression): the status stands, and the item says why. */
export function unreadSuccess(status: number, why: string): IDataObject {
	return { statusCode: status, responseNotRead: why };
}

/** An answer kept as it came rather than as Crego's object (Simplify leaves it alone). */
export const isKeptAnswer = (json: IDataObject) =>
	'responseText' in json || 'responseNotRead' in json;

export function keep(text: string, limit = MAX_KEPT_TEXT): string {
	return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
