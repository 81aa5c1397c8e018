import { InvalidValue } from './invalidValue';

/** Crego amounts are rupees; anything above this is a typo, not a payment. */
export const MAX_AMOUNT = 1e12;

const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;
/** Digit grouping as spreadsheets write it: 1,000,000.50 (western) or 10,00,000.50 (Indian). */
const GROUPED_DECIMAL = /^\d{1,3}(,\d{2})*,\d{3}(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$/;

const ACCEPTED = 'Use a positive number such as 1000.50 or 1,00,000.50.';

/**
 * An amount as a JSON number with its decimals (Crego rounds to its configured
 * precision). Accepts a number or a numeric string as spreadsheets give it; refuses
 * zero, negatives, non-numbers, NaN, infinity, and amounts above 10^12.
 */
export function parseAmount(value: unknown): number {
	let amount: number;
	if (typeof value === 'number') {
		amount = value;
	} else if (typeof value === 'string') {
		amount = parseAmountText(value.trim());
	} else {
		throw new InvalidValue(value === undefined || value === null ? 'is empty' : 'is not a number', ACCEPTED);
	}
	if (Number.isNaN(amount)) throw new InvalidValue('is not a number', ACCEPTED);
	if (!Number.isFinite(amount)) throw new InvalidValue('is not a finite number', ACCEPTED);
	if (amount <= 0) throw new InvalidValue('must be greater than zero', ACCEPTED);
	if (amount > MAX_AMOUNT) {
		throw new InvalidValue('is above 10^12, the largest amount this node sends', 'Check the column: this looks like a typo or a joined cell.');
	}
	return amount;
}

function parseAmountText(text: string): number {
	if (text === '') throw new InvalidValue('is empty', ACCEPTED);
	let digits: string;
	if (PLAIN_DECIMAL.test(text)) digits = text;
	else if (GROUPED_DECIMAL.test(text)) digits = text.replace(/,/g, '');
	else if (/^-/.test(text)) throw new InvalidValue('must be greater than zero', ACCEPTED);
	else throw new InvalidValue('is not a number', ACCEPTED);
	const amount = Number(digits);
	if (!sameDecimal(String(amount), digits)) {
		throw new InvalidValue(
			'has more digits than can be sent exactly',
			'Round it to the paise (two decimals) or to the precision Crego is configured for.',
		);
	}
	return amount;
}

/** Whether two decimal strings denote the same number, ignoring leading and trailing zeros. */
function sameDecimal(a: string, b: string): boolean {
	const canonical = (s: string) => {
		if (/e/i.test(s)) return s; // exponent form: only equal when written identically
		const [whole, fraction = ''] = s.split('.');
		const trimmedFraction = fraction.replace(/0+$/, '');
		const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
		return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
	};
	return canonical(a) === canonical(b);
}
