import type { IDataObject } from 'n8n-workflow';

import { parseWholeNumber } from '../values/wholeNumber';

/**
 * One numbering a person sees. With Options → Row Number set (for example
 * `{{ $json.row }}`, the row in the sheet), every headline, list, run summary and item
 * names the row by it: "Row 4". Without it, the item as n8n numbers it, from 0 as n8n's
 * own messages and `$itemIndex` do: "Item 2". The numbers are kept per run of the node
 * (keyed by its execute context), so every layer names rows the same way.
 */

const rowNumbers = new WeakMap<object, Array<number | undefined>>();

/** Options → Row Number, as typed or mapped: empty means none. */
export function parseRowNumber(value: unknown): number | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return undefined;
	return parseWholeNumber(value, { min: 1, max: MAX_ROW });
}

/** More rows than any spreadsheet holds (Excel: 1,048,576). */
const MAX_ROW = 10_000_000;

export function setRowNumber(run: object, itemIndex: number, rowNumber: number | undefined) {
	let numbers = rowNumbers.get(run);
	if (!numbers) rowNumbers.set(run, (numbers = []));
	numbers[itemIndex] = rowNumber;
}

const rowNumberOf = (run: object, itemIndex: number) => rowNumbers.get(run)?.[itemIndex];

/** "Row 4" or "Item 2"; `lower` for the middle of a sentence. */
export function rowName(run: object, itemIndex: number, lower = false): string {
	const rowNumber = rowNumberOf(run, itemIndex);
	const name = rowNumber === undefined ? `Item ${itemIndex}` : `Row ${rowNumber}`;
	return lower ? name.toLowerCase() : name;
}

/** Every headline names its row first. */
export function forRow(run: object, itemIndex: number, text: string): string {
	return `${rowName(run, itemIndex)}: ${text}`;
}

/** The row's number as an item field: `{row: 4}`, or `{item: 2}` without a Row Number. */
export function rowField(run: object, itemIndex: number): IDataObject {
	const rowNumber = rowNumberOf(run, itemIndex);
	return rowNumber === undefined ? { item: itemIndex } : { row: rowNumber };
}

/** 3, 4, 5, 9 → "rows 3-5, 9" (or "items …"; "row 4" alone). */
export function rowList(run: object, itemIndexes: number[]): string {
	const named = itemIndexes.map((itemIndex) => {
		const rowNumber = rowNumberOf(run, itemIndex);
		return rowNumber === undefined
			? { kind: 'item', number: itemIndex }
			: { kind: 'row', number: rowNumber };
	});
	const parts: string[] = [];
	for (const kind of ['row', 'item']) {
		const numbers = named.filter((entry) => entry.kind === kind).map((entry) => entry.number);
		if (numbers.length) parts.push(`${kind}${numbers.length === 1 ? '' : 's'} ${spans(numbers)}`);
	}
	return parts.join(', ');
}

function spans(numbers: number[]): string {
	const parts: string[] = [];
	for (let i = 0; i < numbers.length; i++) {
		let j = i;
		while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
		parts.push(j > i ? `${numbers[i]}-${numbers[j]}` : String(numbers[i]));
		i = j;
	}
	return parts.join(', ');
}
