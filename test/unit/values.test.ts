/**
 * The value parsers (values/): each kind of value as a sheet, an expression or a typed
 * field gives it. A refused value is always an InvalidValue, which readField turns into
 * an error naming the field, the row and the value.
 */
import { parseAmount } from '../../nodes/Crego/values/amount';
import { parseBoolean } from '../../nodes/Crego/values/boolean';
import { parseBusinessDate } from '../../nodes/Crego/values/businessDate';
import { parseHttpMethod } from '../../nodes/Crego/values/httpMethod';
import { InvalidValue } from '../../nodes/Crego/values/invalidValue';
import { canonicalDecimal } from '../../nodes/Crego/values/jsonText';
import { parseLmsPath } from '../../nodes/Crego/values/lmsPath';
import { parseSheetText } from '../../nodes/Crego/values/sheetText';
import { parseTimezone } from '../../nodes/Crego/values/timezone';
import { parseUuid } from '../../nodes/Crego/values/uuid';
import { parseWholeNumber } from '../../nodes/Crego/values/wholeNumber';

type Case = [unknown, unknown];
/** Accepted values and what they are read as; refused values and the reason given. */
const KINDS: Record<
	string,
	{ parse: (value: unknown) => unknown; accepts: Case[]; refuses: Case[] }
> = {
	amount: {
		parse: parseAmount,
		accepts: [
			[1500, 1500],
			['1500', 1500],
			['1,500.50', 1500.5],
			['100000.5', 100000.5],
			['12.345', 12.345],
			[' 0.01 ', 0.01],
		],
		refuses: [
			['₹1,500', 'is not a number'],
			['1e3', /exponent/],
			[0, /at least 0.01/],
			[-5, /at least 0.01/],
			['0.001', /at least 0.01/],
			['abc', 'is not a number'],
			['1 500', 'is not a number'],
			['', 'is empty'],
			[null, 'is empty'],
		],
	},
	boolean: {
		parse: parseBoolean,
		accepts: [
			[true, true],
			['true', true],
			['TRUE', true],
			[' yes ', true],
			['Y', true],
			['1', true],
			[1, true],
			[false, false],
			['no', false],
			['false', false],
			[0, false],
		],
		refuses: [
			['maybe', 'is neither true nor false'],
			['', 'is empty'],
			[null, 'is empty'],
		],
	},
	uuid: {
		parse: parseUuid,
		accepts: [
			[' f59b69c8-9e47-46a1-b2c9-83ae42666a30 ', 'f59b69c8-9e47-46a1-b2c9-83ae42666a30'],
			['F59B69C8-9E47-46A1-B2C9-83AE42666A30', 'F59B69C8-9E47-46A1-B2C9-83AE42666A30'],
		],
		refuses: [
			['abc', 'is not a Crego ID (a UUID)'],
			['f59b69c8-9e47-46a1-b2c9-83ae42666a3', 'is not a Crego ID (a UUID)'],
			['', 'is empty'],
			[null, 'is empty'],
		],
	},
	'whole number from 1 to 50': {
		parse: (value) => parseWholeNumber(value, { min: 1, max: 50 }),
		accepts: [
			[1, 1],
			['3', 3],
			[' 7 ', 7],
			[50, 50],
		],
		refuses: [
			['3.0', 'is not a whole number'],
			[3.5, 'is not a whole number'],
			[0, 'is not a whole number from 1 to 50'],
			[51, 'is not a whole number from 1 to 50'],
			['x', 'is not a whole number'],
			['', 'is empty'],
		],
	},
	timezone: {
		parse: parseTimezone,
		accepts: [
			['Asia/Kolkata', 'Asia/Kolkata'],
			['UTC', 'UTC'],
			['', 'Asia/Kolkata'],
		],
		refuses: [['Mars/Base', 'is not a timezone name']],
	},
	'business date (Asia/Kolkata)': {
		parse: (value) => parseBusinessDate(value, 'Asia/Kolkata'),
		accepts: [
			['2023-08-28', 1693161000],
			['28/08/2023', 1693161000],
			['2023-08-28T10:00:00Z', 1693216800],
			['2023-08-28T10:00:00+05:30', 1693197000],
			[1693161000, 1693161000],
		],
		refuses: [
			['2023-02-30', /not a calendar date/],
			['', 'is empty'],
		],
	},
	'sheet text (optional)': {
		parse: (value) => parseSheetText(value, { required: false }),
		accepts: [
			['  A B ', 'A B'],
			['', undefined],
			[null, undefined],
			[123, '123'],
		],
		refuses: [],
	},
	'LMS path': {
		parse: parseLmsPath,
		accepts: [
			['/v1/lms/loans/', '/v1/lms/loans/'],
			['v1/lms/loans', '/v1/lms/loans'],
		],
		refuses: [
			['/v1/other/', 'is not under /v1/lms/'],
			['/v1/lms/../admin', /\.\. segments/],
			['https://x/v1/lms/', 'is a full URL, not a path'],
			['/v1/lms/loans/?a=1', /query/],
		],
	},
	'HTTP method': {
		parse: parseHttpMethod,
		accepts: [
			['get', 'GET'],
			['POST', 'POST'],
			['patch', 'PATCH'],
			['PUT', 'PUT'],
		],
		refuses: [
			['DELETE', 'is not a method this node sends'],
			['', 'is empty'],
		],
	},
};

describe.each(Object.entries(KINDS))('%s', (_, { parse, accepts, refuses }) => {
	if (accepts.length) {
		test.each(accepts)('accepts %j as %j', (value, read) => {
			expect(parse(value)).toEqual(read);
		});
	}
	if (refuses.length) {
		test.each(refuses)('refuses %j: %s', (value, reason) => {
			let thrown: unknown;
			try {
				parse(value);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(InvalidValue);
			if (reason instanceof RegExp) expect((thrown as InvalidValue).reason).toMatch(reason);
			else expect((thrown as InvalidValue).reason).toBe(reason);
		});
	}
});

test('one canonical form for every way of writing a decimal (the keys two equal amounts share)', () => {
	for (const same of [
		['1500', '1500.00', '1.5e3', '01500'],
		['0.10', '0.1', '0.100', '1e-1'],
	]) {
		expect(new Set(same.map(canonicalDecimal)).size).toBe(1);
	}
	expect(canonicalDecimal('1500')).not.toBe(canonicalDecimal('150'));
	expect(canonicalDecimal('abc')).toBeUndefined();
});
