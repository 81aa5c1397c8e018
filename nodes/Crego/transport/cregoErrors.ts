import type { IDataObject } from 'n8n-workflow';

import { readJson } from '../values/jsonText';
import { keep } from './answerBody';
import { MAX_ERROR_BYTES } from './boundedBody';
import { sayFieldComplaint, sayGeneralComplaint } from './cregoWords';
import type { FieldLabel } from '../vocabulary/request';

/**
 * Reads Crego's error answers and puts them into words for a finance user (the stock
 * sentences through cregoWords.ts). Crego publishes no error
 * format; its Django REST Framework backend answers `{"detail": "..."}`,
 * `{"field": ["..."]}` or `{"non_field_errors": ["..."]}`, and a proxy in front of it may
 * answer HTML, nothing at all, or something hostile (huge, deeply nested). Every reading
 * here is bounded: only the first 64 KB are read, nesting is limited (values/jsonText.ts),
 * at most a few messages are kept, and a body that cannot be read is shown as text.
 */

export interface CregoErrorText {
	/** Crego's complaint in the user's words (the caller puts the item first). */
	message: string;
	/** Crego's own text, once, with the HTTP status and the request's method and path. */
	description: string;
	/** Crego's answer, short: kept on the error for the user to inspect. */
	body: string;
}

/** What the error is about: the request as the operation built it. */
export interface ErrorTopic {
	method: string;
	path: string;
	body?: IDataObject;
	query?: IDataObject;
	/** The node's name for each Crego field (loan_id → Loan ID). */
	labels?: Record<string, FieldLabel>;
	/** The object the path names, for a 404. */
	subject?: { noun: string; field: string; id: string };
}

const MAX_SHOWN = 300;
const MAX_MESSAGES = 10;
const MAX_IN_HEADLINE = 3;

function leadFor(status: number): string {
	if (status === 400 || status === 422) return 'Crego rejected the request';
	if (status === 401) return 'Crego refused the access token';
	if (status === 403) return 'Crego denied access';
	if (status === 404) return 'Crego found nothing at this address';
	if (status === 405) return 'Crego does not allow this method here';
	if (status === 429) return 'Crego is limiting requests (throttled)';
	if (status >= 500) return `Crego had a server error (HTTP ${status})`;
	return `Crego answered HTTP ${status}`;
}

function hintFor(status: number): string {
	if (status === 401)
		return 'Check the Access Token in the Crego credential: Crego tokens are valid for 24 hours.';
	if (status === 403) return 'The token is valid but its user may not act on this object.';
	if (status === 404) return 'Check the ID: Crego has no such object for this token.';
	// A write's unknown outcome gets its own advice (transport/cregoApi.ts): said once, there.
	if (status >= 500) return "The trouble is on Crego's side.";
	return '';
}

const GENERAL_KEYS = ['detail', 'non_field_errors', 'message'];

/** One message of a DRF error body and the field path it is about ('' for the request as a whole). */
interface Complaint {
	field: string;
	text: string;
}

/** Flattens a DRF error body into complaints, breadth first, at most MAX_MESSAGES. */
function complaintsOf(body: unknown): Complaint[] {
	const found: Complaint[] = [];
	const queue: Array<{ value: unknown; field: string }> = [{ value: body, field: '' }];
	while (queue.length > 0 && found.length < MAX_MESSAGES) {
		const { value, field } = queue.shift()!;
		if (Array.isArray(value)) {
			queue.push(...value.slice(0, MAX_MESSAGES).map((entry) => ({ value: entry, field })));
		} else if (value && typeof value === 'object') {
			for (const [key, nested] of Object.entries(value).slice(0, MAX_MESSAGES)) {
				if (key === 'code' && field === '' && 'detail' in value) continue;
				const nestedField = GENERAL_KEYS.includes(key) ? field : field ? `${field}.${key}` : key;
				queue.push({ value: nested, field: nestedField });
			}
		} else if (value !== null && value !== undefined) {
			found.push({ field, text: shorten(String(value).trim()) });
		}
	}
	return found.filter(({ text }) => text);
}

function textOfHtml(html: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
	return (
		title ??
		html
			.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
			.replace(/<[^>]+>/g, ' ')
	)
		.replace(/\s+/g, ' ')
		.trim();
}

function shorten(text: string): string {
	return keep(text, MAX_SHOWN);
}

const withoutFinalStop = (text: string) => text.replace(/[.\s]+$/, '');
const withFinalStop = (text: string) => (/[.!?)"]$/.test(text) ? text : `${text}.`);

/** The value the request sent for a field path such as "amount" or "loan_data.emi_count". */
function sentValue(topic: ErrorTopic, field: string): unknown {
	let value: unknown = topic.body;
	for (const key of field.split('.'))
		value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	return value ?? topic.query?.[field];
}

function plainWords(complaint: Complaint, status: number, topic: ErrorTopic): string {
	const { field, text } = complaint;
	if (status === 404 && !field) {
		const { subject } = topic;
		return subject
			? `Crego has no ${subject.noun} ${subject.id} (${subject.field})`
			: `Crego has nothing at ${topic.method} ${topic.path}`;
	}
	if (status >= 500) return leadFor(status);
	if (!field) return sayGeneralComplaint(text) ?? `${leadFor(status)}: ${withoutFinalStop(text)}`;
	const label = topic.labels?.[field];
	const about = { field: label?.field ?? field, noun: label?.noun, value: sentValue(topic, field) };
	return (
		sayFieldComplaint(text, about) ?? `Crego refused ${about.field}: ${withoutFinalStop(text)}`
	);
}

export function describeCregoError(
	status: number,
	answerText: string,
	topic: ErrorTopic,
): CregoErrorText {
	const text =
		answerText.length > MAX_ERROR_BYTES ? answerText.slice(0, MAX_ERROR_BYTES) : answerText;
	const reading = readJson(text, 'keepAsText');
	let complaints: Complaint[];
	if (reading.ok) complaints = complaintsOf(reading.value);
	else if (/<[a-z!][\s\S]*>/i.test(text))
		complaints = [{ field: '', text: shorten(textOfHtml(text)) }];
	else complaints = text.trim() ? [{ field: '', text: shorten(text.trim()) }] : [];
	const said = complaints.length ? complaints : [{ field: '', text: '' }];
	const plain = [...new Set(said.map((complaint) => plainWords(complaint, status, topic)))];
	const more =
		plain.length > MAX_IN_HEADLINE ? ` (and ${plain.length - MAX_IN_HEADLINE} more)` : '';
	const cregoText = complaints.map(({ field, text }) => (field ? `${field}: ${text}` : text));
	const answered = `Crego answered HTTP ${status} to ${topic.method} ${topic.path}`;
	let saidLine: string;
	if (cregoText.length === 0) saidLine = `${answered}, with no explanation.`;
	else if (cregoText.length === 1) saidLine = `${answered}: ${withFinalStop(cregoText[0])}`;
	else saidLine = [`${answered}:`, ...cregoText.map((line) => `- ${line}`)].join('\n');
	return {
		message: plain.slice(0, MAX_IN_HEADLINE).join('; ') + more,
		description: [saidLine, hintFor(status)].filter(Boolean).join('\n'),
		body: shorten(answerText.trim()),
	};
}
