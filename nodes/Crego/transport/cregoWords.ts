/**
 * Crego's error messages told in a finance user's words. Crego's backend (Django REST
 * Framework) answers with its framework's stock sentences ("Invalid pk "…" - object does
 * not exist.", "This field is required."), naming API fields (`loan_id`). Each rule below
 * matches one stock sentence and says it again with the node's field name ("Loan ID") and
 * the value. A sentence no rule knows is kept as Crego wrote it. README.md's "Crego's
 * errors in plain words" table lists these rules, and a test holds the two together.
 */

import { showValue } from '../values/invalidValue';

/** What a complaint is about, in the node's words. */
export interface Subject {
	/** The field's display name, or Crego's field name when the node has none. */
	field: string;
	noun?: string;
	/** The value sent, when known. */
	value?: unknown;
}

interface Rule {
	crego: RegExp;
	say: (match: RegExpExecArray, about: Subject) => string;
	/** One Crego sentence and its plain words, for README.md's table (about the field "Amount"/"Loan ID"). */
	example: { crego: string; plain: string; about: Subject };
}

const amount: Subject = { field: 'Amount' };
const refundType: Subject = { field: 'Refund Type' };
const loan: Subject = { field: 'Loan ID', noun: 'loan' };

/** Rules for messages about one field. */
export const FIELD_RULES: Rule[] = [
	{
		crego: /^Invalid pk "(.*)" - object does not exist\.?$/,
		say: (m, about) => `Crego has no ${about.noun ?? 'object'} ${m[1]} (${about.field})`,
		example: {
			crego: 'Invalid pk "1111…" - object does not exist.',
			plain: 'Crego has no loan 1111… (Loan ID)',
			about: loan,
		},
	},
	{
		crego: /^This field is required\.?$/,
		say: (_m, about) => `Crego needs ${about.field}, and none was sent`,
		example: {
			crego: 'This field is required.',
			plain: 'Crego needs Amount, and none was sent',
			about: amount,
		},
	},
	{
		crego: /^This field may not be (?:blank|null)\.?$/,
		say: (_m, about) => `${about.field} may not be empty`,
		example: {
			crego: 'This field may not be blank.',
			plain: 'Amount may not be empty',
			about: amount,
		},
	},
	{
		crego: /^"(.*)" is not a valid choice\.?$/,
		say: (m, about) => `Crego does not accept "${m[1]}" as ${about.field}`,
		example: {
			crego: '"excess" is not a valid choice.',
			plain: 'Crego does not accept "excess" as Refund Type',
			about: refundType,
		},
	},
	{
		crego: /^Ensure that there are no more than (\d+) decimal places\.?$/,
		say: (m, about) =>
			`${about.field} has more decimal places than Crego keeps (at most ${m[1]})${valueOf(about)}`,
		example: {
			crego: 'Ensure that there are no more than 2 decimal places.',
			plain: 'Amount has more decimal places than Crego keeps (at most 2): 10.555',
			about: { ...amount, value: 10.555 },
		},
	},
	{
		crego: /^Ensure that there are no more than (\d+) digits in total\.?$/,
		say: (m, about) =>
			`${about.field} has more digits than Crego keeps (at most ${m[1]})${valueOf(about)}`,
		example: {
			crego: 'Ensure that there are no more than 12 digits in total.',
			plain: 'Amount has more digits than Crego keeps (at most 12): 12345678901234',
			about: { ...amount, value: 12345678901234 },
		},
	},
	{
		crego: /^Ensure this value is (greater|less) than (or equal to )?(-?[\d.]+?)\.?$/,
		say: (m, about) =>
			`${about.field} must be ${m[1] === 'greater' ? 'more' : 'less'} than ${m[2] ? 'or equal to ' : ''}${m[3]}${valueOf(about)}`,
		example: {
			crego: 'Ensure this value is greater than 0.',
			plain: 'Amount must be more than 0: -5',
			about: { ...amount, value: -5 },
		},
	},
	{
		crego: /^A valid (number|integer) is required\.?$/,
		say: (m, about) =>
			`${about.field} must be a ${m[1] === 'integer' ? 'whole number' : 'number'}${valueOf(about)}`,
		example: {
			crego: 'A valid number is required.',
			plain: 'Amount must be a number: "abc"',
			about: { ...amount, value: 'abc' },
		},
	},
	{
		crego: /^(?:Must be a valid UUID|["“].*["”] is not a valid UUID)\.?$/,
		say: (_m, about) => `${about.field} is not a Crego ID (a UUID)${valueOf(about)}`,
		example: {
			crego: 'Must be a valid UUID.',
			plain: 'Loan ID is not a Crego ID (a UUID): "LN-1"',
			about: { ...loan, value: 'LN-1' },
		},
	},
	{
		crego: /^Not a valid string\.?$/,
		say: (_m, about) => `${about.field} must be text${valueOf(about)}`,
		example: {
			crego: 'Not a valid string.',
			plain: 'UTR must be text: 123',
			about: { field: 'UTR', value: 123 },
		},
	},
	{
		crego: /^Invalid data\. Expected a dictionary(?:, but got \w+)?\.?$/,
		say: (_m, about) => `${about.field} must be a group of fields (a JSON object)`,
		example: {
			crego: 'Invalid data. Expected a dictionary, but got str.',
			plain: 'line_detail must be a group of fields (a JSON object)',
			about: { field: 'line_detail' },
		},
	},
];

/** Rules for messages about the request as a whole (DRF's `detail`). */
export const GENERAL_RULES: Rule[] = [
	{
		crego: /^You do not have permission to perform this action\.?$/,
		say: () => "Crego denied permission: the token's user may not do this",
		example: {
			crego: 'You do not have permission to perform this action.',
			plain: "Crego denied permission: the token's user may not do this",
			about: amount,
		},
	},
	{
		crego: /^Authentication credentials were not provided\.?$/,
		say: () => 'Crego received no access token',
		example: {
			crego: 'Authentication credentials were not provided.',
			plain: 'Crego received no access token',
			about: amount,
		},
	},
	{
		crego:
			/^(?:Given token not valid for any token type|Invalid token\.?|Token is invalid or expired)$/,
		say: () => 'Crego refused the access token',
		example: {
			crego: 'Given token not valid for any token type',
			plain: 'Crego refused the access token',
			about: amount,
		},
	},
	{
		crego: /^Request was throttled\.(?: Expected available in (\d+) seconds?\.)?$/,
		say: (m) =>
			`Crego is limiting requests (throttled)${m[1] ? `: it accepts more in ${m[1]} s` : ''}`,
		example: {
			crego: 'Request was throttled. Expected available in 30 seconds.',
			plain: 'Crego is limiting requests (throttled): it accepts more in 30 s',
			about: amount,
		},
	},
	{
		crego: /^Method "(\w+)" not allowed\.?$/,
		say: (m) => `Crego does not accept ${m[1]} at this address`,
		example: {
			crego: 'Method "DELETE" not allowed.',
			plain: 'Crego does not accept DELETE at this address',
			about: amount,
		},
	},
	{
		crego: /^JSON parse error - .*$/,
		say: () => 'Crego could not read the request body as JSON',
		example: {
			crego: 'JSON parse error - Expecting value: line 1 column 1 (char 0)',
			plain: 'Crego could not read the request body as JSON',
			about: amount,
		},
	},
	{
		crego: /^Unsupported media type "(.*)" in request\.?$/,
		say: (m) => `Crego does not accept a body of type ${m[1]}`,
		example: {
			crego: 'Unsupported media type "text/plain" in request.',
			plain: 'Crego does not accept a body of type text/plain',
			about: amount,
		},
	},
];

/** The value as sent, shown as the node's input errors show values (quoted, shortened). */
function valueOf(about: Subject): string {
	return about.value === undefined ? '' : `: ${showValue(about.value)}`;
}

/** A field's complaint in plain words; undefined when no rule knows the sentence. */
export function sayFieldComplaint(text: string, about: Subject): string | undefined {
	for (const rule of FIELD_RULES) {
		const match = rule.crego.exec(text.trim());
		if (match) return rule.say(match, about);
	}
	return undefined;
}

/** A complaint about the whole request in plain words; undefined when no rule knows it. */
export function sayGeneralComplaint(text: string): string | undefined {
	for (const rule of GENERAL_RULES) {
		const match = rule.crego.exec(text.trim());
		if (match) return rule.say(match, { field: '' });
	}
	return undefined;
}
