import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Outcome } from '../vocabulary/outcome';
import { rowField } from '../vocabulary/rowNames';
import type { NodeError } from '../vocabulary/itemResult';

/** Whether money moved, in a word an email can carry: only an unknown outcome leaves it open. */
const MONEY_MOVED: Record<Outcome, string> = {
	done: 'yes',
	rejected: 'no',
	notSent: 'no',
	failed: 'no',
	unknown: 'unknown',
};

/**
 * An error item that stands on its own. `error` is the headline ("Item 3: Crego has no
 * loan … (Loan ID)"); `message` says what became of the row: its outcome (`rejected` or
 * `notSent`: Crego did nothing, fix the row and send it again; `unknown`: check in Crego
 * first; `failed`: a read), whether money moved, the item, the HTTP status, the row's
 * identifying values as sent (loan_id, amount, type, utr…, never the token) and Crego's
 * own words. The row is `row` (Options → Row Number) or `item` (n8n's number), as in
 * the headline (vocabulary/rowNames.ts). Everything sits under those two keys because they are the only ones n8n 1.x
 * sends to the error output (`{error}` or `{error, message}`; 2.x adds `details`), and
 * both lines replace the JSON of an item carrying an error object with the message alone.
 */
export function errorItem(
	run: object,
	error: NodeError,
	itemIndex: number,
	outcome: Outcome,
	sent?: IDataObject,
): INodeExecutionData {
	const httpStatus = Number((error as { httpCode?: string | null }).httpCode);
	const message: IDataObject = {
		outcome,
		moneyMoved: MONEY_MOVED[outcome],
		...rowField(run, itemIndex),
		...(Number.isInteger(httpStatus) && httpStatus > 0 ? { httpStatus } : {}),
		...(sent ?? {}),
	};
	if (error.description) message.description = error.description;
	return { json: { error: error.message, message }, pairedItem: { item: itemIndex } };
}
