import { ids } from './sandbox';

/** Process Payout with payout ID and UTR mapped from each item (`payout`, `utr`), as from a bank file. */
export const processPayoutFromRows = {
	resource: 'payout',
	operation: 'process',
	payoutId: '={{ $json.payout }}',
	utr: '={{ $json.utr }}',
	processedAt: '2023-08-28',
	debitBankId: ids.DOCS_DEBIT_BANK_ID,
};

/** The docs' loan and record, by path, as the sandbox's log shows them. */
export const REFUND_PATH = `/v1/lms/loans/${ids.DOCS_LOAN_ID}/refunds/`;
export const RECORD_PATH = `/v1/lms/records/${ids.DOCS_RECORD_ID}/`;

/** A cashback refund of the docs' loan, its amount mapped from each item (`amount`). */
export const refundOfDocsLoan = {
	resource: 'loan',
	operation: 'initiateRefund',
	loanId: ids.DOCS_LOAN_ID,
	amount: '={{ $json.amount }}',
	refundType: 'cashback_refund',
};

/** Get Record of the docs' record. */
export const getDocsRecord = { resource: 'record', operation: 'get', recordId: ids.DOCS_RECORD_ID };
