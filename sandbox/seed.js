// @ts-check
'use strict';

/**
 * The demo data a fresh sandbox starts with. IDs are those of the Crego docs' examples
 * (so the docs' sample requests work as-is) plus a few more for multi-row demos.
 * Object shapes follow the docs' response examples field for field.
 */

const { shapeObject } = require('./model');

const DOCS_LOAN_ID = '4541ca25-cf98-4b75-a2c8-db7d5a6b9e69';
const DOCS_TRANCHE_LOAN_ID = 'f59b69c8-9e47-46a1-b2c9-83ae42666a30';
const DOCS_PAYOUT_ID = 'bb572e48-1d50-4a53-b5ae-37b23855f84f';
const DOCS_RECORD_ID = '4ebd506f-8727-4d16-863d-0442e1b75858';
const DOCS_DEBIT_BANK_ID = 'f808a4b5-d281-4988-8261-8c7ac0a8abbc';

/** Extra demo loans, so a spreadsheet of several refunds has somewhere to go. */
const DEMO_LOAN_IDS = [
	'7d3f6c2a-1b4e-4c8d-9a0f-2e5b8c1d4f60',
	'9a1c2e3f-4b5d-4e6f-8a7b-0c1d2e3f4a5b',
	'c0ffee00-1234-4abc-8def-0123456789ab',
];
const DEMO_PAYOUT_IDS = [
	'5e8b2d1c-3f4a-4b6c-9d7e-8f0a1b2c3d4e',
	'6f9c3e2d-4a5b-4c7d-8e9f-0a1b2c3d4e5f',
];
const DEMO_RECORD_IDS = [
	'229fe24c-d840-48dc-959a-e0ff1479df35',
	'3a5c7e9f-1b3d-4f5a-8c7e-9f1b3d5f7a9c',
	'8e0a2c4e-6a8c-4e0a-9c4e-6a8c0e2a4c6e',
];

const ACCOUNT_ID = '69fd0af6-3310-4fed-9bf8-1ad4ef612e31';
const TOPUP_ID = '5dbe9d3b-62b6-410d-b83e-63c63d03fecb';
const COMPANY_ID = '59ecf94e-054d-43ee-83db-b158ab9d7f67';

function borrowerBank() {
	return shapeObject('creditBank', {
		program_ids: [],
		account_type: 'current',
		account_no: '123123123123',
		account_holder_name: 'Testing',
		ifsc: 'HDFC0039993',
		is_verified: false,
		tags: ['disbursement', 'banking_analysis', 'mandate'],
		summary: [],
		banking_id: 'a7680d00-2b0d-4f60-aa4a-8b237790efe9',
		created_at: 1726912760.102,
		updated_at: 1726912760.102,
		id: '2cbbdb26-9f0d-451e-834a-3d4b9ecaf345',
	});
}

/** A lender's bank account that payouts are paid from (Process Payout's `debit_bank_id`). */
function debitBank() {
	return shapeObject('debitBank', {
		id: DOCS_DEBIT_BANK_ID,
		created_at: 1729663373.4807174,
		updated_at: 1729663373.4946673,
		account_no: '000405060708',
		tags: ['disbursement'],
		account_holder_name: 'Demo Lender Disbursement Account',
		ifsc: 'YESB0000104',
		account_type: 'current',
		is_verified: true,
		name_at_bank: null,
		company: COMPANY_ID,
	});
}

function collectionBank() {
	return shapeObject('collectionBank', {
		id: '324c4826-1729-4682-8770-f388b6e7e6b7',
		ifsc: 'YESB0000104',
		tags: [],
		company: COMPANY_ID,
		account_no: '000000000000',
		created_at: 1729663373.4807174,
		updated_at: 1729663373.4946673,
		is_verified: false,
		account_type: 'current',
		name_at_bank: null,
		account_holder_name: 'Aerem Collection Account',
	});
}

/** A payout waiting for the lender to pay it (the state Process Payout acts on). */
function pendingPayout(id, index, loanId, amount) {
	return shapeObject('payout', {
		id,
		created_at: 1739344487.5285885,
		updated_at: 1739344487.5289123,
		type: 'disbursement',
		ref_id: `PAY${String(index).padStart(5, '0')}`,
		numeric_ref_id: String(index),
		index,
		amount,
		method: 'manual',
		status: 'pending',
		payout_service_id: null,
		processed_at: null,
		bank_date: null,
		date: null,
		failed_remark: null,
		utr: null,
		debit_bank: null,
		// As in the Process Payout example: the bank's name and branch are known by now.
		credit_bank: shapeObject('creditBank', {
			...borrowerBank(),
			bank_name: 'HDFC Bank',
			branch_name: 'Mumbai - Fort',
		}),
		payout_to: 'borrower',
		is_downloaded: false,
		is_imported: false,
		sent_to_gl: false,
		account: ACCOUNT_ID,
		topup: null,
		loan: loanId,
		record: null,
		transaction: null,
	});
}

/** The repayment record of the Get Single Record example. */
function repaymentRecord(id, index, payoutIds) {
	return shapeObject('record', {
		id,
		created_at: 1733077724.629719,
		updated_at: 1739345496.9493103,
		type: 'repayment',
		ref_id: `REC${String(index).padStart(5, '0')}`,
		index,
		received_amount: 13442.0,
		tds_amount: 0.0,
		amount: 13442.0,
		remaining_amount: 0.0,
		payment_mode: null,
		pg_service_id: null,
		utr: 'test utr 1',
		settlement_utr: null,
		settlement_order: 'due_date_first',
		component_order: 'PI-OI-NI-P',
		uploaded_by: null,
		uploaded_by_id: null,
		date: 1662402524.802948,
		settled_at: 1662402524.71748,
		revert_date: null,
		revert_value_date: null,
		revert_sent_to_gl: false,
		bank_date: 1662402524.717501,
		remark: '',
		status: 'processed',
		collection_bank: collectionBank(),
		back_date_found: false,
		back_date_marked_on: null,
		sent_to_gl: false,
		settlement_sent_to_gl: false,
		is_processed: false,
		account: '1941d57d-8ce1-4581-aa5f-6c54e18130cf',
		topup: null,
		transaction: null,
		loans: [],
		payouts: payoutIds,
	});
}

/** Settlement IDs and demand IDs are numbered, so tests can name them. */
const settlementId = (n) => `5e771e00-0000-4000-8000-${String(n).padStart(12, '0')}`;
const demandId = (n) => `de3a4d00-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A settlement as on the List Settlements page: the first one carries the page's example
 * values (26586.26, the float noise 36673.740000000005, a date at 23:59:59.999999 IST);
 * the next ones fall on the following days.
 */
function settlement(n, loanId, day) {
	const amount = n === 1 ? 26586.26 : Math.round((1000 + n * 137.5) * 100) / 100;
	return shapeObject('settlement', {
		id: settlementId(n),
		created_at: 1704479400.123456 + day * 86400,
		updated_at: 1704479400.123456 + day * 86400,
		date: 1704479399.999999 + day * 86400,
		amount,
		outstanding_amount: 0.0,
		remaining_amount: n === 1 ? 36673.740000000005 : 0.1 + 0.2 + n,
		sent_to_gl: false,
		due_amount: amount,
		dpd: n % 4,
		peak_dpd: n % 7,
		to_be_deleted: false,
		account: loanId,
		demand: demandId(n),
		record: DOCS_RECORD_ID,
	});
}

/** 23 settlements of the docs' loan (two pages of 15) and 5 of the first demo loan. */
function seedSettlements() {
	const settlements = [];
	for (let day = 0; day < 23; day++)
		settlements.push(settlement(settlements.length + 1, DOCS_LOAN_ID, day));
	for (let day = 0; day < 5; day++)
		settlements.push(settlement(settlements.length + 1, DEMO_LOAN_IDS[0], day));
	return settlements;
}

/** Builds the in-memory state of a fresh sandbox. */
function seedState() {
	const loans = new Set([DOCS_LOAN_ID, DOCS_TRANCHE_LOAN_ID, ...DEMO_LOAN_IDS]);
	const payouts = new Map();
	payouts.set(DOCS_PAYOUT_ID, pendingPayout(DOCS_PAYOUT_ID, 4440, DOCS_TRANCHE_LOAN_ID, 5000.0));
	DEMO_PAYOUT_IDS.forEach((id, i) =>
		payouts.set(id, pendingPayout(id, 4441 + i, DEMO_LOAN_IDS[i], 25000.0 + i * 1000)),
	);
	const records = new Map();
	records.set(DOCS_RECORD_ID, repaymentRecord(DOCS_RECORD_ID, 1741, [DOCS_PAYOUT_ID]));
	// The second demo record has two payouts, so a lookup shows a record with several.
	const demoPayouts = [[], DEMO_PAYOUT_IDS, []];
	DEMO_RECORD_IDS.forEach((id, i) =>
		records.set(id, repaymentRecord(id, 1742 + i, demoPayouts[i])),
	);
	const debitBanks = new Map([[DOCS_DEBIT_BANK_ID, debitBank()]]);
	return {
		loans,
		payouts,
		records,
		debitBanks,
		settlements: seedSettlements(),
		loanParams: new Map(),
		nextIndex: 4450,
	};
}

module.exports = {
	seedState,
	settlementId,
	demandId,
	borrowerBank,
	ACCOUNT_ID,
	TOPUP_ID,
	ids: {
		DOCS_LOAN_ID,
		DOCS_TRANCHE_LOAN_ID,
		DOCS_PAYOUT_ID,
		DOCS_RECORD_ID,
		DOCS_DEBIT_BANK_ID,
		DEMO_LOAN_IDS,
		DEMO_PAYOUT_IDS,
		DEMO_RECORD_IDS,
	},
};
