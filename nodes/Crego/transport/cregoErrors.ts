import { readJson } from '../values/jsonText';
import { keep, MAX_READ_ERROR } from './answerBody';

/**
 * Turns Crego's error answers into words for a finance user. Crego publishes no error
 * format; its Django REST Framework backend answers `{"detail": "..."}`,
 * `{"field": ["..."]}` or `{"non_field_errors": ["..."]}`, and a proxy in front of it may
 * answer HTML, nothing at all, or something hostile (huge, deeply nested). Every reading
 * here is bounded: only the first 64 KB are read, nesting is limited (values/jsonText.ts),
 * at most a few messages are kept, and a body that cannot be read is shown as text.
 */

export interface CregoErrorText {
	message: string;
	description: string;
	/** Crego's answer, short: kept on the error for the user to inspect. */
	body: string;
}

const MAX_SHOWN = 300;
const MAX_MESSAGES = 10;

function leadFor(status: number): string {
	if (status === 400 || status === 422) return 'Crego rejected the request';
	if (status === 401) return 'Crego refused the access token';
	if (status === 403) return 'Crego denied access';
	if (status === 404) return 'Crego found nothing at this address';
	if (status === 405) return 'Crego does not allow this method here';
	if (status === 429) return 'Crego is limiting the request rate';
	if (status >= 500) return 'Crego had a server error';
	return `Crego answered HTTP ${status}`;
}

function hintFor(status: number): string {
	if (status === 401) return 'Check the Access Token in the Crego credential: Crego tokens are valid for 24 hours.';
	if (status === 403) return 'The token is valid but its user may not act on this object.';
	if (status === 404) return 'Check the ID: Crego has no such loan, payout or record for this token.';
	if (status >= 500) return 'Crego may or may not have processed the request. Check in Crego before sending it again.';
	return '';
}

const GENERAL_KEYS = ['detail', 'non_field_errors', 'message'];

/** Flattens a DRF error body into "field: message" lines, breadth first, at most MAX_MESSAGES. */
function messagesOf(body: unknown): string[] {
	const lines: string[] = [];
	const queue: Array<{ value: unknown; label: string }> = [{ value: body, label: '' }];
	while (queue.length > 0 && lines.length < MAX_MESSAGES) {
		const { value, label } = queue.shift()!;
		if (Array.isArray(value)) {
			queue.push(...value.slice(0, MAX_MESSAGES).map((entry) => ({ value: entry, label })));
		} else if (value && typeof value === 'object') {
			for (const [key, nested] of Object.entries(value).slice(0, MAX_MESSAGES)) {
				if (key === 'code' && label === '' && 'detail' in value) continue;
				const nestedLabel = GENERAL_KEYS.includes(key) ? label : label ? `${label}.${key}` : key;
				queue.push({ value: nested, label: nestedLabel });
			}
		} else if (value !== null && value !== undefined) {
			const text = String(value);
			lines.push(label ? `${label}: ${text}` : text);
		}
	}
	return lines;
}

function textOfHtml(html: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
	return (title ?? html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' '))
		.replace(/\s+/g, ' ')
		.trim();
}

function shorten(text: string): string {
	return keep(text, MAX_SHOWN);
}

/** The one field a DRF validation error is about, if it names exactly one. */
function singleField(json: unknown): string | undefined {
	if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
	const keys = Object.keys(json);
	return keys.length === 1 && !GENERAL_KEYS.includes(keys[0]) && keys[0] !== 'code' ? keys[0] : undefined;
}

export function describeCregoError(status: number, answerText: string, method: string, path: string): CregoErrorText {
	const text = answerText.length > MAX_READ_ERROR ? answerText.slice(0, MAX_READ_ERROR) : answerText;
	const reading = readJson(text, 'keepAsText');
	const json = reading.ok ? reading.value : undefined;
	const field = status === 400 || status === 422 ? singleField(json) : undefined;
	let lines: string[];
	if (field) lines = messagesOf((json as Record<string, unknown>)[field]);
	else if (reading.ok) lines = messagesOf(json);
	else if (/<[a-z!][\s\S]*>/i.test(text)) lines = [textOfHtml(text)];
	else lines = text.trim() ? [text.trim()] : [];
	lines = lines.map((line) => shorten(line.trim())).filter(Boolean);
	const summary = lines.length ? lines.join('; ') : 'no explanation was given';
	const lead = field ? `Crego rejected the ${field}` : leadFor(status);
	return {
		message: `${lead}: ${shorten(summary)}`,
		description: [`HTTP ${status} for ${method} ${path}.`, ...lines.map((line) => `- ${line}`), hintFor(status)]
			.filter(Boolean)
			.join('\n'),
		body: shorten(answerText.trim()),
	};
}
