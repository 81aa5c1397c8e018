// @ts-check
'use strict';

/**
 * The documented LMS endpoints, as the sandbox answers them. Each handler gets the
 * parsed request and the in-memory state and returns `{status, body}`.
 *
 * Crego's docs publish no error responses; the errors here follow the Django REST
 * Framework conventions the API is built on (`{"detail": ...}`, `{"field": [...]}`),
 * so a client is exercised against the shapes it will really meet.
 */

const { randomUUID } = require('node:crypto');
const { shapeObject } = require('./model');
const { borrowerBank, ACCOUNT_ID, TOPUP_ID } = require('./seed');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFUND_TYPES = ['cashback_refund', 'holdback_refund'];
const ADJUSTMENT_TYPES = ['cashback', 'holdback'];

const notFound = () => ({ status: 404, body: { detail: 'Not found.' } });
const invalid = (errors) => ({ status: 400, body: errors });
const nowSeconds = () => Date.now() / 1000;

/** DRF's required-field and number checks for a positive amount. */
function amountErrors(body) {
	if (!('amount' in body) || body.amount === null || body.amount === '') {
		return ['This field is required.'];
	}
	const amount = typeof body.amount === 'string' ? Number(body.amount) : body.amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount)) {
		return ['A valid number is required.'];
	}
	if (amount <= 0) return ['Ensure this value is greater than 0.'];
	return undefined;
}

function choiceErrors(value, choices) {
	if (value === undefined || value === null || value === '') return ['This field is required.'];
	if (!choices.includes(value)) return [`"${value}" is not a valid choice.`];
	return undefined;
}

function collectErrors(checks) {
	const errors = {};
	for (const [field, messages] of Object.entries(checks)) {
		if (messages) errors[field] = messages;
	}
	return Object.keys(errors).length ? errors : undefined;
}

/** The refund example's bank carries no `summary`, unlike the tranche example's. */
function refundCreditBank() {
	const { summary, ...bank } = borrowerBank();
	return shapeObject('creditBank', bank);
}

function newPayout(state, fields) {
	const index = state.nextIndex++;
	const at = nowSeconds();
	const payout = shapeObject('payout', {
		id: randomUUID(),
		created_at: at,
		updated_at: at,
		type: fields.type,
		ref_id: `PAY${index.toString(36).toUpperCase().padStart(5, '0')}`,
		numeric_ref_id: String(index),
		index,
		amount: fields.amount,
		method: 'manual',
		status: fields.status,
		payout_service_id: null,
		processed_at: null,
		bank_date: null,
		date: null,
		failed_remark: null,
		utr: null,
		debit_bank: null,
		credit_bank: fields.creditBank,
		payout_to: 'borrower',
		is_downloaded: false,
		is_imported: false,
		sent_to_gl: false,
		account: ACCOUNT_ID,
		topup: fields.topup,
		loan: fields.loan,
		record: null,
		transaction: null,
	});
	state.payouts.set(payout.id, payout);
	return payout;
}

/** POST /v1/lms/loans/{id}/refunds/ → 201, a payout in `pending_approval`. */
function initiateRefund(req, state, loanId) {
	if (!state.loans.has(loanId)) return notFound();
	const errors = collectErrors({
		amount: amountErrors(req.body),
		type: choiceErrors(req.body.type, REFUND_TYPES),
	});
	if (errors) return invalid(errors);
	const payout = newPayout(state, {
		type: req.body.type,
		amount: Number(req.body.amount),
		status: 'pending_approval',
		creditBank: refundCreditBank(),
		topup: TOPUP_ID,
		loan: null,
	});
	return { status: 201, body: payout };
}

/** POST /v1/lms/loans/{id}/adjustments/ → 201, a `processed` record. */
function initiateAdjustment(req, state, loanId) {
	if (!state.loans.has(loanId)) return notFound();
	const errors = collectErrors({
		amount: amountErrors(req.body),
		type: choiceErrors(req.body.type, ADJUSTMENT_TYPES),
	});
	if (errors) return invalid(errors);
	const index = state.nextIndex++;
	const at = nowSeconds();
	const amount = Number(req.body.amount);
	const record = shapeObject('record', {
		id: randomUUID(),
		created_at: at,
		updated_at: at,
		type: req.body.type,
		ref_id: `REC${index.toString(36).toUpperCase().padStart(5, '0')}`,
		index,
		received_amount: amount,
		tds_amount: 0.0,
		amount,
		remaining_amount: amount,
		payment_mode: null,
		pg_service_id: null,
		utr: null,
		settlement_utr: null,
		settlement_order: 'due_date_first',
		component_order: 'PI-OI-NI-P',
		uploaded_by: null,
		uploaded_by_id: null,
		date: at,
		settled_at: at,
		revert_date: null,
		revert_value_date: null,
		revert_sent_to_gl: false,
		bank_date: at,
		remark: null,
		status: 'processed',
		collection_bank: null,
		back_date_found: false,
		back_date_marked_on: null,
		sent_to_gl: false,
		settlement_sent_to_gl: false,
		is_processed: false,
		account: ACCOUNT_ID,
		topup: TOPUP_ID,
		transaction: null,
		loans: [],
		payouts: [],
	});
	state.records.set(record.id, record);
	// The docs' adjustment response has no `payouts` key; the stored record keeps one
	// so that Get Single Record with expand=payouts answers for it too.
	return { status: 201, body: withoutPayouts(record) };
}

/** POST /v1/lms/payouts/add_tranche/ → 200, a `pending` disbursement payout. */
function requestTranche(req, state) {
	const loanId = req.body.loan_id;
	let loanErrors;
	if (loanId === undefined || loanId === null || loanId === '')
		loanErrors = ['This field is required.'];
	else if (typeof loanId !== 'string' || !UUID.test(loanId)) loanErrors = ['Must be a valid UUID.'];
	else if (!state.loans.has(loanId))
		loanErrors = [`Invalid pk "${loanId}" - object does not exist.`];
	const errors = collectErrors({ loan_id: loanErrors, amount: amountErrors(req.body) });
	if (errors) return invalid(errors);
	const payout = newPayout(state, {
		type: 'disbursement',
		amount: Number(req.body.amount),
		status: 'pending',
		creditBank: borrowerBank(),
		topup: null,
		loan: loanId,
	});
	return { status: 200, body: payout };
}

/** PUT /v1/lms/payouts/{id}/mark_processed/ → 200, the payout with utr, processed_at, debit_bank. */
function processPayout(req, state, payoutId) {
	const payout = state.payouts.get(payoutId);
	if (!payout) return notFound();
	const { utr, processed_at: processedAt, debit_bank_id: debitBankId } = req.body;
	const accountNo = req.body.debit_bank_account_no;
	let utrErrors;
	if (utr === undefined || utr === null) utrErrors = ['This field is required.'];
	else if (typeof utr !== 'string' && typeof utr !== 'number') utrErrors = ['Not a valid string.'];
	else if (String(utr).trim() === '') utrErrors = ['This field may not be blank.'];
	let processedAtErrors;
	if (processedAt === undefined || processedAt === null)
		processedAtErrors = ['This field is required.'];
	else if (!Number.isInteger(processedAt)) processedAtErrors = ['A valid integer is required.'];
	let bankErrors;
	if (debitBankId === undefined || debitBankId === null || debitBankId === '')
		bankErrors = ['This field is required.'];
	else if (!state.debitBanks.has(debitBankId))
		bankErrors = [`Invalid pk "${debitBankId}" - object does not exist.`];
	let accountNoErrors;
	if (accountNo !== undefined && typeof accountNo !== 'string')
		accountNoErrors = ['Not a valid string.'];
	const errors = collectErrors({
		utr: utrErrors,
		processed_at: processedAtErrors,
		debit_bank_id: bankErrors,
		debit_bank_account_no: accountNoErrors,
	});
	if (errors) return invalid(errors);
	const debitBank = { ...state.debitBanks.get(debitBankId) };
	if (accountNo !== undefined) debitBank.account_no = accountNo;
	const processed = shapeObject('payout', {
		...payout,
		utr: String(utr),
		processed_at: processedAt,
		date: processedAt,
		debit_bank: debitBank,
		updated_at: nowSeconds(),
	});
	state.payouts.set(payoutId, processed);
	return { status: 200, body: processed };
}

/** GET /v1/lms/records/{id}/[?expand=payouts] → 200, the record (`payouts` only when expanded). */
function getRecord(req, state, recordId) {
	const record = state.records.get(recordId);
	if (!record) return notFound();
	const expand = String(req.query.get('expand') ?? '').split(',');
	if (expand.includes('payouts')) return { status: 200, body: record };
	return { status: 200, body: withoutPayouts(record) };
}

const PAGE_SIZE = 15;

/**
 * GET /v1/lms/settlements/[?loan=&demand=&expand=record&page=] → 200, one page
 * `{count, current_page, page_size, results}` of 15. The docs name no page parameter;
 * the sandbox reads `page`, as DRF's page-number pagination does, unless told to ignore it
 * (`state.paging.ignorePage`) to play a server that always answers page 1.
 */
function listSettlements(req, state) {
	const loan = req.query.get('loan');
	const demand = req.query.get('demand');
	for (const [name, value] of [
		['loan', loan],
		['demand', demand],
	]) {
		if (value && !UUID.test(value)) return invalid({ [name]: [`“${value}” is not a valid UUID.`] });
	}
	const matching = state.settlements.filter(
		(s) => (!loan || s.account === loan) && (!demand || s.demand === demand),
	);
	const requested = Number(req.query.get('page') ?? 1);
	const page = state.paging?.ignorePage ? 1 : requested;
	const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
	if (!Number.isInteger(page) || page < 1 || page > pages)
		return { status: 404, body: { detail: 'Invalid page.' } };
	const expandRecord = String(req.query.get('expand') ?? '')
		.split(',')
		.includes('record');
	const results = matching
		.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
		.map((s) => (expandRecord ? { ...s, record: withoutPayouts(state.records.get(s.record)) } : s));
	return {
		status: 200,
		body: { count: matching.length, current_page: page, page_size: PAGE_SIZE, results },
	};
}

function withoutPayouts(record) {
	if (!record) return null;
	const { payouts, ...rest } = record;
	return rest;
}

const LOAN_PARAM_STRINGS = {
	line_detail: ['approved_line_amount'],
	loan_data: ['emi_count', 'flat_roi_value', 'pf_value', 'pf_value_type'],
};

/**
 * PATCH /v1/lms/accounts/initiate_loan_params/ → 200 `{}`. Every value is a string, as
 * the docs type them; the sandbox keeps the last parameters per lead and program.
 */
function updateLoanParams(req, state) {
	const errors = {};
	for (const field of ['lead_id', 'program_id']) {
		const value = req.body[field];
		if (value === undefined || value === null || value === '')
			errors[field] = ['This field is required.'];
		else if (typeof value !== 'string') errors[field] = ['Not a valid string.'];
	}
	for (const [group, fields] of Object.entries(LOAN_PARAM_STRINGS)) {
		const nested = req.body[group];
		if (nested === undefined) continue;
		if (!nested || typeof nested !== 'object' || Array.isArray(nested)) {
			errors[group] = ['Invalid data. Expected a dictionary.'];
			continue;
		}
		const nestedErrors = {};
		for (const field of fields) {
			if (field in nested && typeof nested[field] !== 'string')
				nestedErrors[field] = ['Not a valid string.'];
		}
		if (Object.keys(nestedErrors).length) errors[group] = nestedErrors;
	}
	if (Object.keys(errors).length) return invalid(errors);
	state.loanParams.set(`${req.body.lead_id}|${req.body.program_id}`, req.body);
	return { status: 200, body: {} };
}

/** Method and path pattern of every endpoint the sandbox serves, in the docs' terms. */
const ROUTES = [
	{ method: 'POST', pattern: /^\/v1\/lms\/loans\/([^/]+)\/refunds\/$/, handle: initiateRefund },
	{
		method: 'POST',
		pattern: /^\/v1\/lms\/loans\/([^/]+)\/adjustments\/$/,
		handle: initiateAdjustment,
	},
	{ method: 'POST', pattern: /^\/v1\/lms\/payouts\/add_tranche\/$/, handle: requestTranche },
	{
		method: 'PUT',
		pattern: /^\/v1\/lms\/payouts\/([^/]+)\/mark_processed\/$/,
		handle: processPayout,
	},
	{ method: 'GET', pattern: /^\/v1\/lms\/records\/([^/]+)\/$/, handle: getRecord },
	{ method: 'GET', pattern: /^\/v1\/lms\/settlements\/$/, handle: listSettlements },
	{
		method: 'PATCH',
		pattern: /^\/v1\/lms\/accounts\/initiate_loan_params\/$/,
		handle: updateLoanParams,
	},
];

/** Finds the endpoint for a request and answers it, with DRF's 404 and 405. */
function answer(req, state) {
	const matching = ROUTES.map((route) => ({ route, match: route.pattern.exec(req.path) })).filter(
		({ match }) => match,
	);
	if (matching.length === 0) return notFound();
	const hit = matching.find(({ route }) => route.method === req.method);
	if (!hit) return { status: 405, body: { detail: `Method "${req.method}" not allowed.` } };
	const pathIds = hit.match.slice(1).map((segment) => decodeURIComponent(segment));
	// Django's <uuid:id> converters answer 404 for anything that is not a UUID.
	if (pathIds.some((id) => !UUID.test(id))) return notFound();
	if (req.method !== 'GET' && req.bodyError) {
		return { status: req.bodyError.status, body: { detail: req.bodyError.detail } };
	}
	return hit.route.handle(req, state, ...pathIds);
}

module.exports = { answer };
