/** The JSON type of a value, as the docs' examples show types: null, number, string, boolean, array, object. */
export function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/**
 * Differences between a value and a documented example: keys the example has that the
 * value lacks, keys the value has beyond it (top level only), and keys whose JSON
 * types differ (nested objects compared key by key). Empty when the shapes agree.
 */
export function shapeDifferences(
	actual: Record<string, unknown>,
	example: Record<string, unknown>,
	path = '',
	strictKeys = true,
): string[] {
	const differences: string[] = [];
	for (const [key, expected] of Object.entries(example)) {
		const where = `${path}${key}`;
		if (!(key in actual)) {
			differences.push(`missing ${where}`);
			continue;
		}
		const value = actual[key];
		if (jsonType(value) !== jsonType(expected)) {
			differences.push(`${where} is ${jsonType(value)}, docs show ${jsonType(expected)}`);
		} else if (jsonType(expected) === 'object') {
			differences.push(
				...shapeDifferences(
					value as Record<string, unknown>,
					expected as Record<string, unknown>,
					`${where}.`,
					false,
				),
			);
		}
	}
	if (strictKeys) {
		for (const key of Object.keys(actual))
			if (!(key in example)) differences.push(`extra ${path}${key}`);
	}
	return differences;
}
