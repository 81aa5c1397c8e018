import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { forRow } from './rowNames';
import { InvalidValue, showValue } from '../values/invalidValue';

/** A field inside a collection ("Options", "Filters", ...), read by its path, e.g. options.concurrency. */
export function inCollection<T extends Pick<INodeProperties, 'name'>>(
	collection: string,
	field: T,
): T {
	return { ...field, name: `${collection}.${field.name}` };
}

/**
 * Reads one field of one item and parses it. A refused value becomes a
 * NodeOperationError that names the field (as the user sees it), the item and the value.
 */
export function readField<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	field: Pick<INodeProperties, 'name' | 'displayName' | 'default'>,
	parse: (value: unknown) => T,
): T {
	// The default is the fallback for fields inside a collection that the user did not add.
	const value = locatorValue(context.getNodeParameter(field.name, itemIndex, field.default));
	try {
		return parse(value);
	} catch (error) {
		if (!(error instanceof InvalidValue)) {
			throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		}
		const isEmpty =
			value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
		const shown = isEmpty ? '' : `: ${showValue(value)}`;
		throw new NodeOperationError(
			context.getNode(),
			forRow(context, itemIndex, `${field.displayName} ${error.reason}${shown}`),
			{
				itemIndex,
				description: error.hint,
			},
		);
	}
}

/**
 * A resource locator's value (version 2's IDs: {__rl, mode, value}, or the field's default
 * {mode, value} when the workflow leaves it out); any other value as it is.
 */
function locatorValue(value: unknown): unknown {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
	const locator = value as { __rl?: unknown; mode?: unknown; value?: unknown };
	return locator.__rl === true || ('mode' in locator && 'value' in locator) ? locator.value : value;
}
