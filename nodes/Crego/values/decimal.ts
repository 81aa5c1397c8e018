import { InvalidValue } from './invalidValue';

/**
 * Decimal numbers (amounts, rates): the one way such a value is read, whether typed, from
 * an expression or as text from a sheet. Only plain decimals are accepted: no hex (0x10),
 * binary (0b11), exponent (1e3) or subnormal (5e-324) forms, no NaN or infinity, and no
 * more significant digits than a JSON number carries exactly (15), so what is sent is
 * exactly what the sheet says.
 */

const PLAIN = /^\d+(\.\d+)?$/;
/** Digit grouping as spreadsheets write it: 1,000,000.50 (western) or 10,00,000.50 (Indian). */
const GROUPED = /^\d{1,3}(,\d{2})*,\d{3}(\.\d+)?$|^\d{1,3}(,\d{3})+(\.\d+)?$/;
/** Every decimal with up to 15 significant digits survives a trip through a JSON number. */
export const EXACT_DIGITS = 15;

export interface DecimalRule {
	min: number;
	max: number;
	/** e.g. "Use a positive number such as 1000.50 or 1,00,000.50." */
	hint: string;
	/** How the bounds read in a refusal, e.g. "0.01" and "10^12". */
	minText?: string;
	maxText?: string;
}

export function parseDecimal(value: unknown, rule: DecimalRule): number {
	let digits: string;
	if (typeof value === 'number') {
		if (Number.isNaN(value)) throw new InvalidValue('is not a number', rule.hint);
		if (!Number.isFinite(value)) throw new InvalidValue('is not a finite number', rule.hint);
		digits = String(value);
	} else if (typeof value === 'string') {
		digits = value.trim();
		if (digits === '') throw new InvalidValue('is empty', rule.hint);
		if (GROUPED.test(digits)) digits = digits.replace(/,/g, '');
	} else {
		throw new InvalidValue(
			value === undefined || value === null ? 'is empty' : 'is not a number',
			rule.hint,
		);
	}
	const negative = digits.startsWith('-');
	const unsigned = negative ? digits.slice(1) : digits;
	if (!PLAIN.test(unsigned)) {
		const otherForm = /^(0[xbo][0-9a-f]+|(\d+\.?\d*|\.\d+)e[+-]?\d+)$/i.test(unsigned);
		throw new InvalidValue(
			otherForm
				? 'is not a plain decimal (hex, binary and exponent forms are not sent)'
				: 'is not a number',
			rule.hint,
		);
	}
	if (significantDigits(unsigned) > EXACT_DIGITS) {
		throw new InvalidValue(
			`has more than ${EXACT_DIGITS} significant digits, more than can be sent exactly`,
			'Round it (for example to the paise, two decimals) before sending.',
		);
	}
	const number = Number(digits);
	if (number < rule.min)
		throw new InvalidValue(`must be at least ${rule.minText ?? rule.min}`, rule.hint);
	if (number > rule.max)
		throw new InvalidValue(`must be at most ${rule.maxText ?? rule.max}`, rule.hint);
	// -0 and 0 are the same amount.
	return number === 0 ? 0 : number;
}

function significantDigits(plain: string): number {
	return plain.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
}

/** A rate or fee value (flat ROI, processing fee): a plain decimal from 0. */
export function parseRate(value: unknown): number {
	return parseDecimal(value, {
		min: 0,
		max: 1e12,
		maxText: '10^12',
		hint: 'Use a number from 0 such as 1.5.',
	});
}
