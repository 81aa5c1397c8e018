import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parseBoolean } from '../values/boolean';
import { parseSheetText } from '../values/sheetText';
import { readField } from '../vocabulary/readField';
import type { DuplicateKey, PreparedRequest } from '../vocabulary/request';
import { keysWithReference } from './duplicateKeys';
import { referenceOption, sendAgainOption } from './writeOptions';

/**
 * A write as write safety knows it: the request the operation built (never changed),
 * with the row's Reference and Send Again. A row with a Reference is known by it, for
 * ever (two equal refunds for two invoices are two refunds), and by what it acts on
 * (one payout, one UTR); a row without one is known by its fields, for its business day.
 */
export interface WriteRow {
	request: PreparedRequest;
	/** The keys the guard and the ledger know the row by. */
	keys?: DuplicateKey[];
	/** The row's values as sent, with its Reference: the output and error items carry them. */
	sent: IDataObject;
	reference?: string;
	/** Send even if the ledger or a failed attempt says it was sent (a person checked in Crego). */
	sendAgain: boolean;
}

/** Reads a write row's Reference and Send Again (per item: a sheet's columns). */
export function readWriteRow(
	context: IExecuteFunctions,
	itemIndex: number,
	request: PreparedRequest,
): WriteRow {
	const reference = readField(context, itemIndex, referenceOption, (value) =>
		parseSheetText(value, { required: false }),
	);
	const sendAgain = readField(context, itemIndex, sendAgainOption, parseBoolean);
	if (reference === undefined)
		return { request, keys: request.duplicateKeys, sent: request.sent, sendAgain };
	return {
		request,
		keys: keysWithReference(reference, request.duplicateKeys),
		sent: { ...request.sent, reference },
		reference,
		sendAgain,
	};
}
