/**
 * JSON text from outside (a JSON Body a user typed, an answer from Crego) read safely.
 * Nesting depth is measured without recursion, so no body can overflow the stack of
 * whatever later walks it; and numbers that a JavaScript number would round
 * (12345678901234567890, 0.1000000000000000055) are found, so they can be refused (in
 * what we send) or kept as exact text (in what we receive).
 */

/** Deeper JSON is not parsed: no Crego object nests anywhere near this. */
export const MAX_JSON_DEPTH = 64;

export type JsonReading =
	| { ok: true; value: unknown }
	| { ok: false; problem: 'empty' | 'invalid' | 'tooDeep' }
	| { ok: false; problem: 'inexact'; number: string };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Scan {
	depth: number;
	/** Where the numbers a JavaScript number cannot hold exactly stand in the text. */
	inexact: Array<{ start: number; end: number }>;
}

function scan(text: string): Scan {
	let depth = 0;
	let deepest = 0;
	const inexact: Scan['inexact'] = [];
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) {
			for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++)
				if (text.charCodeAt(i) === BACKSLASH) i++;
		} else if (c === 0x5b || c === 0x7b) {
			deepest = Math.max(deepest, ++depth);
		} else if (c === 0x5d || c === 0x7d) {
			depth--;
		} else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
			NUMBER.lastIndex = i;
			const token = NUMBER.exec(text)?.[0];
			if (!token) continue;
			if (!isExactNumber(token)) inexact.push({ start: i, end: i + token.length });
			i += token.length - 1;
		}
	}
	return { depth: deepest, inexact };
}

/**
 * Reads JSON text. `inexact` says what to do with a number a JavaScript number would
 * round: refuse the text, or keep the number's exact digits as a string.
 */
export function readJson(text: string, inexact: 'refuse' | 'keepAsText'): JsonReading {
	if (text.trim() === '') return { ok: false, problem: 'empty' };
	const found = scan(text);
	if (found.depth > MAX_JSON_DEPTH) return { ok: false, problem: 'tooDeep' };
	let source = text;
	if (found.inexact.length > 0) {
		if (inexact === 'refuse') {
			const { start, end } = found.inexact[0];
			return { ok: false, problem: 'inexact', number: text.slice(start, end) };
		}
		source = quoteNumbers(text, found.inexact);
	}
	try {
		return { ok: true, value: JSON.parse(source) as unknown };
	} catch {
		return { ok: false, problem: 'invalid' };
	}
}

function quoteNumbers(text: string, spans: Scan['inexact']): string {
	const pieces: string[] = [];
	let from = 0;
	for (const { start, end } of spans) {
		pieces.push(text.slice(from, start), `"${text.slice(start, end)}"`);
		from = end;
	}
	pieces.push(text.slice(from));
	return pieces.join('');
}

/**
 * A decimal written any way JSON allows, as one canonical text: its significant digits
 * and a power of ten. 1500, 1500.00 and 1.5e3 are all "15e2".
 */
export function canonicalDecimal(text: string): string | undefined {
	const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
	if (!match) return undefined;
	const [, sign, whole, fraction = '', exponent = '0'] = match;
	const leading = `${whole}${fraction}`.replace(/^0+/, '');
	if (leading === '') return '0';
	const digits = leading.replace(/0+$/, '');
	const power = Number(exponent) - fraction.length + (leading.length - digits.length);
	return `${sign}${digits}e${power}`;
}

/** Whether a JSON number token is exactly what JavaScript's number for it says. */
function isExactNumber(token: string): boolean {
	if (isShortDecimal(token)) return true;
	const number = Number(token);
	if (String(number) === token) return true;
	return Number.isFinite(number) && canonicalDecimal(String(number)) === canonicalDecimal(token);
}

/** Up to 15 digits and no exponent: a double holds every such decimal exactly as written. */
function isShortDecimal(token: string): boolean {
	let digits = 0;
	for (let i = 0; i < token.length; i++) {
		const c = token.charCodeAt(i);
		if (c >= 0x30 && c <= 0x39) digits++;
		else if (c === 0x65 || c === 0x45) return false;
	}
	return digits <= 15;
}
