/**
 * Turns Crego's error answers into words for a finance user. Crego publishes no error
 * format; its Django REST Framework backend answers `{"detail": "..."}`,
 * `{"field": ["..."]}` or `{"non_field_errors": ["..."]}`, and a proxy in front of it may
 * answer HTML or nothing at all. All of these are read here.
 */

export interface CregoErrorText {
	message: string;
	description: string;
	/** Crego's answer, parsed when it was JSON: kept on the error for the user to inspect. */
	body: unknown;
}

const MAX_SHOWN = 300;

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

/** Flattens a DRF error body into "field: message" lines. */
function messagesOf(body: unknown, prefix = ''): string[] {
	if (typeof body === 'string') return [prefix ? `${prefix}: ${body}` : body];
	if (Array.isArray(body)) return body.flatMap((entry) => messagesOf(entry, prefix));
	if (body && typeof body === 'object') {
		return Object.entries(body).flatMap(([key, value]) => {
			const label = key === 'detail' || key === 'non_field_errors' || key === 'message' ? prefix : prefix ? `${prefix}.${key}` : key;
			if (key === 'code' && prefix === '' && 'detail' in body) return [];
			return messagesOf(value, label);
		});
	}
	if (body === null || body === undefined) return [];
	return [prefix ? `${prefix}: ${String(body)}` : String(body)];
}

function textOfHtml(html: string): string {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
	const text = (title ?? html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' '))
		.replace(/\s+/g, ' ')
		.trim();
	return text;
}

function shorten(text: string): string {
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** Reads a response body as JSON when it is JSON; otherwise undefined. */
export function parseJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

const GENERAL_KEYS = ['detail', 'non_field_errors', 'message', 'code'];

/** The one field a DRF validation error is about, if it names exactly one. */
function singleField(json: unknown): string | undefined {
	if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
	const fields = Object.keys(json).filter((key) => !GENERAL_KEYS.includes(key));
	return fields.length === 1 && Object.keys(json).length === 1 ? fields[0] : undefined;
}

export function describeCregoError(status: number, bodyText: string, method: string, path: string): CregoErrorText {
	const json = parseJson(bodyText);
	const field = status === 400 || status === 422 ? singleField(json) : undefined;
	let lines: string[];
	if (field) lines = messagesOf((json as Record<string, unknown>)[field]);
	else if (json !== undefined) lines = messagesOf(json);
	else if (/<[a-z!][\s\S]*>/i.test(bodyText)) lines = [textOfHtml(bodyText)];
	else lines = bodyText.trim() ? [bodyText.trim()] : [];
	lines = lines.filter((line) => line.trim() !== '').map(shorten);
	const summary = lines.length ? lines.join('; ') : 'no explanation was given';
	const hint = hintFor(status);
	const lead = field ? `Crego rejected the ${field}` : leadFor(status);
	return {
		message: `${lead}: ${shorten(summary)}`,
		description: [`HTTP ${status} for ${method} ${path}.`, ...lines.map((line) => `- ${line}`), hint]
			.filter(Boolean)
			.join('\n'),
		body: json ?? shorten(bodyText),
	};
}
