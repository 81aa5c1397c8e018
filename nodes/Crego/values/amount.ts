import { parseDecimal } from './decimal';

/** Crego amounts are rupees: one paisa is the least that can move. */
const MIN_AMOUNT = 0.01;
/** Anything above this is a typo or a joined cell, not a payment. */
const MAX_AMOUNT = 1e12;

/**
 * An amount as a JSON number with its decimals (Crego rounds to its configured
 * precision). A number, or text as spreadsheets give it ("1,00,000.50"); from 0.01 to
 * 10^12, written as a plain decimal (see decimal.ts).
 */
export function parseAmount(value: unknown): number {
	return parseDecimal(value, {
		min: MIN_AMOUNT,
		max: MAX_AMOUNT,
		minText: '0.01',
		maxText: '10^12',
		hint: 'Use a positive amount from 0.01, such as 1000.50 or 1,00,000.50.',
	});
}
