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
