import { InvalidValue } from './invalidValue';

const EMPTY_HINT = 'Fill in the value, or leave the row out of the sheet.';

/**
 * Text that spreadsheets like to turn into numbers: UTRs, bank account numbers. A number
 * is taken only while it is a safe integer; beyond that its digits are already lost
 * (and a leading zero never survives), so the user is told to format the column as text.
 */
export function parseSheetText(
	value: unknown,
	{ required }: { required: boolean },
): string | undefined {
	if (value === undefined || value === null) {
		if (required) throw new InvalidValue('is empty', EMPTY_HINT);
		return undefined;
	}
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) {
			throw new InvalidValue(
				'is a number whose digits cannot be trusted',
				'The spreadsheet turned this value into a number and its digits may have changed. Format the column as text and export the file again.',
			);
		}
		return String(value);
	}
	if (typeof value !== 'string')
		throw new InvalidValue('is not text', 'Map a text column or type the value.');
	const text = value.trim();
	if (text === '') {
		if (required) throw new InvalidValue('is empty', EMPTY_HINT);
		return undefined;
	}
	return text;
}
