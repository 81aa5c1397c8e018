/**
 * Why a value was refused, in words a spreadsheet user understands. Parsers throw it;
 * the operation that read the parameter turns it into a NodeOperationError that also
 * names the field and the item (see readField.ts).
 */
export class InvalidValue extends Error {
	constructor(
		/** What is wrong, e.g. "is not a number". */
		readonly reason: string,
		/** What to do about it; becomes the error's description in n8n. */
		readonly hint?: string,
	) {
		super(reason);
	}
}

/** Shows a value the way the user typed or mapped it, quoted and shortened. */
export function showValue(value: unknown): string {
	let shown: string;
	if (typeof value === 'string') shown = JSON.stringify(value);
	else if (value instanceof Date)
		shown = `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
	else if (value === undefined) shown = 'nothing';
	else {
		try {
			shown = JSON.stringify(value) ?? String(value);
		} catch {
			shown = String(value);
		}
	}
	return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
