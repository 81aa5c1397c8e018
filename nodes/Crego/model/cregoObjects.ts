/**
 * Crego's objects as its docs show them (../shared/crego-api): every field of a payout,
 * a record, a settlement and their bank accounts, with its kind of value. This is the one
 * description three things are built from: Simplify (which fields it keeps, which are
 * timestamps and amounts), the schema previews the editor shows before a run
 * (scripts/build/schemas.js), and the sandbox, which builds every object it answers
 * through `shapeObject` below.
 *
 * Fields the docs only ever show as null are given the kind their name and their
 * siblings suggest (a `*_id` is an ID, `*_date` a timestamp, a remark text).
 */

export type ValueKind =
	/** A UUID string. */
	| 'id'
	| 'text'
	| 'wholeNumber'
	/** Rupees: decimals, never rounded by the node (Simplify only removes float noise). */
	| 'amount'
	/** Unix seconds with microseconds; with Simplify, ISO 8601 text in the business timezone. */
	| 'timestamp'
	| 'flag'
	| 'textList';

export type CregoObjectName =
	| 'payout'
	| 'record'
	| 'settlement'
	| 'creditBank'
	| 'debitBank'
	| 'collectionBank';

export interface FieldSpec {
	kind: ValueKind | { object: CregoObjectName } | { idOrObject: CregoObjectName };
	/** The docs show null here (always, or until the object reaches a later state). */
	nullable?: boolean;
	/** Absent from some answers (for example `payouts` without expand=payouts). */
	optional?: boolean;
	/** Kept by Simplify. */
	simple?: boolean;
	/** What the field means, shown in the editor's schema preview. */
	about?: string;
}

export type ObjectSpec = Record<string, FieldSpec>;

const id = (about?: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	kind: 'id',
	about,
	...extra,
});
const text = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'text', ...extra });
const amount = (about: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	kind: 'amount',
	about,
	...extra,
});
const timestamp = (about: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	kind: 'timestamp',
	about,
	...extra,
});
const flag = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'flag', ...extra });
const textList = (extra: Partial<FieldSpec> = {}): FieldSpec => ({ kind: 'textList', ...extra });
const simple = { simple: true };
const nullable = { nullable: true };

/** A payout: Initiate Refund, Request Tranche and Process Payout answer one. */
const payout: ObjectSpec = {
	id: id('Payout ID', simple),
	created_at: timestamp('When the payout was created', simple),
	updated_at: timestamp('When the payout last changed'),
	type: text({ ...simple, about: 'cashback_refund, holdback_refund or disbursement' }),
	ref_id: text({ ...simple, about: "Crego's reference for the payout, e.g. PAY0ERXD" }),
	numeric_ref_id: text(),
	index: { kind: 'wholeNumber' },
	amount: amount('Amount in rupees', simple),
	method: text({ ...simple, about: 'manual or automatic' }),
	status: text({
		...simple,
		about: 'e.g. pending_approval (a new refund) or pending (a new tranche)',
	}),
	payout_service_id: text(nullable),
	processed_at: timestamp('When the payout was paid (set by Process Payout)', {
		...simple,
		...nullable,
	}),
	bank_date: timestamp('Bank date', nullable),
	date: timestamp('Business date of the payout', { ...simple, ...nullable }),
	failed_remark: text(nullable),
	utr: text({ ...simple, ...nullable, about: "The bank's UTR (set by Process Payout)" }),
	debit_bank: {
		kind: { object: 'debitBank' },
		...simple,
		...nullable,
		about: 'Account the payout was paid from',
	},
	credit_bank: {
		kind: { object: 'creditBank' },
		...simple,
		about: 'Account the payout is paid to',
	},
	payout_to: text({ ...simple, about: 'custom_bank, anchor or borrower' }),
	is_downloaded: flag(),
	is_imported: flag(),
	sent_to_gl: flag(),
	account: id('Loan account ID', simple),
	topup: id('Topup ID (refunds)', { ...simple, ...nullable }),
	loan: id('Loan ID (tranches)', { ...simple, ...nullable }),
	record: id(undefined, nullable),
	transaction: id(undefined, nullable),
};

/** A record: Initiate Adjustment answers one, Get Record reads one. */
const record: ObjectSpec = {
	id: id('Record ID', simple),
	created_at: timestamp('When the record was created', simple),
	updated_at: timestamp('When the record last changed'),
	type: text({ ...simple, about: 'e.g. repayment, cashback, holdback' }),
	ref_id: text({ ...simple, about: "Crego's reference for the record, e.g. REC0XAM2" }),
	index: { kind: 'wholeNumber' },
	received_amount: amount('Amount received', simple),
	tds_amount: amount('TDS amount'),
	amount: amount('Amount in rupees', simple),
	remaining_amount: amount('Amount not yet settled', simple),
	payment_mode: text(nullable),
	pg_service_id: text(nullable),
	utr: text({ ...simple, ...nullable, about: "The bank's UTR" }),
	settlement_utr: text(nullable),
	settlement_order: text({ about: 'e.g. due_date_first' }),
	component_order: text({ about: 'e.g. PI-OI-NI-P' }),
	uploaded_by: id(undefined, nullable),
	uploaded_by_id: id(undefined, nullable),
	date: timestamp('Business date of the record', simple),
	settled_at: timestamp('When the record was settled', simple),
	revert_date: timestamp('Revert date', nullable),
	revert_value_date: timestamp('Revert value date', nullable),
	revert_sent_to_gl: flag(),
	bank_date: timestamp('Bank date', simple),
	remark: text(nullable),
	status: text({ ...simple, about: 'e.g. processed' }),
	collection_bank: {
		kind: { object: 'collectionBank' },
		nullable: true,
		about: 'Account the money was collected in',
	},
	back_date_found: flag(),
	back_date_marked_on: timestamp('Back date marked on', nullable),
	sent_to_gl: flag(),
	settlement_sent_to_gl: flag(),
	is_processed: flag(),
	account: id('Loan account ID', simple),
	topup: id('Topup ID', { ...simple, ...nullable }),
	transaction: id(undefined, nullable),
	loans: textList({ ...simple, about: 'Loan IDs' }),
	payouts: textList({
		...simple,
		optional: true,
		about: 'Payout IDs (Get Record with Expand Payouts)',
	}),
};

/** A settlement: List Settlements answers pages of them. */
const settlement: ObjectSpec = {
	id: id('Settlement ID', simple),
	created_at: timestamp('When the settlement was created'),
	updated_at: timestamp('When the settlement last changed'),
	date: timestamp('Business date (Crego ends a day at 23:59:59.999999)', simple),
	amount: amount('Amount in rupees', simple),
	outstanding_amount: amount('Outstanding amount', simple),
	remaining_amount: amount('Remaining amount', simple),
	sent_to_gl: flag(),
	due_amount: amount('Due amount', simple),
	dpd: { kind: 'wholeNumber', simple: true, about: 'Days past due' },
	peak_dpd: { kind: 'wholeNumber', simple: true, about: 'Highest days past due' },
	to_be_deleted: flag(),
	account: id('Loan account ID', simple),
	demand: id('Demand ID', simple),
	record: {
		kind: { idOrObject: 'record' },
		simple: true,
		about: 'Record ID, or the record itself with Expand Record',
	},
};

/** The borrower's account a payout is paid to (fields of the Request Tranche, Initiate Refund and Process Payout examples). */
const creditBank: ObjectSpec = {
	program_ids: textList(),
	account_type: text(simple),
	account_no: text(simple),
	account_holder_name: text(simple),
	ifsc: text(simple),
	bank_name: text({ ...simple, optional: true }),
	branch_name: text({ ...simple, optional: true }),
	is_verified: flag(),
	tags: textList(),
	summary: textList({ optional: true }),
	banking_id: id(),
	created_at: timestamp('When the account was added'),
	updated_at: timestamp('When the account last changed'),
	id: id(),
};

/** The lender's account a payout was paid from (Process Payout). */
const debitBank: ObjectSpec = {
	id: id(),
	created_at: timestamp('When the account was added'),
	updated_at: timestamp('When the account last changed'),
	account_no: text(simple),
	tags: textList(),
	account_holder_name: text(simple),
	ifsc: text(simple),
	account_type: text(simple),
	is_verified: flag(),
	name_at_bank: text(nullable),
	company: id(),
};

/** The lender's account a repayment was collected in (Get Record). */
const collectionBank: ObjectSpec = {
	id: id(),
	ifsc: text(),
	tags: textList(),
	company: id(),
	account_no: text(),
	created_at: timestamp('When the account was added'),
	updated_at: timestamp('When the account last changed'),
	is_verified: flag(),
	account_type: text(),
	name_at_bank: text(nullable),
	account_holder_name: text(),
};

export const CREGO_OBJECTS: Record<CregoObjectName, ObjectSpec> = {
	payout,
	record,
	settlement,
	creditBank,
	debitBank,
	collectionBank,
};

/**
 * Version 2's Simplified output: at most ten fields of an object (n8n's guideline), the
 * most used first, chosen from what the example workflows and a reconciliation read
 * (which payout, its state and money, the loan, when, the bank's UTR). Every other field
 * is in Raw, or chosen in Selected Fields.
 */
export const TEN_FIELDS: Partial<Record<CregoObjectName, readonly string[]>> = {
	payout: [
		'id',
		'ref_id',
		'status',
		'type',
		'amount',
		'account',
		'created_at',
		'date',
		'utr',
		'processed_at',
	],
	record: [
		'id',
		'ref_id',
		'type',
		'status',
		'amount',
		'remaining_amount',
		'date',
		'utr',
		'account',
		'payouts',
	],
	settlement: [
		'id',
		'date',
		'amount',
		'due_amount',
		'outstanding_amount',
		'remaining_amount',
		'dpd',
		'account',
		'demand',
		'record',
	],
};

function everyField(): Array<[string, FieldSpec]> {
	return Object.values(CREGO_OBJECTS).flatMap((spec) => Object.entries(spec));
}

/** Names of the fields that hold timestamps, in any Crego object (Simplify reads them in unknown objects too). */
export const TIMESTAMP_FIELDS = new Set(
	everyField()
		.filter(([, field]) => field.kind === 'timestamp')
		.map(([name]) => name),
);
/** Names of the fields that hold amounts, in any Crego object. */
export const AMOUNT_FIELDS = new Set(
	everyField()
		.filter(([, field]) => field.kind === 'amount')
		.map(([name]) => name),
);

/** The JSON types a value of this kind can have in Crego's own answer. */
export function jsonTypesOf(field: FieldSpec): string[] {
	const { kind } = field;
	let types: string[];
	if (typeof kind === 'object') types = 'object' in kind ? ['object'] : ['string', 'object'];
	else if (kind === 'wholeNumber') types = ['integer'];
	else if (kind === 'amount' || kind === 'timestamp') types = ['number'];
	else if (kind === 'flag') types = ['boolean'];
	else if (kind === 'textList') types = ['array'];
	else types = ['string'];
	return field.nullable ? [...types, 'null'] : types;
}

/** The kind of object a field holds, if it holds one. */
export function nestedName(field: FieldSpec): CregoObjectName | undefined {
	const { kind } = field;
	if (typeof kind !== 'object') return undefined;
	return 'object' in kind ? kind.object : kind.idOrObject;
}

function jsonTypeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

/**
 * An object of the named kind, its fields in the docs' order. Used by the sandbox for
 * every object it answers: a field the description lacks, a missing one or a value of
 * another type is a mistake in the sandbox (or the description), never sent.
 */
export function shapeObject(
	name: CregoObjectName,
	values: Record<string, unknown>,
): Record<string, unknown> {
	const spec = CREGO_OBJECTS[name];
	const unknown = Object.keys(values).filter((key) => !(key in spec));
	if (unknown.length)
		throw new Error(`A ${name} has no field ${unknown.join(', ')} in model/cregoObjects.ts`);
	const shaped: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(spec)) {
		if (!(key in values)) {
			if (field.optional) continue;
			throw new Error(`A ${name} needs ${key} (model/cregoObjects.ts)`);
		}
		const value = values[key];
		const type = jsonTypeOf(value);
		const allowed = jsonTypesOf(field);
		if (!allowed.includes(type) && !(type === 'integer' && allowed.includes('number'))) {
			throw new Error(
				`${name}.${key} is ${type}, but model/cregoObjects.ts says ${allowed.join(' or ')}`,
			);
		}
		shaped[key] =
			type === 'object' ? shapeObject(nestedName(field)!, value as Record<string, unknown>) : value;
	}
	return shaped;
}

/**
 * What an operation answers with: a Crego object of this file, `{}` (Update
 * Loan Params), or anything (API Request).
 */
export type ObjectKind = 'payout' | 'record' | 'settlement' | 'empty' | 'any';
