import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

/** What an item asks of Crego, in the words every layer shares. */

/** What an operation asks of Crego for one item. Path segments are already encoded. */
export interface CregoRequest {
	method: IHttpRequestMethods;
	path: string;
	query?: IDataObject;
	body?: IDataObject;
	/** The item in a user's words, e.g. "refund of 1500 for loan 4541…", for messages. */
	summary: string;
	/** The row's identifying values as sent, by Crego's field names (loan_id, amount, type…): error items carry them. */
	sent: IDataObject;
	/** The node's name for each field Crego may complain about: its errors are told in these. */
	labels?: Record<string, FieldLabel>;
	/** The object the path names ("loan 4541…", field Loan ID), for Crego's "Not found". */
	subject?: { noun: string; field: string; id: string };
}

/** One item's request, with the keys that identify the money movement it makes. */
export interface PreparedRequest extends CregoRequest {
	duplicateKeys?: DuplicateKey[];
	/**
	 * What a write acts on (loan, payout, UTR…), by normalised ID: writes sharing a lane are
	 * sent one at a time and in row order, whatever Concurrent Requests allows.
	 */
	lanes?: string[];
	/** A list: follow Crego's page envelope, one output item per result. */
	pages?: PageLimit;
}

/** Whether a request changes something in Crego (may move money): the one place that says so. */
export const isWrite = (request: Pick<CregoRequest, 'method'>) => request.method !== 'GET';

/** A key that identifies the money movement a write makes, for the duplicate guard and the ledger. */
export interface DuplicateKey {
	/** e.g. "refund|<loan>|cashback_refund|1500" */
	key: string;
	/** e.g. "same loan, refund type and amount" */
	what: string;
	/**
	 * How long it is refused: within this execution only, for the business day across
	 * executions (a write's fields, the default), or always (a Reference).
	 */
	lasts?: 'execution' | 'businessDay' | 'always';
	/**
	 * What the row acts on rather than what it does (a payout, a UTR): kept when the row
	 * has a Reference, since a Reference tells two writes apart but never makes one payout
	 * or one UTR two.
	 */
	identity?: boolean;
	/** The same key as an earlier release of the node wrote it: checked, never recorded (a ledger written before the upgrade still holds). */
	legacyKey?: string;
	/**
	 * A key of a row with a Reference (other than what it acts on): rows with References
	 * share it (two invoices may repeat one refund), but a row without a Reference
	 * repeating it, or repeated by it, is refused.
	 */
	withReference?: boolean;
}

/** How the node names a field Crego may complain about: its display name, and for an ID what it points at. */
export interface FieldLabel {
	field: string;
	noun?: string;
}

/** How many results a list wants: all of them, or up to a limit. */
export interface PageLimit {
	returnAll: boolean;
	limit: number;
}
