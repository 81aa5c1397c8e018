import { InvalidValue } from './invalidValue';

/**
 * One of a field's documented values. A spreadsheet's "Cashback Refund" or
 * "CASHBACK-REFUND" is read as `cashback_refund`; anything else is refused.
 */
export function parseChoice(value: unknown, allowed: string[]): string {
	const hint = `Use one of: ${allowed.join(', ')}.`;
	if (typeof value !== 'string' || value.trim() === '') throw new InvalidValue('is empty', hint);
	const normalised = value
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
	if (!allowed.includes(normalised))
		throw new InvalidValue('is not one of the values Crego accepts', hint);
	return normalised;
}

/** The values of an options field, for parseChoice. */
export function valuesOf(field: { options?: readonly object[] }): string[] {
	return (field.options ?? []).flatMap((option) =>
		'value' in option ? [String(option.value)] : [],
	);
}
